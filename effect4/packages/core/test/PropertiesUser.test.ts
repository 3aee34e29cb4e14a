// Properties of the Effect 4 `User` schema: it decodes every user the in-memory server's engine can render and every
// object shaped like the published spec's `components.schemas.user` (with extra fields), and encode-then-decode is
// the identity on what Chatwoot renders.
// The generators are the Effect 3 suite's, on fast-check itself (effect 4 has no FastCheck).
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import { User } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as FastCheck from "fast-check"

const APP = "PropertiesUserAppToken01"

const run = <A, E>(effect: Effect.Effect<A, E>): A => Effect.runSync(effect)

const decodeUser = Schema.decodeUnknownResult(User)

// Each property runs on 300 generated values, as in the Effect 3 suite.
const prop = <A>(name: string, arbitrary: FastCheck.Arbitrary<A>, predicate: (value: A) => void) =>
  it(name, () => FastCheck.assert(FastCheck.property(arbitrary, predicate), { numRuns: 300 }))

// Any JSON object, nested, with the awkward keys too (`__proto__`, empty, Unicode).
const jsonKey = FastCheck.oneof(
  FastCheck.string({ maxLength: 6 }),
  FastCheck.constantFrom("__proto__", "constructor", "", "é", "😀", "a.b", "0")
)
const customAttributes = FastCheck.dictionary(jsonKey, FastCheck.jsonValue({ maxDepth: 4 }), { maxKeys: 5 })

const isoDate = FastCheck.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z") })
  .filter((d) => !Number.isNaN(d.getTime()))
  .map((d) => d.toISOString())

const membership = FastCheck.record({
  id: FastCheck.integer({ min: 1, max: 2 ** 31 - 1 }),
  name: FastCheck.string({ unit: "binary", maxLength: 20 }),
  role: FastCheck.constantFrom("agent" as const, "administrator" as const),
  active_at: FastCheck.option(isoDate, { nil: null })
})

describe("Properties: User decodes what the emulator renders", () => {
  prop(
    "a user with arbitrary names, custom_attributes and memberships renders to JSON that decodes to the same user",
    FastCheck.tuple(
      FastCheck.string({ unit: "binary", maxLength: 30 }),
      FastCheck.option(FastCheck.string({ unit: "binary", maxLength: 30 }), { nil: null }),
      customAttributes,
      FastCheck.uniqueArray(membership, { selector: (m) => m.id, maxLength: 4 }),
      FastCheck.option(customAttributes, { nil: undefined })
    ),
    ([name, displayName, custom, memberships, update]) =>
      run(Effect.gen(function*() {
        const memory = yield* PlatformUsersMemory.make({ platformTokens: [APP] })
        const seeded = yield* memory.addUser({
          name,
          display_name: displayName,
          email: "someone@example.com",
          custom_attributes: custom,
          apps: ["platform-app-1"],
          accounts: memberships
        })
        const id = String(seeded.id)
        const answers = [(yield* memory.execute(APP, { operation: "get", id })).body]
        // The merge path too: params as Rails reads them (deep munge, jsonb key order), then rendered.
        if (update !== undefined) {
          const params = Result.getOrThrow(PlatformUsersMemory.requestParams({
            contentType: "application/json",
            body: JSON.stringify({ name, display_name: displayName, custom_attributes: update }),
            search: ""
          }))
          answers.push((yield* memory.execute(APP, { operation: "update", id, params })).body)
        }
        for (const body of answers) {
          const raw = JSON.parse(body)
          const user = decodeUser(raw)
          assert.isTrue(Result.isSuccess(user), Result.isFailure(user) ? user.failure.message : "")
          if (Result.isFailure(user)) return
          assert.strictEqual(user.success.id, seeded.id)
          assert.strictEqual(user.success.name, name)
          assert.strictEqual(user.success.display_name, displayName)
          assert.deepStrictEqual(user.success.custom_attributes, raw.custom_attributes)
          assert.strictEqual(user.success.account_id, raw.account_id)
          assert.deepStrictEqual(
            user.success.accounts.map((a) => [a.id, a.name, a.role, a.active_at]),
            memberships.map((m) => [m.id, m.name, m.role, m.active_at])
          )
          // Encoding gives back what the server sent: every key, every null, in the server's order.
          assert.strictEqual(JSON.stringify(Schema.encodeSync(User)(user.success)), JSON.stringify(raw))
        }
      }))
  )
})

// `components.schemas.user` of Chatwoot's platform_swagger.json, with BEHAVIOUR.md's corrections: ids are integers
// (the spec says `number`), `account_id` and `role` may be null, and `id`, `email` and `name` are always sent (the
// spec marks nothing required). Every other field may be absent, and unknown fields are added at both levels.
const extraFields = FastCheck.dictionary(
  FastCheck.string({ minLength: 1, maxLength: 8 }).map((k) => `x_${k}`),
  FastCheck.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 }
)

const specAccount = FastCheck.tuple(
  FastCheck.record({
    id: FastCheck.integer({ min: 1, max: 2 ** 31 - 1 }),
    name: FastCheck.string(),
    status: FastCheck.string(),
    active_at: isoDate,
    role: FastCheck.constantFrom("administrator", "agent"),
    permissions: FastCheck.array(FastCheck.string(), { maxLength: 3 }),
    availability: FastCheck.string(),
    availability_status: FastCheck.string(),
    auto_offline: FastCheck.boolean(),
    custom_role_id: FastCheck.option(FastCheck.integer({ min: 1 }), { nil: null }),
    custom_role: FastCheck.option(FastCheck.dictionary(FastCheck.string(), FastCheck.jsonValue({ maxDepth: 1 })), {
      nil: null
    })
  }, { requiredKeys: ["id", "name"] }),
  extraFields
).map(([account, extra]) => ({ ...extra, ...account }))

const specUser = FastCheck.tuple(
  FastCheck.record({
    id: FastCheck.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    access_token: FastCheck.string(),
    account_id: FastCheck.option(FastCheck.integer({ min: 1, max: 2 ** 31 - 1 }), { nil: null }),
    available_name: FastCheck.string(),
    avatar_url: FastCheck.oneof(FastCheck.constant(""), FastCheck.webUrl()),
    confirmed: FastCheck.boolean(),
    display_name: FastCheck.option(FastCheck.string(), { nil: null }),
    message_signature: FastCheck.option(FastCheck.string(), { nil: null }),
    email: FastCheck.emailAddress(),
    hmac_identifier: FastCheck.string(),
    inviter_id: FastCheck.integer({ min: 1 }),
    name: FastCheck.string(),
    provider: FastCheck.constantFrom("email", "google", "saml"),
    pubsub_token: FastCheck.string(),
    role: FastCheck.constantFrom("agent", "administrator", null),
    ui_settings: FastCheck.dictionary(FastCheck.string(), FastCheck.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    uid: FastCheck.string(),
    type: FastCheck.option(FastCheck.constantFrom("SuperAdmin", "User"), { nil: null }),
    custom_attributes: customAttributes,
    accounts: FastCheck.array(specAccount, { maxLength: 3 })
  }, { requiredKeys: ["id", "email", "name"] }),
  extraFields
).map(([user, extra]) => ({ ...extra, ...user }))

// The JSON text a server would send, read back: what a client decodes.
const overTheWire = (value: unknown): any => JSON.parse(JSON.stringify(value))

describe("Properties: User decodes responses shaped like the published spec", () => {
  prop("any spec-shaped user (extra fields included) decodes, keeping every known field", specUser, (raw) => {
    const input = overTheWire(raw)
    const user = decodeUser(input)
    assert.isTrue(Result.isSuccess(user), Result.isFailure(user) ? user.failure.message : "")
    if (Result.isFailure(user)) return
    assert.strictEqual(user.success.id, input.id)
    assert.strictEqual(user.success.email, input.email)
    assert.strictEqual(user.success.name, input.name)
    assert.strictEqual(user.success.role, input.role)
    assert.strictEqual(user.success.account_id, input.account_id)
    assert.strictEqual(user.success.display_name, input.display_name)
    assert.strictEqual(user.success.message_signature, input.message_signature)
    assert.deepStrictEqual(user.success.custom_attributes, input.custom_attributes)
    assert.deepStrictEqual(user.success.ui_settings, input.ui_settings)
    assert.deepStrictEqual(
      user.success.accounts.map((a) => ({ id: a.id, name: a.name, active_at: a.active_at, role: a.role })),
      (input.accounts ?? []).map((a: any) => ({ id: a.id, name: a.name, active_at: a.active_at, role: a.role }))
    )
    // Unknown fields are dropped, not kept.
    assert.isFalse(Object.keys(Schema.encodeSync(User)(user.success)).some((key) => key.startsWith("x_")))
  })
})

// A user exactly as `_user.json.jbuilder` renders it (BEHAVIOUR.md §5): every key, in the server's order, the
// nullable ones `null` or not, `custom_attributes` only when non-empty.
const chatwootAccount = FastCheck.record({
  id: FastCheck.integer({ min: 1, max: 2 ** 31 - 1 }),
  name: FastCheck.string(),
  active_at: FastCheck.option(isoDate, { nil: null }),
  role: FastCheck.constantFrom("agent", "administrator")
}).map(({ active_at, id, name, role }) => ({ id, name, active_at, role }))

const chatwootUser = FastCheck.record({
  access_token: FastCheck.string({ minLength: 24, maxLength: 24 }),
  account_id: FastCheck.option(FastCheck.integer({ min: 1, max: 2 ** 31 - 1 }), { nil: null }),
  avatar_url: FastCheck.oneof(FastCheck.constant(""), FastCheck.webUrl()),
  confirmed: FastCheck.boolean(),
  display_name: FastCheck.option(FastCheck.string(), { nil: null }),
  message_signature: FastCheck.option(FastCheck.string(), { nil: null }),
  email: FastCheck.emailAddress(),
  id: FastCheck.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  name: FastCheck.string(),
  pubsub_token: FastCheck.string({ minLength: 24, maxLength: 24 }),
  custom_attributes: customAttributes,
  role: FastCheck.constantFrom("agent", "administrator", null),
  ui_settings: FastCheck.dictionary(jsonKey, FastCheck.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  accounts: FastCheck.array(chatwootAccount, { maxLength: 3 })
}).map((user) => ({
  access_token: user.access_token,
  account_id: user.account_id,
  available_name: user.display_name !== null && user.display_name.trim() !== "" ? user.display_name : user.name,
  avatar_url: user.avatar_url,
  confirmed: user.confirmed,
  display_name: user.display_name,
  message_signature: user.message_signature,
  email: user.email,
  id: user.id,
  name: user.name,
  provider: "email",
  pubsub_token: user.pubsub_token,
  ...(Object.keys(user.custom_attributes).length > 0 ? { custom_attributes: user.custom_attributes } : {}),
  role: user.role,
  ui_settings: user.ui_settings,
  uid: user.email,
  accounts: user.accounts
}))

describe("Properties: User round-trips", () => {
  prop(
    "a Chatwoot-shaped user: encode(decode(x)) is x, every key, every null, in the server's order",
    chatwootUser,
    (raw) => {
      const text = JSON.stringify(raw)
      const user = Schema.decodeUnknownSync(User)(JSON.parse(text))
      assert.strictEqual(JSON.stringify(Schema.encodeSync(User)(user)), text)
    }
  )

  it.prop(
    "Schema.encode(User) then decode gives an equal value (arbitraries derived from the schema)",
    [Arbitrary.schema(User)],
    ([user]) => {
      const encoded = Schema.encodeSync(User)(user)
      const decoded = Schema.decodeUnknownSync(User)(encoded)
      assert.deepStrictEqual(decoded, user)
    }
  )

  prop("a spec-shaped user: decode, encode, decode gives the same value", specUser, (raw) => {
    const once = Schema.decodeUnknownSync(User)(overTheWire(raw))
    const twice = Schema.decodeUnknownSync(User)(overTheWire(Schema.encodeSync(User)(once)))
    assert.deepStrictEqual(twice, once)
  })
})
