// Property: the client's checks (`UserPayload.validateCreate` / `validateUpdate`) and the server's (the engine behind
// the in-memory layer and the emulator) agree on generated emails and passwords: the client rejects exactly when the
// server, asked with the raw payload and a fresh email, answers 422, and both name the same attributes and rules.
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import type { Validation } from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import type * as PlatformUsersWire from "@chatwoot-effect/core/PlatformUsersWire"
import { UserId } from "@chatwoot-effect/core/User"
import * as UserPayload from "@chatwoot-effect/core/UserPayload"
import * as UserRules from "@chatwoot-effect/core/UserRules"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Redacted from "effect/Redacted"

const APP = "PropertiesAppToken000001"
const SEEDED_EMAIL = "seeded.owner@seeded-example.org"
const SEEDED_NAME = "Seeded Owner"

const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "app", token: APP }],
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

const fromClient = (result: Either.Either<unknown, Validation>): Verdict =>
  Either.match(result, {
    onLeft: (error) => ({ attributes: error.attributes, rules: rulesOf(error.issues) }),
    onRight: () => ({ attributes: undefined, rules: [] })
  })

// A 422 is the only failure a fresh email with a name can meet; anything else fails the property.
const fromServer = (result: Either.Either<unknown, PlatformUsersWire.ServerFailure>): Verdict => {
  if (Either.isRight(result)) return { attributes: undefined, rules: [] }
  const failure = result.left
  if (failure._tag !== "RecordInvalid") throw new Error(`server answered ${failure._tag}, not 200 or 422`)
  return {
    attributes: UserRules.attributesOf(failure.violations),
    rules: rulesOf(failure.violations)
  }
}

// The raw payload travels as the JSON text a client bypassing the checks would send.
const rawParams = (body: Record<string, unknown>) =>
  Either.getOrThrow(PlatformUsersMemory.requestParams({
    contentType: "application/json",
    body: JSON.stringify(body),
    search: ""
  }))

const optionalFields = (fields: { readonly email?: string | undefined; readonly password?: string | undefined }) => ({
  ...(fields.email === undefined ? {} : { email: fields.email }),
  ...(fields.password === undefined ? {} : { password: fields.password })
})

// `it.prop` is synchronous and the in-memory server needs nothing asynchronous: one plain run per case, without the
// cost of a test runtime per case that `it.effect.prop` pays.
const run = <A, E>(effect: Effect.Effect<A, E>): A => Effect.runSync(effect)

const updatePayload = (email: string | undefined, password: string | undefined): UserPayload.UpdateUserPayload => ({
  ...(email === undefined ? {} : { email }),
  ...(password === undefined ? {} : { password: Redacted.make(password) })
})

const fuzz = { fastCheck: { numRuns: 500 } }

describe("Properties: client validation agrees with the server's", () => {
  it.prop(
    "update: the client rejects exactly when the engine answers 422, with the same attributes and rules",
    [FastCheck.option(email, { nil: undefined }), FastCheck.option(password, { nil: undefined })],
    ([email, password]) =>
      run(Effect.gen(function*() {
        FastCheck.pre(email === undefined || isFresh(email))
        const memory = yield* PlatformUsersMemory.make({ seed })
        const fields = optionalFields({ email, password })
        const client = fromClient(UserPayload.validateUpdate(updatePayload(email, password)))
        const server = fromServer(
          yield* Effect.either(memory.execute(APP, { operation: "update", id: "1", params: rawParams(fields) }))
        )
        assert.deepStrictEqual(client, server)
      })),
    fuzz
  )

  it.prop(
    "create: the client rejects exactly when the engine answers 422, with the same attributes and rules",
    [email, password],
    ([email, password]) =>
      run(Effect.gen(function*() {
        FastCheck.pre(isFresh(email))
        const memory = yield* PlatformUsersMemory.make({ seed })
        const client = fromClient(UserPayload.validateCreate({ name: "N", email, password: Redacted.make(password) }))
        const server = fromServer(
          yield* Effect.either(
            memory.execute(APP, { operation: "create", params: rawParams({ name: "N", email, password }) })
          )
        )
        assert.deepStrictEqual(client, server)
      })),
    fuzz
  )

  it.prop(
    "through the typed in-memory layer: a payload the client accepts is never refused by the server (fresh email)",
    [FastCheck.option(email, { nil: undefined }), FastCheck.option(password, { nil: undefined })],
    ([email, password]) =>
      run(
        Effect.gen(function*() {
          FastCheck.pre(email === undefined || isFresh(email))
          const payload = updatePayload(email, password)
          const client = fromClient(UserPayload.validateUpdate(payload))
          const users = yield* PlatformUsers
          const exit = yield* Effect.exit(users.update(UserId.make(1), payload))
          if (client.attributes === undefined) {
            assert.isTrue(Exit.isSuccess(exit), "the server refused what the client accepted")
          } else {
            assert.isTrue(Exit.isFailure(exit))
            const error = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : undefined
            assert.strictEqual(error?._tag, "Some")
            if (error?._tag !== "Some" || error.value._tag !== "Validation") return assert.fail("expected a Validation")
            // Caught before sending: the server never saw it.
            assert.strictEqual(error.value.source, "client")
            assert.deepStrictEqual(error.value.attributes, client.attributes)
          }
          const create = {
            name: "N",
            email: email ?? "fresh@example.com",
            password: Redacted.make(password ?? "Password1!")
          }
          const created = yield* Effect.exit(users.create(create))
          const accepted = fromClient(UserPayload.validateCreate(create)).attributes === undefined
          assert.strictEqual(Exit.isSuccess(created), accepted)
        }).pipe(Effect.provide(PlatformUsersMemory.layer({ seed })))
      ),
    fuzz
  )

  // The one legitimate difference. Chatwoot's create first looks the email up with `downcase` but no `strip`
  // (`User.from_email`), and only then normalises (strip + downcase) and validates. The client sends the normalised
  // email. So for an address that is an existing user's modulo case and surrounding whitespace:
  // - the client checks the password and, when it passes, sends the stripped address: the lookup finds the user and
  //   the answer is that user, unchanged (200);
  // - the raw server, given the address with its whitespace, misses the lookup and answers 422 "Email has already
  //   been taken" three times (plus any password errors); given it without whitespace, it finds the user and returns
  //   it whatever the password (the password is ignored for an existing user), where the client may refuse.
  it.prop(
    "create with an existing address modulo case and whitespace: the documented lookup difference, exactly",
    [
      FastCheck.array(rubyWhitespace, { maxLength: 2 }).map(join),
      FastCheck.array(FastCheck.boolean(), { minLength: SEEDED_EMAIL.length, maxLength: SEEDED_EMAIL.length }),
      FastCheck.array(rubyWhitespace, { maxLength: 2 }).map(join),
      password
    ],
    ([before, uppercase, after, password]) =>
      run(
        Effect.gen(function*() {
          const cased = Array.from(SEEDED_EMAIL, (c, i) => uppercase[i] ? c.toUpperCase() : c).join("")
          const raw = `${before}${cased}${after}`
          const memory = yield* PlatformUsersMemory.PlatformUsersMemory
          const server = yield* Effect.either(
            memory.execute(APP, { operation: "create", params: rawParams({ name: "Other", email: raw, password }) })
          )
          const passwordIssues = UserRules.passwordViolations(password)
          if (raw.toLowerCase() === SEEDED_EMAIL) {
            assert.isTrue(Either.isRight(server), "an exact (case-insensitive) match returns the existing user")
          } else {
            const verdict = fromServer(server)
            assert.deepStrictEqual(verdict.attributes, passwordIssues.length === 0 ? ["email"] : ["email", "password"])
            if (Either.isLeft(server) && server.left._tag === "RecordInvalid") {
              assert.deepStrictEqual(server.left.violations.filter((v) => v.rule === "taken").length, 3)
            }
          }
          const users = yield* PlatformUsers
          const typed = yield* Effect.either(
            users.create({ name: "Other", email: raw, password: Redacted.make(password) })
          )
          if (passwordIssues.length === 0) {
            assert.isTrue(Either.isRight(typed))
            if (Either.isRight(typed)) {
              assert.strictEqual(typed.right.id, 1)
              assert.strictEqual(typed.right.name, SEEDED_NAME)
            }
          } else {
            assert.isTrue(Either.isLeft(typed) && typed.left._tag === "Validation" && typed.left.source === "client")
          }
        }).pipe(Effect.provide(PlatformUsersMemory.layer({ seed })))
      ),
    { fastCheck: { numRuns: 200 } }
  )
})
