// The compiled decoders and encoders against Schema's own: on every input they accept they give exactly Schema's
// output (values, classes, key order, presence of keys), and they accept every input Schema accepts (so the fast path
// is really taken).
import * as PlatformUsersWire from "@chatwoot-effect/core/PlatformUsersWire"
import { AccountMembership, SsoLink, User, UserToken } from "@chatwoot-effect/core/User"
import { CreateUserPayload, UpdateUserPayload } from "@chatwoot-effect/core/UserPayload"
import { assert, describe, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import type * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as CompiledSchema from "../src/internal/compiledSchema.js"

// A value as a comparable tree: the class of each object, its keys in order, the value under a `Redacted`.
const shape = (value: unknown): unknown => {
  if (Redacted.isRedacted(value)) return { redacted: shape(Redacted.value(value)) }
  if (Array.isArray(value)) return value.map(shape)
  if (typeof value === "object" && value !== null) {
    return {
      class: Object.getPrototypeOf(value)?.constructor?.name ?? null,
      entries: Object.keys(value).map((key) => [key, shape((value as Record<string, unknown>)[key])])
    }
  }
  return value
}

const realUser = {
  access_token: "6Zcqd4Qrgmz6PN8Vj4zBYPtW",
  account_id: 1,
  available_name: "Ada Lovelace",
  avatar_url: "",
  confirmed: true,
  display_name: null,
  message_signature: null,
  email: "ada.lovelace@example.com",
  id: 4242,
  name: "Ada Lovelace",
  provider: "email",
  pubsub_token: "mN3x8kQ2ZrT7vYc1pL9sW4dE",
  custom_attributes: { department: "engineering", __proto__: "kept", nested: [1, { a: null }] },
  role: "agent",
  ui_settings: { rtl_view: false },
  uid: "ada.lovelace@example.com",
  accounts: [{ id: 1, name: "Acme Support", active_at: null, role: "agent" }]
}

// An own property even for "__proto__" (an assignment would set the prototype).
const setOwn = (target: object, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })

// Small changes to a valid answer: a key removed, a key set to any JSON (or `undefined`), an extra key.
const mutated = (base: FastCheck.Arbitrary<Record<string, unknown>>) =>
  FastCheck.tuple(
    base,
    FastCheck.array(
      FastCheck.tuple(
        FastCheck.constantFrom("remove", "set", "nested"),
        FastCheck.oneof(
          FastCheck.constantFrom(...Object.keys(realUser), "url", "expiry", "user", "__proto__"),
          FastCheck.string({ maxLength: 4 })
        ),
        FastCheck.oneof(FastCheck.jsonValue({ maxDepth: 2 }), FastCheck.constant(undefined))
      ),
      { maxLength: 3 }
    )
  ).map(([value, changes]) => {
    const copy: Record<string, unknown> = JSON.parse(JSON.stringify(value))
    for (const [change, key, replacement] of changes) {
      if (change === "remove") delete copy[key]
      else if (change === "set") setOwn(copy, key, replacement)
      // A change inside the first account, when there is one (an earlier change may have replaced `accounts`).
      else if (Array.isArray(copy.accounts) && typeof copy.accounts[0] === "object" && copy.accounts[0] !== null) {
        setOwn(copy.accounts[0], key, replacement)
      }
    }
    return copy
  })

// `optionalWith` in its forms, and a renamed key: property signature transformations in both directions.
const Optionals = Schema.Struct({
  nullable: Schema.optionalWith(Schema.String, { nullable: true }),
  defaulted: Schema.optionalWith(Schema.Number, { default: () => 1 }),
  exact: Schema.optionalWith(Schema.Boolean, { exact: true }),
  asOption: Schema.optionalWith(Schema.String, { as: "Option" }),
  renamed: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("renamed_key")),
  plain: Schema.String
})

// The compiled path and Schema agree on `input`, in one direction; so does the combined parser, errors included.
const agree = <A, I>(direction: "decode" | "encode", schema: Schema.Schema<A, I, never>, input: unknown) => {
  const options = { errors: "all" } as const
  const fast = CompiledSchema.compile(schema, options, direction)!
  const full: Either.Either<unknown, ParseResult.ParseError> = direction === "decode"
    ? Schema.decodeUnknownEither(schema, options)(input)
    : Schema.encodeUnknownEither(schema, options)(input)
  const compiled = fast(input)
  if (Either.isRight(full)) {
    assert.isDefined(compiled, "the compiled path accepts what Schema accepts")
    assert.deepStrictEqual(shape(compiled), shape(full.right))
  } else {
    assert.isUndefined(compiled, "the compiled path rejects what Schema rejects")
  }
  const combined: Either.Either<unknown, ParseResult.ParseError> = direction === "decode"
    ? CompiledSchema.decodeUnknownEither(schema, options)(input)
    : CompiledSchema.encodeEither(schema, options)(input as A)
  assert.deepStrictEqual(shape(combined), shape(full))
}
const check = <A, I>(schema: Schema.Schema<A, I, never>, input: unknown) => agree("decode", schema, input)
const checkEncode = <A, I>(schema: Schema.Schema<A, I, never>, input: unknown) => agree("encode", schema, input)

describe("internal/compiledSchema", () => {
  it("compiles every response schema of the wire contract, and the payload encoders", () => {
    for (const [operation, schema] of Object.entries(PlatformUsersWire.responseBodies)) {
      assert.isDefined(CompiledSchema.compile(schema as Schema.Schema<unknown, unknown>), operation)
    }
    for (const [operation, schema] of Object.entries(PlatformUsersWire.requestBodies)) {
      assert.isDefined(CompiledSchema.compile(schema as Schema.Schema<unknown, unknown>, {}, "encode"), operation)
    }
  })

  it("leaves schemas it does not handle to Schema", () => {
    const Tagged = Schema.Union(
      Schema.Struct({ kind: Schema.Literal("a"), a: Schema.String }),
      Schema.Struct({ kind: Schema.Literal("b") })
    )
    assert.isUndefined(CompiledSchema.compile(Tagged))
    // Options that change what structs give.
    assert.isUndefined(CompiledSchema.compile(User, { onExcessProperty: "error" }))
    assert.isUndefined(CompiledSchema.compile(User, { onExcessProperty: "preserve" }))
    assert.isUndefined(CompiledSchema.compile(User, { exact: true }))
    assert.isUndefined(CompiledSchema.compile(User, { propertyOrder: "original" }))
    assert.isDefined(CompiledSchema.compile(User, { onExcessProperty: "ignore", errors: "all" }))
    const decode = CompiledSchema.decodeUnknownEither(Tagged)
    assert.deepStrictEqual(decode({ kind: "a", a: "x", extra: 1 }), Either.right({ kind: "a" as const, a: "x" }))
  })

  it("a real answer: Schema's output, Chatwoot's nulls kept, accounts as classes", () => {
    check(User, realUser)
    const user = CompiledSchema.compile(User)!(realUser)!
    assert.instanceOf(user, User)
    assert.instanceOf(user.accounts[0], AccountMembership)
    assert.isNull(user.display_name)
    assert.isNull(user.accounts[0]!.active_at)
    assert.strictEqual(user.custom_attributes, realUser.custom_attributes)
    const fresh = { ...realUser, account_id: null, role: null, accounts: [] }
    check(User, fresh)
    assert.isNull(CompiledSchema.compile(User)!(fresh)!.account_id)
  })

  it.prop("User: encoding what the compiled path decodes gives the answer back, every null, in its key order", [
    Arbitrary.make(User)
  ], ([generated]) => {
    // An answer in the schema's key order (Chatwoot's), with the nulls and absent keys the arbitrary drew.
    const text = JSON.stringify(Schema.encodeSync(User)(generated))
    const user = CompiledSchema.compile(User)!(JSON.parse(text)) as User | undefined
    assert.isDefined(user)
    assert.strictEqual(JSON.stringify(Schema.encodeSync(User)(user!)), text)
  }, { fastCheck: { numRuns: 300 } })

  it.prop(
    "User: the same result as Schema on generated and altered answers",
    [
      mutated(Arbitrary.make(Schema.encodedSchema(User)) as FastCheck.Arbitrary<Record<string, unknown>>)
    ],
    ([input]) => check(User, input),
    { fastCheck: { numRuns: 300 } }
  )

  it.prop(
    "User: the same result as Schema on altered real answers",
    [
      mutated(FastCheck.constant(realUser))
    ],
    ([input]) => check(User, input),
    { fastCheck: { numRuns: 300 } }
  )

  it.prop("SsoLink and UserToken: the same result as Schema", [
    mutated(Arbitrary.make(Schema.encodedSchema(UserToken)) as FastCheck.Arbitrary<Record<string, unknown>>),
    mutated(Arbitrary.make(Schema.encodedSchema(SsoLink)) as FastCheck.Arbitrary<Record<string, unknown>>)
  ], ([token, link]) => {
    check(UserToken, token)
    check(SsoLink, link)
  }, { fastCheck: { numRuns: 200 } })

  it.prop("anything at all: the same result as Schema", [FastCheck.anything()], ([input]) => {
    check(User, input)
    check(UserToken, input)
  }, { fastCheck: { numRuns: 200 } })

  it.prop("payloads: the same encoding as Schema, password unwrapped, on generated and altered payloads", [
    Arbitrary.make(UpdateUserPayload),
    Arbitrary.make(CreateUserPayload),
    FastCheck.dictionary(
      FastCheck.constantFrom("name", "display_name", "email", "password", "custom_attributes", "other"),
      FastCheck.oneof(
        FastCheck.jsonValue({ maxDepth: 2 }),
        FastCheck.constant(undefined),
        FastCheck.string().map((text) => Redacted.make(text))
      )
    )
  ], ([update, create, altered]) => {
    checkEncode(UpdateUserPayload, update)
    checkEncode(CreateUserPayload, create)
    checkEncode(UpdateUserPayload, altered)
    checkEncode(CreateUserPayload, altered)
  }, { fastCheck: { numRuns: 300 } })

  it.prop("property transformations, both ways: the same result as Schema", [
    FastCheck.anything(),
    Arbitrary.make(Optionals),
    Arbitrary.make(Schema.encodedSchema(Optionals))
  ], ([anything, value, encoded]) => {
    checkEncode(Optionals, value)
    checkEncode(Optionals, anything)
    check(Optionals, encoded)
    check(Optionals, anything)
  }, { fastCheck: { numRuns: 300 } })

  it("a payload's password is sent as its value", () => {
    const encoded = CompiledSchema.compile(UpdateUserPayload, {}, "encode")!({
      name: "Dan",
      password: Redacted.make("Secret1!x"),
      extra: 1
    })
    assert.deepStrictEqual(encoded, { name: "Dan", password: "Secret1!x" })
  })
})
