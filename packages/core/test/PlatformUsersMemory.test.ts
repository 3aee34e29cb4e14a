import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as fs from "node:fs"
import * as path from "node:path"
import { PlatformUsers } from "../src/PlatformUsers.js"
import * as PlatformUsersMemory from "../src/PlatformUsersMemory.js"
import type * as PlatformUsersWire from "../src/PlatformUsersWire.js"
import { UserId } from "../src/User.js"
import { Messages } from "../src/UserRules.js"
import { Outcome, repositoryRoot } from "./support/edition.js"

const APP = "AppToken0000000000000001"
const OTHER = "AppToken0000000000000002"

const seed = (extra: ReadonlyArray<unknown> = []) =>
  Outcome.getOrThrow(PlatformUsersMemory.decodeSeed({
    apps: [{ name: "app", token: APP }, { name: "other", token: OTHER }],
    users: [
      {
        id: 1,
        name: "Dev",
        email: "dev+testing@chatwoot.com",
        password: "Password1!",
        custom_attributes: { test: "test" },
        apps: ["app"]
      },
      { id: 2, name: "Theirs", email: "theirs@example.com", password: "Password1!", apps: ["other"] },
      ...extra
    ]
  }))

const makeHandle = (options?: { readonly frontendUrl?: string; readonly extra?: ReadonlyArray<unknown> }) =>
  PlatformUsersMemory.make({ seed: seed(options?.extra), frontendUrl: options?.frontendUrl })

type Handle = PlatformUsersMemory.Handle

const ok = (handle: Handle, request: PlatformUsersMemory.Request, token = APP) =>
  Effect.map(handle.execute(token, request), (success) => success.body)

const okJson = (handle: Handle, request: PlatformUsersMemory.Request, token = APP) =>
  Effect.map(ok(handle, request, token), (body) => JSON.parse(body) as Record<string, any>)

const failure = (handle: Handle, request: PlatformUsersMemory.Request, token: string = APP) =>
  Effect.flip(handle.execute(token, request))

const invalid = (handle: Handle, request: PlatformUsersMemory.Request) =>
  Effect.map(failure(handle, request), (f) => {
    assert.strictEqual(f._tag, "RecordInvalid")
    const violations = (f as Extract<PlatformUsersWire.ServerFailure, { _tag: "RecordInvalid" }>).violations
    return {
      message: violations.map((v) => v.message).join(", "),
      attributes: Array.from(new Set(violations.map((v) => v.field)))
    }
  })

const create = (params: Record<string, unknown>) => ({ operation: "create" as const, params })
const update = (id: number | string, params: Record<string, unknown>) => ({
  operation: "update" as const,
  id: String(id),
  params
})
const get = (id: number | string) => ({ operation: "get" as const, id: String(id) })

const userKeys = [
  "access_token",
  "account_id",
  "available_name",
  "avatar_url",
  "confirmed",
  "display_name",
  "message_signature",
  "email",
  "id",
  "name",
  "provider",
  "pubsub_token",
  "custom_attributes",
  "role",
  "ui_settings",
  "uid",
  "accounts"
]

const passwordRules = [
  Messages.passwordUppercase,
  Messages.passwordLowercase,
  Messages.passwordNumber,
  Messages.passwordSpecial
]

describe("PlatformUsersMemory engine", () => {
  it.effect("create: a new user in Chatwoot's key order, confirmed, with generated tokens", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const body = yield* ok(
        handle,
        create({
          name: "test",
          display_name: "displaytest",
          email: "Test@Test.com",
          password: "Password1!",
          custom_attributes: { test: "test_create" }
        })
      )
      const json = JSON.parse(body)
      assert.deepStrictEqual(Object.keys(json), userKeys)
      assert.strictEqual(json.email, "test@test.com")
      assert.strictEqual(json.uid, "test@test.com")
      assert.strictEqual(json.id, 3)
      assert.strictEqual(json.available_name, "displaytest")
      assert.strictEqual(json.provider, "email")
      assert.strictEqual(json.confirmed, true)
      assert.strictEqual(json.avatar_url, "")
      assert.isNull(json.account_id)
      assert.isNull(json.role)
      assert.isNull(json.message_signature)
      assert.deepStrictEqual(json.ui_settings, {})
      assert.deepStrictEqual(json.accounts, [])
      assert.deepStrictEqual(json.custom_attributes, { test: "test_create" })
      assert.match(json.access_token, /^[1-9A-HJ-NP-Za-km-z]{24}$/)
      assert.match(json.pubsub_token, /^[1-9A-HJ-NP-Za-km-z]{24}$/)
      assert.notStrictEqual(json.access_token, json.pubsub_token)
      const stored = Option.getOrThrow(yield* handle.user(3))
      assert.deepStrictEqual(stored.apps, ["app"])
      assert.isTrue(yield* handle.passwordMatches(3, "Password1!"))
    }))

  it.effect("create: custom_attributes is omitted when empty, and a non-object is dropped", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const json = yield* okJson(
        handle,
        create({ name: "n", email: "n@example.com", password: "Password1!", custom_attributes: "nope" })
      )
      assert.deepStrictEqual(Object.keys(json), userKeys.filter((key) => key !== "custom_attributes"))
      assert.strictEqual(json.available_name, "n")
    }))

  it.effect("create: an existing email is returned unchanged, confirmed, and claimed by the calling app", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const before = Option.getOrThrow(yield* handle.user(2))
      const json = yield* okJson(
        handle,
        create({ name: "new name", email: "THEIRS@example.com", password: "x", custom_attributes: { a: 1 } })
      )
      assert.strictEqual(json.id, 2)
      assert.strictEqual(json.name, "Theirs")
      assert.isUndefined(json.custom_attributes)
      assert.strictEqual(json.access_token, before.access_token)
      assert.isTrue(yield* handle.passwordMatches(2, "Password1!"))
      const after = Option.getOrThrow(yield* handle.user(2))
      assert.deepStrictEqual(after.apps, ["app", "other"])
      // Now the calling app may manage it.
      assert.strictEqual((yield* okJson(handle, get(2))).id, 2)
    }))

  it.effect("create: the lookup does not strip whitespace but validation does: taken three times", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const result = yield* invalid(
        handle,
        create({ name: "x", email: " theirs@example.com ", password: "Password1!" })
      )
      assert.deepStrictEqual(result, {
        message: [Messages.emailTaken, Messages.emailTaken, Messages.emailTaken].join(", "),
        attributes: ["email"]
      })
      assert.strictEqual((yield* handle.users).length, 2)
    }))

  it.effect("create: an empty body lists email blank, the five password rules, email blank again", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const result = yield* invalid(handle, create({}))
      assert.deepStrictEqual(result, {
        message: [Messages.emailBlank, Messages.passwordTooShort, ...passwordRules, Messages.emailBlank].join(", "),
        attributes: ["email", "password"]
      })
    }))

  it.effect("create: a {user: {...}} wrapper is ignored entirely", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const result = yield* invalid(
        handle,
        create({ user: { name: "x", email: "x@example.com", password: "Password1!" } })
      )
      assert.deepStrictEqual(result.attributes, ["email", "password"])
    }))

  it.effect("create: a missing or null name is a 500, but only once validation passed", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const missing = yield* failure(handle, create({ email: "a@example.com", password: "Password1!" }))
      assert.deepStrictEqual(missing, { _tag: "InternalServerError" })
      const nullName = yield* failure(handle, create({ name: null, email: "a@example.com", password: "Password1!" }))
      assert.deepStrictEqual(nullName, { _tag: "InternalServerError" })
      const both = yield* invalid(handle, create({ email: "foo@bar", password: "Password1!" }))
      assert.deepStrictEqual(both, { message: Messages.emailNotAnEmail, attributes: ["email"] })
      assert.strictEqual((yield* handle.users).length, 2)
    }))

  it.effect("create: password rules name the invalid characters on the server", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const result = yield* invalid(handle, create({ name: "x", email: "x@example.com", password: "Pässword1!é" }))
      assert.strictEqual(result.message, "Password contains 2 invalid characters (äé)")
    }))

  it.effect("update: shallow-merges custom_attributes; null is stored; {} and non-objects change nothing", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* ok(handle, update(1, { custom_attributes: { nested: { a: 1, b: 2 }, keep: true } }))
      let json = yield* okJson(handle, update(1, { custom_attributes: { test: "test_update", nested: { c: 3 } } }))
      assert.deepStrictEqual(json.custom_attributes, { keep: true, test: "test_update", nested: { c: 3 } })
      json = yield* okJson(handle, update(1, { custom_attributes: { keep: null } }))
      assert.deepStrictEqual(json.custom_attributes, { keep: null, test: "test_update", nested: { c: 3 } })
      const same = yield* okJson(handle, update(1, { custom_attributes: {} }))
      assert.deepStrictEqual(same.custom_attributes, json.custom_attributes)
      const dropped = yield* okJson(handle, update(1, { custom_attributes: [1, 2] }))
      assert.deepStrictEqual(dropped.custom_attributes, json.custom_attributes)
    }))

  it.effect("update: custom_attributes come back in jsonb key order", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const body = yield* ok(handle, update(1, { custom_attributes: { bb: 1, a: 2, c: { zz: 1, y: 2 } } }))
      assert.include(body, "\"custom_attributes\":{\"a\":2,\"c\":{\"y\":2,\"zz\":1},\"bb\":1,\"test\":\"test\"}")
    }))

  it.effect("update: an email change applies at once, normalised, with uid following", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const json = yield* okJson(
        handle,
        update(1, { name: "test123", email: "  NewTestEmail@test.com ", custom_attributes: { test: "test_update" } })
      )
      assert.strictEqual(json.name, "test123")
      assert.strictEqual(json.email, "newtestemail@test.com")
      assert.strictEqual(json.uid, "newtestemail@test.com")
      assert.strictEqual(json.confirmed, true)
      assert.deepStrictEqual(json.custom_attributes, { test: "test_update" })
    }))

  it.effect("update: email messages, exactly as Chatwoot writes them", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const cases: ReadonlyArray<[unknown, string]> = [
        ["theirs@example.com", `${Messages.emailTaken}, ${Messages.emailTaken}`],
        ["foo", `${Messages.emailInvalid}, ${Messages.emailNotAnEmail}, ${Messages.emailInvalid}`],
        ["foo@bar", Messages.emailNotAnEmail],
        ["", `${Messages.emailBlank}, ${Messages.emailBlank}`],
        [null, `${Messages.emailBlank}, ${Messages.emailBlank}`]
      ]
      for (const [email, message] of cases) {
        assert.deepStrictEqual(yield* invalid(handle, update(1, { email })), { message, attributes: ["email"] })
      }
      // The same address in another case is no change at all.
      assert.strictEqual(
        (yield* okJson(handle, update(1, { email: "DEV+testing@chatwoot.com" }))).email,
        "dev+testing@chatwoot.com"
      )
    }))

  it.effect("update: a password change rotates pubsub_token but not access_token; null changes nothing", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const before = yield* okJson(handle, get(1))
      const unchanged = yield* okJson(handle, update(1, { password: null }))
      assert.strictEqual(unchanged.pubsub_token, before.pubsub_token)
      assert.isTrue(yield* handle.passwordMatches(1, "Password1!"))
      const after = yield* okJson(handle, update(1, { password: "NewPassword2@" }))
      assert.notStrictEqual(after.pubsub_token, before.pubsub_token)
      assert.strictEqual(after.access_token, before.access_token)
      assert.isTrue(yield* handle.passwordMatches(1, Redacted.make("NewPassword2@")))
    }))

  it.effect("update: password \"\" lists the five rules; errors combine across attributes", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.deepStrictEqual(yield* invalid(handle, update(1, { password: "" })), {
        message: [Messages.passwordTooShort, ...passwordRules].join(", "),
        attributes: ["password"]
      })
      assert.deepStrictEqual(yield* invalid(handle, update(1, { email: "theirs@example.com", password: "password" })), {
        message: [
          Messages.emailTaken,
          Messages.emailTaken,
          Messages.passwordUppercase,
          Messages.passwordNumber,
          Messages.passwordSpecial
        ].join(", "),
        attributes: ["email", "password"]
      })
      const stored = Option.getOrThrow(yield* handle.user(1))
      assert.strictEqual(stored.email, "dev+testing@chatwoot.com")
    }))

  it.effect("update: name \"\" is fine, name null is a 500 and changes nothing; an empty body is a no-op", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const empty = yield* okJson(handle, update(1, { name: "" }))
      assert.strictEqual(empty.name, "")
      assert.strictEqual(empty.available_name, "")
      const result = yield* failure(handle, update(1, { name: null, display_name: "d" }))
      assert.deepStrictEqual(result, { _tag: "InternalServerError" })
      assert.isNull(Option.getOrThrow(yield* handle.user(1)).display_name)
      const noop = yield* ok(handle, update(1, {}))
      assert.strictEqual(noop, yield* ok(handle, get(1)))
    }))

  it.effect("update: unknown params and scalars of other types are handled like strong params", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const json = yield* okJson(handle, update(1, { name: 42, display_name: true, role: "administrator", id: 9 }))
      assert.strictEqual(json.name, "42")
      assert.strictEqual(json.display_name, "t")
      assert.strictEqual(json.id, 1)
      assert.isNull(json.role)
      const kept = yield* okJson(handle, update(1, { name: { first: "x" } }))
      assert.strictEqual(kept.name, "42")
    }))

  it.effect("member routes: token, then 404, then permission", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.deepStrictEqual(yield* failure(handle, get(999), "invalid"), { _tag: "InvalidToken" })
      assert.deepStrictEqual(yield* Effect.flip(handle.execute(undefined, get(999))), { _tag: "InvalidToken" })
      assert.deepStrictEqual(yield* failure(handle, get(1), ""), { _tag: "InvalidToken" })
      // A user's own access token is not a platform app's.
      const userToken = Option.getOrThrow(yield* handle.user(1)).access_token
      assert.deepStrictEqual(yield* failure(handle, get(1), userToken), { _tag: "InvalidToken" })
      assert.deepStrictEqual(yield* failure(handle, get(999)), { _tag: "NotFound" })
      assert.deepStrictEqual(yield* failure(handle, get("abc")), { _tag: "NotFound" })
      assert.deepStrictEqual(yield* failure(handle, get(2)), { _tag: "NonPermissible" })
      assert.deepStrictEqual(yield* failure(handle, update(2, { name: "x" })), { _tag: "NonPermissible" })
      assert.deepStrictEqual(yield* failure(handle, { operation: "delete", id: "2" }), { _tag: "NonPermissible" })
      // Rails reads a leading integer from the id.
      assert.strictEqual((yield* okJson(handle, get("1-dev"))).id, 1)
    }))

  it.effect("login: FRONTEND_URL + /app/login with ERB url_encode and a new 64-hex token each call", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle({ frontendUrl: "https://chat.example.com" })
      const first = (yield* okJson(handle, { operation: "loginUrl", id: "1" })).url as string
      const second = (yield* okJson(handle, { operation: "loginUrl", id: "1" })).url as string
      const pattern =
        /^https:\/\/chat\.example\.com\/app\/login\?email=dev%2Btesting%40chatwoot\.com&sso_auth_token=([0-9a-f]{64})$/
      assert.match(first, pattern)
      assert.match(second, pattern)
      assert.notStrictEqual(first, second)
      yield* ok(handle, update(1, { email: "a.b_c-d~e!f'g@ex-ample.com" }))
      const encoded = (yield* okJson(handle, { operation: "loginUrl", id: "1" })).url as string
      assert.include(encoded, "email=a.b_c-d~e%21f%27g%40ex-ample.com&")
    }))

  it.effect("login: without FRONTEND_URL the link starts with /app/login", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const url = (yield* okJson(handle, { operation: "loginUrl", id: "1" })).url as string
      assert.isTrue(url.startsWith("/app/login?email=dev%2Btesting%40chatwoot.com&sso_auth_token="))
    }))

  it.effect("token: {access_token, expiry: null, user: {id, name, display_name, email, pubsub_token}}", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const stored = Option.getOrThrow(yield* handle.user(1))
      const body = yield* ok(handle, { operation: "token", id: "1" })
      assert.strictEqual(
        body,
        JSON.stringify({
          access_token: stored.access_token,
          expiry: null,
          user: {
            id: 1,
            name: "Dev",
            display_name: null,
            email: "dev+testing@chatwoot.com",
            pubsub_token: stored.pubsub_token
          }
        })
      )
    }))

  it.effect("delete: an empty body, then 404", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* ok(handle, { operation: "delete", id: "1" }), "")
      assert.deepStrictEqual(yield* failure(handle, get(1)), { _tag: "NotFound" })
      assert.strictEqual((yield* handle.users).length, 1)
    }))

  it.effect("accounts: account_id and role from the latest active_at (nulls last)", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* handle.addMembership(1, { id: 7, name: "Never", role: "administrator", active_at: null })
      let json = yield* okJson(handle, get(1))
      assert.strictEqual(json.account_id, 7)
      assert.strictEqual(json.role, "administrator")
      yield* handle.addMembership(1, { id: 8, name: "Old", active_at: "2024-01-01T00:00:00Z" })
      yield* handle.addMembership(1, { id: 9, name: "New", role: "agent", active_at: "2025-06-01T10:20:30.5Z" })
      json = yield* okJson(handle, get(1))
      assert.strictEqual(json.account_id, 9)
      assert.strictEqual(json.role, "agent")
      assert.deepStrictEqual(json.accounts, [
        { id: 7, name: "Never", active_at: null, role: "administrator" },
        { id: 8, name: "Old", active_at: "2024-01-01T00:00:00.000Z", role: "agent" },
        { id: 9, name: "New", active_at: "2025-06-01T10:20:30.500Z", role: "agent" }
      ])
      assert.deepStrictEqual(Object.keys(json.accounts[0]), ["id", "name", "active_at", "role"])
    }))

  it.effect("concurrent creates never lose an update", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* Effect.forEach(
        Array.from({ length: 50 }, (_, i) => i),
        (i) => ok(handle, create({ name: `u${i}`, email: `u${i}@example.com`, password: "Password1!" })),
        { concurrency: "unbounded" }
      )
      const users = yield* handle.users
      assert.strictEqual(users.length, 52)
      assert.strictEqual(new Set(users.map((user) => user.id)).size, 52)
    }))

  it.effect("requestParams: JSON, malformed JSON, query string on top, form bodies", () =>
    Effect.sync(() => {
      const params = PlatformUsersMemory.requestParams
      assert.deepStrictEqual(
        params({ contentType: "application/json", body: "{\"name\":\"a\"}", search: "?name=b" }),
        Outcome.succeed({ name: "b" })
      )
      assert.deepStrictEqual(
        params({ contentType: "application/json; charset=utf-8", body: "{", search: "" }),
        Outcome.fail("Malformed")
      )
      assert.deepStrictEqual(params({ contentType: "text/plain", body: "{", search: "" }), Outcome.succeed({}))
      assert.deepStrictEqual(params({ contentType: "application/json", body: "  ", search: "" }), Outcome.succeed({}))
      assert.deepStrictEqual(
        params({ contentType: "application/json", body: "[1]", search: "" }),
        Outcome.succeed({ _json: [1] })
      )
      assert.deepStrictEqual(
        params({
          contentType: "application/x-www-form-urlencoded",
          body: "name=a+b&custom_attributes[k]=v&custom_attributes[l][]=1",
          search: ""
        }),
        Outcome.succeed({ name: "a b", custom_attributes: { k: "v", l: ["1"] } })
      )
    }))
})

describe("PlatformUsersMemory typed layer", () => {
  const layer = PlatformUsersMemory.layer({ seed: seed() })

  it.effect("create, get, update, loginUrl, token and delete decode into the models", () =>
    Effect.gen(function*() {
      const users = yield* PlatformUsers
      const created = yield* users.create({
        name: "Ada",
        email: " Ada@Example.com ",
        password: Redacted.make("Password1!"),
        custom_attributes: { plan: "pro" }
      })
      assert.strictEqual(created.email, "ada@example.com")
      assert.deepStrictEqual(created.custom_attributes, { plan: "pro" })
      const updated = yield* users.update(created.id, { display_name: "A", custom_attributes: { seats: 3 } })
      assert.strictEqual(updated.available_name, "A")
      assert.deepStrictEqual(updated.custom_attributes, { plan: "pro", seats: 3 })
      assert.strictEqual((yield* users.get(created.id)).display_name, "A")
      assert.match((yield* users.loginUrl(created.id)).url, /^\/app\/login\?email=ada%40example\.com&sso_auth_token=/)
      const token = yield* users.token(created.id)
      assert.strictEqual(Redacted.value(token.access_token), created.access_token)
      assert.isNull(token.expiry)
      yield* users.delete(created.id)
      const gone = yield* Effect.flip(users.get(created.id))
      assert.strictEqual(gone._tag, "NotFound")
    }).pipe(Effect.provide(layer)))

  it.effect("errors are the wire contract's: NonPermissibleResource, NotFound, server Validation", () =>
    Effect.gen(function*() {
      const users = yield* PlatformUsers
      const denied = yield* Effect.flip(users.get(UserId.make(2)))
      assert.strictEqual(denied._tag, "Unauthorized")
      assert.strictEqual(denied._tag === "Unauthorized" && denied.reason, "NonPermissibleResource")
      const missing = yield* Effect.flip(users.update(UserId.make(99), { name: "x" }))
      assert.strictEqual(missing._tag, "NotFound")
      const taken = yield* Effect.flip(users.update(UserId.make(1), { email: "theirs@example.com" }))
      assert.strictEqual(taken._tag, "Validation")
      if (taken._tag === "Validation") {
        assert.strictEqual(taken.source, "server")
        assert.deepStrictEqual(taken.attributes, ["email"])
        assert.strictEqual(taken.serverMessage, `${Messages.emailTaken}, ${Messages.emailTaken}`)
      }
    }).pipe(Effect.provide(layer)))

  it.effect("client-side validation fails first and changes nothing", () =>
    Effect.gen(function*() {
      const users = yield* PlatformUsers
      const memory = yield* PlatformUsersMemory.PlatformUsersMemory
      const before = yield* memory.users
      const error = yield* Effect.flip(users.update(UserId.make(1), { password: Redacted.make("weak") }))
      assert.strictEqual(error._tag, "Validation")
      assert.strictEqual(error._tag === "Validation" && error.source, "client")
      assert.notInclude(String(error), "weak")
      const badCreate = yield* Effect.flip(
        users.create({ name: "x", email: "nope", password: Redacted.make("Password1!") })
      )
      assert.strictEqual(badCreate._tag === "Validation" && badCreate.source, "client")
      assert.deepStrictEqual(yield* memory.users, before)
    }).pipe(Effect.provide(layer)))

  it.effect("an unknown token gives Unauthorized InvalidToken", () =>
    Effect.gen(function*() {
      const memory = yield* PlatformUsersMemory.make({ seed: seed() })
      const error = yield* Effect.flip(memory.serviceFor("nope").get(UserId.make(1)))
      assert.strictEqual(error._tag === "Unauthorized" && error.reason, "InvalidToken")
    }))

  it.effect("create claims an existing user for the calling app", () =>
    Effect.gen(function*() {
      const users = yield* PlatformUsers
      const claimed = yield* users.create({
        name: "ignored",
        email: "theirs@example.com",
        password: Redacted.make("Password1!")
      })
      assert.strictEqual(claimed.id, 2)
      assert.strictEqual(claimed.name, "Theirs")
      assert.strictEqual((yield* users.get(UserId.make(2))).name, "Theirs")
    }).pipe(Effect.provide(PlatformUsersMemory.layer({ seed: seed() }))))
})

describe("PlatformUsersMemory seeding", () => {
  it("decodeSeed names the entry of each issue and never quotes secrets", () => {
    const result = PlatformUsersMemory.decodeSeed({
      apps: [{ name: "a", token: "Secret-Token-Value" }, { name: "a", token: "Secret-Token-Value" }],
      users: [
        { name: "ok", email: "ok@example.com" },
        { id: 1, name: "x", email: "x@example.com" },
        { id: 1, name: "y", email: "OK@example.com ", password: "weakpässword" },
        { name: "z", email: "foo@bar", apps: ["missing"] }
      ]
    })
    assert.isTrue(Outcome.isFailure(result))
    const error = Outcome.getFailure(result).pipe(Option.getOrThrow)
    assert.includeMembers([...error.issues], [
      "apps[1].name: duplicate app name \"a\"",
      "apps[1].token: duplicate token",
      "users[2].id: duplicate id 1",
      "users[2].email: duplicate email \"ok@example.com\"",
      "users[3].email: Email is not an email",
      "users[3].apps[0]: no app named \"missing\" in apps"
    ])
    assert.isTrue(error.issues.some((issue) => issue.startsWith("users[2].password: Password must contain")))
    assert.notInclude(error.message, "Secret-Token-Value")
    assert.notInclude(error.message, "weakpässword")
    assert.notInclude(error.message, "ä")
  })

  it("decodeSeed reports schema errors with their path", () => {
    const error = Outcome.getFailure(PlatformUsersMemory.decodeSeed({
      apps: [{ name: "a", token: 12345 }],
      users: [{ name: "x" }, { name: "y", email: "y@example.com", accounts: [{ id: 1, name: "A", role: "owner" }] }],
      extra: true
    })).pipe(Option.getOrThrow)
    const text = error.issues.join("\n")
    assert.include(text, "apps[0].token: must be a non-empty string")
    assert.include(text, "users[0].email: is missing")
    assert.include(text, "users[1].accounts[0].role:")
    assert.include(text, "extra:")
    assert.notInclude(text, "12345")
    assert.notInclude(text, "Expected undefined")
  })

  it.effect("examples/seed.json decodes and seeds the demo user", () =>
    Effect.gen(function*() {
      const file = path.join(repositoryRoot, "examples", "seed.json")
      const decoded = PlatformUsersMemory.decodeSeed(JSON.parse(fs.readFileSync(file, "utf8")))
      assert.isTrue(Outcome.isSuccess(decoded))
      const memory = yield* PlatformUsersMemory.make({ seed: Outcome.getOrThrow(decoded) })
      const demo = Option.getOrThrow(yield* memory.user(1))
      assert.strictEqual(demo.name, "Demo User")
      assert.strictEqual(demo.email, "demo@example.com")
      assert.deepStrictEqual(demo.apps, ["demo"])
      const json = JSON.parse((yield* memory.execute("DemoPlatformToken0000001", get(1))).body)
      assert.strictEqual(json.account_id, 1)
      assert.strictEqual(json.role, "administrator")
      // The second user has no app and is only reachable by claiming it.
      assert.deepStrictEqual(yield* Effect.flip(memory.execute("DemoPlatformToken0000001", get(2))), {
        _tag: "NonPermissible"
      })
    }))

  it.effect("make: no seed and no token creates one app with a random 24-character token", () =>
    Effect.gen(function*() {
      const memory = yield* PlatformUsersMemory.make()
      const apps = yield* memory.apps
      assert.strictEqual(apps.length, 1)
      assert.match(Redacted.value(apps[0]!.token), /^[1-9A-HJ-NP-Za-km-z]{24}$/)
      const withTokens = yield* PlatformUsersMemory.make({ platformTokens: ["t1", "t2"] })
      assert.deepStrictEqual((yield* withTokens.apps).map((app) => app.name), ["platform-app-1", "platform-app-2"])
    }))

  it.effect("handle helpers: addApp, addUser, grant, and their errors", () =>
    Effect.gen(function*() {
      const memory = yield* PlatformUsersMemory.make({ platformTokens: ["t1"] })
      const app = yield* memory.addApp({ name: "second", token: "t2" })
      assert.strictEqual(app.name, "second")
      const dup = yield* Effect.flip(memory.addApp({ name: "third", token: "t1" }))
      assert.deepStrictEqual(dup.issues, ["token: duplicate token"])
      const user = yield* memory.addUser({ name: "U", email: "U@example.com", apps: ["second"] })
      assert.strictEqual(user.id, 1)
      assert.strictEqual(user.email, "u@example.com")
      const again = yield* Effect.flip(memory.addUser({ name: "V", email: "u@example.com" }))
      assert.deepStrictEqual(again.issues, ["user.email: duplicate email \"u@example.com\""])
      assert.deepStrictEqual(yield* Effect.flip(memory.execute("t1", get(1))), { _tag: "NonPermissible" })
      yield* memory.grant("platform-app-1", 1)
      assert.strictEqual(JSON.parse((yield* memory.execute("t1", get(1))).body).id, 1)
      const noUser = yield* Effect.flip(memory.grant("second", 42))
      assert.deepStrictEqual(noUser.issues, ["userId: no user 42"])
    }))
})
