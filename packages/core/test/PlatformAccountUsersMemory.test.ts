// The account_users endpoints of the in-memory server (PLATFORM.md §4): the request-spec cases of §4.4, then the
// upsert, the checks (the account only, never the user) and the user JSON they feed.
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { TestClock } from "./support/edition.js"
import {
  body,
  failure,
  INVALID_TOKEN,
  json,
  makeHandle,
  NON_PERMISSIBLE,
  NOT_FOUND,
  OTHER,
  request,
  SERVER_ERROR,
  unprocessable
} from "./support/resources.js"

const list = (accountId: number | string) => request("accountUsers.list", { account_id: String(accountId) })
const add = (accountId: number | string, params: Record<string, unknown>) =>
  request("accountUsers.add", { account_id: String(accountId) }, params)
const remove = (accountId: number | string, params: Record<string, unknown>) =>
  request("accountUsers.remove", { account_id: String(accountId) }, params)
const getUser = (id: number) => ({ operation: "get" as const, id: String(id) })

const EPOCH = "1970-01-01T00:00:00.000Z"

const record = (
  fields: { id: number; account_id: number; user_id: number; role: string | null; updated_at?: string }
) =>
  `{"id":${fields.id},"account_id":${fields.account_id},"user_id":${fields.user_id},"role":${
    JSON.stringify(fields.role)
  },"inviter_id":null,"created_at":"${EPOCH}","updated_at":"${fields.updated_at ?? EPOCH}","active_at":null,` +
  `"availability":"online","auto_offline":true,"custom_role_id":null,"agent_capacity_policy_id":null}`

describe("account users: the request-spec cases (PLATFORM.md §4.4)", () => {
  it.effect("1. list without a token: 401", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* failure(handle, list(1), null), INVALID_TOKEN)
    }))

  it.effect("2. list with permission and one member: the record, with its id", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* handle.addMembership(1, { id: 1 })
      const rows = yield* handle.accountUsers(1)
      assert.strictEqual(
        yield* body(handle, list(1)),
        `[${record({ id: rows[0]!.id, account_id: 1, user_id: 1, role: "agent" })}]`
      )
    }))

  it.effect("3-4. add without a token: 401; a new member as administrator", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* failure(handle, add(1, { user_id: 2, role: "administrator" }), null), INVALID_TOKEN)
      assert.deepStrictEqual(yield* handle.accountUsers(1), [])
      assert.strictEqual(
        yield* body(handle, add(1, { user_id: 2, role: "administrator" })),
        record({ id: 1, account_id: 1, user_id: 2, role: "administrator" })
      )
    }))

  it.effect("5. the same add for an existing agent: the role is updated, no new row", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* body(handle, add(1, { user_id: 1 }))
      yield* TestClock.adjust("1500 millis")
      const updated = yield* json(handle, add(1, { user_id: 1, role: "administrator" }))
      assert.strictEqual(updated.role, "administrator")
      assert.strictEqual(updated.id, 1)
      assert.strictEqual(updated.created_at, EPOCH)
      assert.strictEqual(updated.updated_at, "1970-01-01T00:00:01.500Z")
      assert.strictEqual((yield* handle.accountUsers(1)).length, 1)
    }))

  it.effect("6-7. remove without a token: 401; with user_id and permission: the member is gone", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* body(handle, add(1, { user_id: 1 }))
      assert.strictEqual(yield* failure(handle, remove(1, { user_id: 1 }), null), INVALID_TOKEN)
      assert.strictEqual((yield* handle.accountUsers(1)).length, 1)
      assert.strictEqual(yield* body(handle, remove(1, { user_id: 1 })), "")
      assert.deepStrictEqual(yield* handle.accountUsers(1), [])
    }))
})

describe("account users: checks", () => {
  it.effect("the account is looked up (404), then the app's permission on it (401); never the user's", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      for (const req of [list(99), add(99, { user_id: 1 }), remove(99, { user_id: 1 }), list("x")]) {
        assert.strictEqual(yield* failure(handle, req), NOT_FOUND)
        assert.strictEqual(yield* failure(handle, req, OTHER), NOT_FOUND)
      }
      for (const req of [list(1), add(1, { user_id: 1 }), remove(1, { user_id: 1 })]) {
        assert.strictEqual(yield* failure(handle, req, OTHER), NON_PERMISSIBLE)
      }
      assert.strictEqual(yield* failure(handle, add(2, { user_id: 1 })), NON_PERMISSIBLE)
      // User 2 is no app's and user 1 is not OTHER's: both can be added wherever the app holds the account.
      assert.strictEqual((yield* json(handle, add(1, { user_id: 2 }))).user_id, 2)
      assert.strictEqual((yield* json(handle, add(2, { user_id: 1 }), OTHER)).user_id, 1)
    }))

  it.effect("an account_id in the params is ignored: the path's account is used", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual((yield* json(handle, add(1, { user_id: 1, account_id: 2 }))).account_id, 1)
      assert.deepStrictEqual(yield* handle.accountUsers(2), [])
    }))
})

describe("account users: the upsert (PLATFORM.md §4.2)", () => {
  it.effect("roles: agent by default, kept when omitted; 0 and 1 cast; \"\" and null store null", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual((yield* json(handle, add(1, { user_id: 1 }))).role, "agent")
      assert.strictEqual((yield* json(handle, add(1, { user_id: 1, role: 1 }))).role, "administrator")
      assert.strictEqual((yield* json(handle, add(1, { user_id: 1 }))).role, "administrator")
      assert.strictEqual((yield* json(handle, add(1, { user_id: 1, role: 0 }))).role, "agent")
      assert.strictEqual(
        yield* body(handle, add(1, { user_id: 1, role: "" })),
        record({ id: 1, account_id: 1, user_id: 1, role: null })
      )
      assert.strictEqual((yield* json(handle, add(1, { user_id: 1, role: "administrator" }))).role, "administrator")
      assert.isNull((yield* json(handle, add(1, { user_id: 1, role: null }))).role)
      assert.isNull((yield* json(handle, add(1, { user_id: 2, role: null }))).role)
      assert.strictEqual((yield* handle.accountUsers(1)).length, 2)
    }))

  it.effect("any other role is a 500, and nothing changes", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* body(handle, add(1, { user_id: 1 }))
      for (const role of ["admin", "2", "1", 2, true, "Agent"]) {
        assert.strictEqual(yield* failure(handle, add(1, { user_id: 1, role })), SERVER_ERROR, String(role))
        assert.strictEqual(yield* failure(handle, add(1, { user_id: 2, role })), SERVER_ERROR, String(role))
      }
      assert.deepStrictEqual((yield* handle.accountUsers(1)).map((row) => [row.user_id, row.role]), [[1, "agent"]])
    }))

  it.effect("user_id missing, unknown or non-numeric: 422 User must exist; the role's 500 comes first", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const mustExist = unprocessable("User must exist", ["user"])
      for (
        const params of [{}, { user_id: null }, { user_id: "" }, { user_id: 99 }, { user_id: "abc" }, { user_id: [1] }]
      ) {
        assert.strictEqual(yield* failure(handle, add(1, params)), mustExist, JSON.stringify(params))
      }
      assert.strictEqual(yield* failure(handle, add(1, { user_id: 99, role: "owner" })), SERVER_ERROR)
      assert.deepStrictEqual(yield* handle.accountUsers(1), [])
      // Rails' integer cast: a leading number counts.
      assert.strictEqual((yield* json(handle, add(1, { user_id: "2-abc" }))).user_id, 2)
    }))

  it.effect("remove: always 200 and empty, for a non-member, a missing or an unknown user_id", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* body(handle, add(1, { user_id: 1 }))
      for (const params of [{}, { user_id: 2 }, { user_id: 99 }, { user_id: "abc" }, { user_id: null }]) {
        assert.strictEqual(yield* body(handle, remove(1, params)), "", JSON.stringify(params))
      }
      assert.strictEqual((yield* handle.accountUsers(1)).length, 1)
      assert.strictEqual(yield* body(handle, remove(1, { user_id: "1" })), "")
      assert.deepStrictEqual(yield* handle.accountUsers(1), [])
      // The user stays.
      assert.isTrue(Option.isSome(yield* handle.user(1)))
    }))

  it.effect("list: every member, whoever added them, in creation order; [] when there are none", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* body(handle, list(1)), "[]")
      yield* body(handle, add(1, { user_id: 2 }))
      yield* handle.addMembership(1, { id: 1, role: "administrator" })
      assert.deepStrictEqual((yield* json(handle, list(1))).map((row: { user_id: number }) => row.user_id), [2, 1])
    }))
})

describe("account users: the user JSON (BEHAVIOUR.md §5)", () => {
  it.effect("account_id, role and accounts[] follow adds, role changes, removals and the account's delete", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* handle.addAccount({ id: 5, name: "Second", apps: ["app"] })
      const user = () => json(handle, getUser(1))
      assert.deepStrictEqual((yield* user()).accounts, [])
      yield* body(handle, add(1, { user_id: 1, role: "administrator" }))
      let json1 = yield* user()
      assert.strictEqual(json1.account_id, 1)
      assert.strictEqual(json1.role, "administrator")
      assert.deepStrictEqual(json1.accounts, [{ id: 1, name: "Account 1", active_at: null, role: "administrator" }])
      yield* body(handle, add(5, { user_id: 1 }))
      yield* body(handle, add(1, { user_id: 1, role: "agent" }))
      json1 = yield* user()
      assert.deepStrictEqual(json1.accounts, [
        { id: 1, name: "Account 1", active_at: null, role: "agent" },
        { id: 5, name: "Second", active_at: null, role: "agent" }
      ])
      // The account's name is read live.
      yield* body(handle, request("accounts.update", { id: "5" }, { name: "Renamed" }))
      assert.strictEqual((yield* user()).accounts[1].name, "Renamed")
      yield* body(handle, remove(1, { user_id: 1 }))
      json1 = yield* user()
      assert.strictEqual(json1.account_id, 5)
      assert.deepStrictEqual(json1.accounts.map((a: { id: number }) => a.id), [5])
      yield* body(handle, request("accounts.delete", { id: "5" }))
      json1 = yield* user()
      assert.isNull(json1.account_id)
      assert.isNull(json1.role)
      assert.deepStrictEqual(json1.accounts, [])
      assert.deepStrictEqual(Option.getOrThrow(yield* handle.user(1)).accounts, [])
    }))

  it.effect("a null role shows as null in the user JSON", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* body(handle, add(1, { user_id: 1, role: null }))
      const user = yield* json(handle, getUser(1))
      assert.strictEqual(user.account_id, 1)
      assert.isNull(user.role)
      assert.deepStrictEqual(user.accounts, [{ id: 1, name: "Account 1", active_at: null, role: null }])
    }))

  it.effect("deleting a user removes its memberships", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* body(handle, add(1, { user_id: 1 }))
      yield* body(handle, add(1, { user_id: 2 }))
      yield* body(handle, { operation: "delete", id: "1" })
      assert.deepStrictEqual((yield* handle.accountUsers(1)).map((row) => row.user_id), [2])
    }))
})
