// Property: the Effect 4 client's checks (`UserPayload.validateCreate` / `validateUpdate`) and the server's (the
// engine behind the in-memory layer and the emulator) agree on generated emails and passwords: the client rejects
// exactly when the in-memory server, asked with the raw payload and a fresh email, answers 422, and both name the
// same attributes and rules; through the typed in-memory layer, a payload the client accepts is never refused,
// and the one documented difference (create's lookup of an existing address modulo case and whitespace) is exactly
// what it is said to be. The generators are the Effect 3 suite's, on fast-check itself (effect 4 has no FastCheck).
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import type { Validation } from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import type * as PlatformUsersWire from "@chatwoot-effect/core/PlatformUsersWire"
import { UserId } from "@chatwoot-effect/core/User"
import * as UserPayload from "@chatwoot-effect/core/UserPayload"
import * as UserRules from "@chatwoot-effect/core/UserRules"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as FastCheck from "fast-check"

const TOKEN = "PropertiesAppToken000001"
const SEEDED_EMAIL = "seeded.owner@seeded-example.org"
const SEEDED_NAME = "Seeded Owner"

// One app and one seeded user it manages (id 1), as the Effect 3 suite seeds the in-memory server.
const seed = Result.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "app", token: TOKEN }],
  users: [{ id: 1, name: SEEDED_NAME, email: SEEDED_EMAIL, password: "Password1!", apps: ["app"] }]
}))

// ---------------------------------------------------------------------------------------------------------------
// Generators

const join = (chars: ReadonlyArray<string>) => chars.join("")

const upper = FastCheck.constantFrom(..."ABCXYZ")
const lower = FastCheck.constantFrom(..."abcxyz")
const digit = FastCheck.constantFrom(..."0189")
const special = FastCheck.constantFrom(...UserRules.PASSWORD_SPECIALS)
// Characters Chatwoot's password policy does not know: accents, other scripts, currency signs, controls, Unicode
// spaces and astral code points (one character each for Ruby's `length`, two UTF-16 units for JS).
const unknown = FastCheck.constantFrom(
  "é",
  "ß",
  "Σ",
  "İ",
  "£",
  "€",
  "\t",
  "\n",
  "\r",
  "\u00a0",
  "\u2028",
  "\u3000",
  "\ufeff",
  "😀",
  "𝔸",
  "\u{10ffff}"
)

const passwordChar = FastCheck.oneof(
  { arbitrary: upper, weight: 3 },
  { arbitrary: lower, weight: 3 },
  { arbitrary: digit, weight: 2 },
  { arbitrary: special, weight: 2 },
  { arbitrary: unknown, weight: 1 }
)

// Lengths cluster on the policy's bounds: 5/6 and 128/129 characters.
const passwordLength = FastCheck.oneof(
  FastCheck.constantFrom(0, 1, 5, 6, 7, 127, 128, 129, 130),
  FastCheck.integer({ min: 0, max: 140 })
)

const password: FastCheck.Arbitrary<string> = FastCheck.oneof(
  {
    arbitrary: passwordLength.chain((n) => FastCheck.array(passwordChar, { minLength: n, maxLength: n })).map(join),
    weight: 6
  },
  // All four classes, padded to 5/6/7 or 128/129/130 characters with a letter or an astral (unknown) character.
  {
    arbitrary: FastCheck.tuple(
      FastCheck.constantFrom(1, 2, 3, 124, 125, 126),
      special,
      FastCheck.constantFrom("b", "😀")
    )
      .map(([pad, s, filler]) => `aA1${s}${filler.repeat(pad)}`),
    weight: 2
  },
  { arbitrary: FastCheck.string({ unit: "binary", maxLength: 140 }), weight: 1 },
  { arbitrary: FastCheck.constantFrom("", " ", "Password1!", "Pass word1", "password", "Pässword1!"), weight: 1 }
)

const whitespace = FastCheck.constantFrom(" ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "\u3000", "\ufeff", "\u2028")
// What Ruby's `strip` removes (Unicode spaces are part of the address for Chatwoot).
const rubyWhitespace = FastCheck.constantFrom(" ", "\t", "\n", "\r", "\v", "\f")
const rare = <A>(common: FastCheck.Arbitrary<A>, odd: FastCheck.Arbitrary<A>) =>
  FastCheck.oneof({ arbitrary: common, weight: 9 }, { arbitrary: odd, weight: 1 })

// Mostly well-formed addresses with a rare flaw in each part, so valid and invalid ones both come up often.
const localPart = FastCheck.array(
  rare(
    FastCheck.constantFrom(..."abcXYZ019.+_-!#%'"),
    FastCheck.constantFrom("é", "Σ", "İ", "😀", "@", " ", "\t", "\n", "\u00a0", "\u3000")
  ),
  { minLength: 1, maxLength: 10 }
).map(join)
const domainLabel = rare(
  FastCheck.array(FastCheck.constantFrom(..."abcXYZ0189-"), { minLength: 1, maxLength: 8 }).map(join),
  FastCheck.constantFrom("", "é", "a_b", "a b", "😀", "xn--bcher-kva")
)
const tld = rare(
  FastCheck.array(FastCheck.constantFrom(..."comORGk"), { minLength: 2, maxLength: 4 }).map(join),
  FastCheck.constantFrom("", "c", "c1", "é", "co\u00a0", "\u212a\u212a")
)

const structuredEmail = FastCheck.tuple(
  localPart,
  rare(FastCheck.constant("@"), FastCheck.constantFrom("", "@@", " @")),
  FastCheck.array(domainLabel, { minLength: 1, maxLength: 3 }),
  tld
).map(([local, at, labels, top]) => `${local}${at}${[...labels, top].join(".")}`)

const email: FastCheck.Arbitrary<string> = FastCheck.oneof(
  { arbitrary: structuredEmail, weight: 6 },
  {
    arbitrary: FastCheck.tuple(whitespace, structuredEmail, whitespace).map(([before, e, after]) => before + e + after),
    weight: 2
  },
  { arbitrary: FastCheck.string({ unit: "binary", maxLength: 30 }), weight: 1 },
  { arbitrary: FastCheck.constantFrom("", " ", "\t\n", "foo", "foo@bar", "Foo@Example.COM", "a@b.co"), weight: 1 }
)

// Fresh: never the seeded user's address, whatever the normalisation.
const isFresh = (value: string) =>
  !value.toLowerCase().includes(SEEDED_EMAIL) && UserRules.normalizeEmail(value) !== SEEDED_EMAIL

// ---------------------------------------------------------------------------------------------------------------
// The two sides

interface Verdict {
  /** `undefined` when accepted. */
  readonly attributes: ReadonlyArray<string> | undefined
  /** Distinct `field/rule` pairs. */
  readonly rules: ReadonlyArray<string>
}

const rulesOf = (violations: ReadonlyArray<{ readonly field: string; readonly rule: string }>) =>
  Array.from(new Set(violations.map((v) => `${v.field}/${v.rule}`))).sort()

const fromClient = (result: Result.Result<unknown, Validation>): Verdict =>
  Result.match(result, {
    onFailure: (error) => ({ attributes: error.attributes, rules: rulesOf(error.issues) }),
    onSuccess: () => ({ attributes: undefined, rules: [] })
  })

// The raw payload travels as the JSON text a client bypassing the checks would send.
const rawParams = (body: Record<string, unknown>) =>
  Result.getOrThrow(PlatformUsersMemory.requestParams({
    contentType: "application/json",
    body: JSON.stringify(body),
    search: ""
  }))

// A 422 is the only failure a fresh email with a name can meet; anything else fails the property.
const fromServer = (result: Result.Result<unknown, PlatformUsersWire.ServerFailure>): Verdict => {
  if (Result.isSuccess(result)) return { attributes: undefined, rules: [] }
  const failure = result.failure
  if (failure._tag !== "RecordInvalid") throw new Error(`server answered ${failure._tag}, not 200 or 422`)
  return { attributes: UserRules.attributesOf(failure.violations), rules: rulesOf(failure.violations) }
}

// The in-memory server needs nothing asynchronous: one plain run per case.
const run = <A, E>(effect: Effect.Effect<A, E>): A => Effect.runSync(effect)

const updatePayload = (email: string | undefined, password: string | undefined): UserPayload.UpdateUserPayload => ({
  ...(email === undefined ? {} : { email }),
  ...(password === undefined ? {} : { password: Redacted.make(password) })
})

const runs = { numRuns: 500 }

describe("Properties: client validation agrees with the server's (Effect 4)", () => {
  it("update: the client rejects exactly when the engine answers 422, with the same attributes and rules", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.option(email, { nil: undefined }),
        FastCheck.option(password, { nil: undefined }),
        (email, password) => {
          FastCheck.pre(email === undefined || isFresh(email))
          const fields = {
            ...(email === undefined ? {} : { email }),
            ...(password === undefined ? {} : { password })
          }
          const client = fromClient(UserPayload.validateUpdate(updatePayload(email, password)))
          const server = run(Effect.gen(function*() {
            const memory = yield* PlatformUsersMemory.make({ seed })
            return fromServer(
              yield* Effect.result(memory.execute(TOKEN, { operation: "update", id: "1", params: rawParams(fields) }))
            )
          }))
          assert.deepStrictEqual(client, server)
        }
      ),
      runs
    )
  })

  it("create: the client rejects exactly when the engine answers 422, with the same attributes and rules", () => {
    FastCheck.assert(
      FastCheck.property(email, password, (email, password) => {
        FastCheck.pre(isFresh(email))
        const client = fromClient(UserPayload.validateCreate({ name: "N", email, password: Redacted.make(password) }))
        const server = run(Effect.gen(function*() {
          const memory = yield* PlatformUsersMemory.make({ seed })
          return fromServer(
            yield* Effect.result(
              memory.execute(TOKEN, { operation: "create", params: rawParams({ name: "N", email, password }) })
            )
          )
        }))
        assert.deepStrictEqual(client, server)
      }),
      runs
    )
  })

  it("the client's messages never quote the password", () => {
    FastCheck.assert(
      // Marked so that the password cannot be one of the message's own words ("password", "Password must...").
      FastCheck.property(password.map((p) => `Zq${p}9`), (password) => {
        const result = UserPayload.validateUpdate({ password: Redacted.make(password) })
        if (Result.isSuccess(result)) return
        for (const text of [result.failure.message, JSON.stringify(result.failure)]) assert.notInclude(text, password)
      }),
      runs
    )
  })

  it("through the typed in-memory layer: a payload the client accepts is never refused by the server (fresh email)", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.option(email, { nil: undefined }),
        FastCheck.option(password, { nil: undefined }),
        (email, password) =>
          run(
            Effect.gen(function*() {
              FastCheck.pre(email === undefined || isFresh(email))
              const payload = updatePayload(email, password)
              const client = fromClient(UserPayload.validateUpdate(payload))
              const users = yield* PlatformUsers
              const updated = yield* Effect.result(users.update(UserId.make(1), payload))
              if (client.attributes === undefined) {
                assert.isTrue(Result.isSuccess(updated), "the server refused what the client accepted")
              } else {
                if (Result.isSuccess(updated) || updated.failure._tag !== "Validation") {
                  return assert.fail("expected a Validation")
                }
                // Caught before sending: the server never saw it.
                assert.strictEqual(updated.failure.source, "client")
                assert.deepStrictEqual(updated.failure.attributes, client.attributes)
              }
              const create = {
                name: "N",
                email: email ?? "fresh@example.com",
                password: Redacted.make(password ?? "Password1!")
              }
              const created = yield* Effect.result(users.create(create))
              const accepted = fromClient(UserPayload.validateCreate(create)).attributes === undefined
              assert.strictEqual(Result.isSuccess(created), accepted)
            }).pipe(Effect.provide(PlatformUsersMemory.layer({ seed })))
          )
      ),
      runs
    )
  })

  // The one legitimate difference. Chatwoot's create first looks the email up with `downcase` but no `strip`
  // (`User.from_email`), and only then normalises (strip + downcase) and validates. The client sends the normalised
  // email. So for an address that is an existing user's modulo case and surrounding whitespace:
  // - the client checks the password and, when it passes, sends the stripped address: the lookup finds the user and
  //   the answer is that user, unchanged (200);
  // - the raw server, given the address with its whitespace, misses the lookup and answers 422 "Email has already
  //   been taken" three times (plus any password errors); given it without whitespace, it finds the user and returns
  //   it whatever the password (the password is ignored for an existing user), where the client may refuse.
  it("create with an existing address modulo case and whitespace: the documented lookup difference, exactly", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.array(rubyWhitespace, { maxLength: 2 }).map(join),
        FastCheck.array(FastCheck.boolean(), { minLength: SEEDED_EMAIL.length, maxLength: SEEDED_EMAIL.length }),
        FastCheck.array(rubyWhitespace, { maxLength: 2 }).map(join),
        password,
        (before, uppercase, after, password) =>
          run(
            Effect.gen(function*() {
              const cased = Array.from(SEEDED_EMAIL, (c, i) => uppercase[i] ? c.toUpperCase() : c).join("")
              const raw = `${before}${cased}${after}`
              const memory = yield* PlatformUsersMemory.PlatformUsersMemory
              const server = yield* Effect.result(
                memory.execute(TOKEN, {
                  operation: "create",
                  params: rawParams({ name: "Other", email: raw, password })
                })
              )
              const passwordIssues = UserRules.passwordViolations(password)
              if (raw.toLowerCase() === SEEDED_EMAIL) {
                assert.isTrue(Result.isSuccess(server), "an exact (case-insensitive) match returns the existing user")
              } else {
                const verdict = fromServer(server)
                assert.deepStrictEqual(
                  verdict.attributes,
                  passwordIssues.length === 0 ? ["email"] : ["email", "password"]
                )
                if (Result.isFailure(server) && server.failure._tag === "RecordInvalid") {
                  assert.deepStrictEqual(server.failure.violations.filter((v) => v.rule === "taken").length, 3)
                }
              }
              const users = yield* PlatformUsers
              const typed = yield* Effect.result(
                users.create({ name: "Other", email: raw, password: Redacted.make(password) })
              )
              if (passwordIssues.length === 0) {
                assert.isTrue(Result.isSuccess(typed))
                if (Result.isSuccess(typed)) {
                  assert.strictEqual(typed.success.id, 1)
                  assert.strictEqual(typed.success.name, SEEDED_NAME)
                }
              } else {
                assert.isTrue(
                  Result.isFailure(typed) && typed.failure._tag === "Validation" && typed.failure.source === "client"
                )
              }
            }).pipe(Effect.provide(PlatformUsersMemory.layer({ seed })))
          )
      ),
      { numRuns: 200 }
    )
  })
})
