// The accounts endpoints of the in-memory server (PLATFORM.md §3): the request-spec cases of §3.8, then the
// semantics of §9.3-§9.4, with exact bodies.
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as PlatformRules from "../src/PlatformRules.js"
import {
  APP,
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

const create = (params: Record<string, unknown>) => request("accounts.create", {}, params)
const list = request("accounts.list")
const get = (id: number | string) => request("accounts.get", { id: String(id) })
const update = (id: number | string, params: Record<string, unknown>) =>
  request("accounts.update", { id: String(id) }, params)
const del = (id: number | string) => request("accounts.delete", { id: String(id) })

const SENDER = "\"Chatwoot \\u003caccounts@chatwoot.com\\u003e\""

const accountKeys = [
  "id",
  "name",
  "locale",
  "domain",
  "support_email",
  "features",
  "custom_attributes",
  "limits",
  "status"
]

describe("accounts: the request-spec cases (PLATFORM.md §3.8)", () => {
  it.effect("1-2. create without a token or with an invalid one: 401 Invalid access_token, nothing created", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* failure(handle, create({ name: "x" }), null), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, create({ name: "x" }), "invalid"), INVALID_TOKEN)
      assert.strictEqual((yield* handle.accounts).length, 2)
    }))

  it.effect("3. create: the name, and the app's new permission row on it", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(
        yield* body(handle, create({ name: "Test Account" })),
        `{"id":3,"name":"Test Account","locale":"en","domain":null,"support_email":${SENDER},"features":{},` +
          `"custom_attributes":{},"limits":{},"status":"active"}`
      )
      const stored = Option.getOrThrow(yield* handle.account(3))
      assert.strictEqual(stored.name, "Test Account")
      assert.deepStrictEqual(stored.apps, ["app"])
      // No account_user comes with it.
      assert.deepStrictEqual(yield* handle.accountUsers(3), [])
    }))

  it.effect("4. create with defaults [agent_management] and locale es", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle({ defaultFeatures: ["agent_management"] })
      const account = yield* json(handle, create({ name: "Test Account", locale: "es" }))
      assert.strictEqual(account.locale, "es")
      assert.deepStrictEqual(account.features, { agent_management: true })
    }))

  it.effect("5. create: requested flags on top of the defaults", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle({ defaultFeatures: ["inbox_management", "disable_branding"] })
      const account = yield* json(
        handle,
        create({ name: "x", features: { ip_lookup: true, help_center: true, disable_branding: false } })
      )
      // The spec compares the sets; the JSON lists them in features.yml order.
      assert.deepStrictEqual(Object.keys(account.features), ["ip_lookup", "help_center", "inbox_management"])
      assert.deepStrictEqual(Option.getOrThrow(yield* handle.account(account.id)).features, [
        "ip_lookup",
        "help_center",
        "inbox_management"
      ])
    }))

  it.effect("6. create with limits: the echo keeps the order sent, a read gives jsonb order", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const created = yield* body(handle, create({ name: "x", limits: { inboxes: 10, agents: 5 } }))
      assert.include(created, `"limits":{"inboxes":10,"agents":5}`)
      assert.include(yield* body(handle, get(3)), `"limits":{"agents":5,"inboxes":10}`)
    }))

  it.effect("7-9. index: 401 without a valid token; with a token, exactly the accounts this app holds", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* failure(handle, list, null), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, list, "invalid"), INVALID_TOKEN)
      const third = Redacted.value((yield* handle.addApp({ name: "third" })).token)
      assert.strictEqual(yield* body(handle, list, third), "[]")
      // A and B are the third app's; the seeded accounts are not.
      yield* body(handle, create({ name: "A" }), third)
      yield* body(handle, create({ name: "B" }), third)
      const accounts = yield* json(handle, list, third)
      assert.deepStrictEqual(accounts.map((a: { name: string }) => a.name), ["A", "B"])
      assert.deepStrictEqual((yield* json(handle, list)).map((a: { id: number }) => a.id), [1])
      assert.deepStrictEqual((yield* json(handle, list, OTHER)).map((a: { id: number }) => a.id), [2])
    }))

  it.effect("10-13. show: 401 without a token, invalid, or without permission; 200 with it", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* failure(handle, get(1), null), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, get(1), "invalid"), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, get(1), OTHER), NON_PERMISSIBLE)
      assert.strictEqual(
        yield* body(handle, get(1)),
        `{"id":1,"name":"Account 1","locale":"en","domain":"test.com","support_email":"support@test.com",` +
          `"features":{},"custom_attributes":{},"limits":{},"status":"active"}`
      )
    }))

  it.effect("14-16. update: 401 without a token, invalid, or without permission; nothing changes", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* failure(handle, update(1, { name: "x" }), null), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, update(1, { name: "x" }), "invalid"), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, update(1, { name: "x" }), OTHER), NON_PERMISSIBLE)
      assert.strictEqual(Option.getOrThrow(yield* handle.account(1)).name, "Account 1")
    }))

  it.effect("17. update: name, flags applied on the stored ones, limits", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle({ defaultFeatures: ["inbox_management", "channel_facebook"] })
      yield* handle.addAccount({ id: 10, name: "Old", apps: ["app"] })
      yield* body(
        handle,
        update(10, {
          name: "New Name",
          features: { ip_lookup: true, help_center: true, channel_facebook: false },
          limits: { agents: 5, inboxes: 10 }
        })
      )
      const stored = Option.getOrThrow(yield* handle.account(10))
      assert.strictEqual(stored.name, "New Name")
      assert.deepStrictEqual([...stored.features].sort(), ["help_center", "inbox_management", "ip_lookup"])
      assert.deepStrictEqual(stored.limits, { agents: 5, inboxes: 10 })
    }))

  it.effect("18-21. delete: 401 without a token, invalid, or without permission; 200 with it, the job queued once", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle({ accountDelete: "deferred" })
      assert.strictEqual(yield* failure(handle, del(1), null), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, del(1), "invalid"), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, del(1), OTHER), NON_PERMISSIBLE)
      assert.deepStrictEqual(yield* handle.pendingAccountDeletes, [])
      assert.strictEqual(yield* body(handle, del(1)), "")
      assert.deepStrictEqual(yield* handle.pendingAccountDeletes, [1])
    }))
})

describe("accounts: checks and params", () => {
  it.effect("404 comes before the permission check, for any app; ids are cast like Rails'", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      for (const token of [APP, OTHER]) {
        assert.strictEqual(yield* failure(handle, get(999), token), NOT_FOUND)
        assert.strictEqual(yield* failure(handle, update(999, {}), token), NOT_FOUND)
        assert.strictEqual(yield* failure(handle, del("abc"), token), NOT_FOUND)
      }
      assert.strictEqual((yield* json(handle, get("1-abc"))).id, 1)
      assert.strictEqual((yield* json(handle, get(" 1"))).id, 1)
    }))

  it.effect("a suspended account stays manageable", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual((yield* json(handle, update(1, { status: "suspended" }))).status, "suspended")
      assert.strictEqual((yield* json(handle, get(1))).status, "suspended")
      assert.strictEqual((yield* json(handle, update(1, { name: "Still mine" }))).name, "Still mine")
    }))

  it.effect("params come from the top level: a wrapped body is a 422, unknown keys are dropped", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(
        yield* failure(handle, create({ account: { name: "x" } })),
        unprocessable("Name can't be blank", ["name"])
      )
      const account = yield* json(handle, create({ name: "x", id: 77, enabled_features: ["ip_lookup"], plan: "pro" }))
      assert.strictEqual(account.id, 3)
      assert.deepStrictEqual(Object.keys(account), accountKeys)
      assert.deepStrictEqual(account.features, {})
    }))

  it.effect("hash params: null, a string or an array is dropped; {} and nested nulls are kept", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* body(handle, update(1, { custom_attributes: { keep: 1 }, limits: { agents: 1 } }))
      for (const value of [null, "x", [1, 2]]) {
        const account = yield* json(handle, update(1, { custom_attributes: value, limits: value, features: value }))
        assert.deepStrictEqual(account.custom_attributes, { keep: 1 })
        assert.deepStrictEqual(account.limits, { agents: 1 })
      }
      const nested = yield* body(handle, update(1, { custom_attributes: { a: null, b: { c: null } }, limits: {} }))
      assert.include(nested, `"custom_attributes":{"a":null,"b":{"c":null}},"limits":{}`)
    }))

  it.effect("defaults: locale en, status active, no domain; the 26 default flags unless configured", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle({ defaultFeatures: undefined })
      const account = yield* json(handle, create({ name: "x" }))
      assert.deepStrictEqual(Object.keys(account.features), PlatformRules.defaultFeatures)
      assert.strictEqual(PlatformRules.defaultFeatures.length, 26)
      assert.isTrue(Object.values(account.features).every((on) => on === true))
    }))

  it.effect("support_email: the stored value, else the configured fallback (a blank one too), or null", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual((yield* json(handle, get(1))).support_email, "support@test.com")
      for (const blank of ["", "  ", null]) {
        assert.strictEqual(
          (yield* json(handle, update(1, { support_email: blank }))).support_email,
          "Chatwoot <accounts@chatwoot.com>"
        )
      }
      const custom = yield* makeHandle({ supportEmailFallback: "Support <help@example.com>" })
      assert.strictEqual((yield* json(custom, create({ name: "x" }))).support_email, "Support <help@example.com>")
      const none = yield* makeHandle({ supportEmailFallback: null })
      assert.isNull((yield* json(none, create({ name: "x" }))).support_email)
    }))

  it.effect("status and locale: keys and integer values cast, blank stores null, anything else is a 500", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual((yield* json(handle, update(1, { status: 1 }))).status, "suspended")
      assert.strictEqual((yield* json(handle, update(1, { status: 0 }))).status, "active")
      for (const blank of [null, "", false]) {
        assert.isNull((yield* json(handle, update(1, { status: blank, locale: blank }))).status)
      }
      assert.isNull((yield* json(handle, get(1))).locale)
      assert.strictEqual((yield* json(handle, update(1, { locale: "pt_BR", status: "active" }))).locale, "pt_BR")
      for (const params of [{ status: "1" }, { status: "closed" }, { status: true }, { locale: "pt-BR" }]) {
        assert.strictEqual(yield* failure(handle, update(1, params)), SERVER_ERROR, JSON.stringify(params))
        assert.strictEqual(yield* failure(handle, create({ name: "x", ...params })), SERVER_ERROR)
      }
      // Nothing was saved or created by the failures.
      assert.strictEqual((yield* json(handle, get(1))).locale, "pt_BR")
      assert.strictEqual((yield* handle.accounts).length, 2)
    }))
})

describe("accounts: validation (PLATFORM.md §3.2)", () => {
  const long = (n: number) => "a".repeat(n)

  it.effect("the 422s, exactly and in Chatwoot's order", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const cases: ReadonlyArray<readonly [Record<string, unknown>, string, ReadonlyArray<string>]> = [
        [{}, "Name can't be blank", ["name"]],
        [{ name: "" }, "Name can't be blank", ["name"]],
        [{ name: null }, "Name can't be blank", ["name"]],
        [{ name: "   " }, "Name can't be blank", ["name"]],
        [{ name: long(256) }, "Name is too long (maximum is 255 characters)", ["name"]],
        [{ name: "x", domain: long(101) }, "Domain is too long (maximum is 100 characters)", ["domain"]],
        [
          { name: "x", support_email: long(256) },
          "Support email is too long (maximum is 255 characters)",
          ["support_email"]
        ],
        [{ name: "x", limits: { seats: 1 } }, "Limits : Invalid data", ["limits"]],
        [{ limits: { agents: 1, seats: 1 } }, "Limits : Invalid data, Name can't be blank", ["limits", "name"]],
        [
          { name: long(256), support_email: long(256), limits: { x: 1 }, domain: long(101) },
          "Name is too long (maximum is 255 characters), Support email is too long (maximum is 255 characters), " +
          "Limits : Invalid data, Domain is too long (maximum is 100 characters)",
          ["name", "support_email", "limits", "domain"]
        ]
      ]
      for (const [params, message, attributes] of cases) {
        assert.strictEqual(yield* failure(handle, create(params)), unprocessable(message, attributes))
        assert.strictEqual(
          yield* failure(handle, update(1, { name: null, ...params })),
          unprocessable(message, attributes)
        )
      }
      assert.strictEqual((yield* handle.accounts).length, 2)
      assert.strictEqual(Option.getOrThrow(yield* handle.account(1)).name, "Account 1")
    }))

  it.effect("lengths count characters, not UTF-16 units; 255 and 100 pass", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const account = yield* json(handle, create({ name: "😀".repeat(255), domain: "é".repeat(100) }))
      assert.strictEqual(Array.from(account.name as string).length, 255)
    }))

  it.effect("limit values are never type-checked; with EE mode off the keys are not either", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.deepStrictEqual((yield* json(handle, create({ name: "x", limits: { agents: "abc" } }))).limits, {
        agents: "abc"
      })
      const ce = yield* makeHandle({ eeMode: false })
      assert.deepStrictEqual((yield* json(ce, create({ name: "x", limits: { seats: 1 } }))).limits, { seats: 1 })
    }))

  it.effect("support_email of 101-255 characters passes validation, then overflows the column: 500, nothing saved", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* failure(handle, create({ name: "x", support_email: long(101) })), SERVER_ERROR)
      assert.strictEqual(yield* failure(handle, update(1, { support_email: long(255) })), SERVER_ERROR)
      assert.strictEqual((yield* handle.accounts).length, 2)
      assert.strictEqual((yield* json(handle, get(1))).support_email, "support@test.com")
      // A 422 comes first.
      assert.strictEqual(
        yield* failure(handle, create({ support_email: long(101) })),
        unprocessable("Name can't be blank", ["name"])
      )
      assert.strictEqual((yield* json(handle, create({ name: "x", support_email: long(100) }))).id, 3)
    }))
})

describe("accounts: feature flags (PLATFORM.md §3.3)", () => {
  it.effect("applied by truthiness: \"false\", 0, \"0\", \"no\" and objects enable; false, null, \"\", {}, [] disable", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const enabling = ["true", "false", 0, "0", "no", { x: 1 }, true]
      const on = PlatformRules.features.slice(0, enabling.length)
      const created = yield* json(
        handle,
        create({ name: "x", features: Object.fromEntries(on.map((f, i) => [f, enabling[i]])) })
      )
      assert.deepStrictEqual(Object.keys(created.features), on)
      const disabling = [false, null, "", " ", {}, []]
      const off = on.slice(0, disabling.length)
      const updated = yield* json(
        handle,
        update(created.id, { features: Object.fromEntries(off.map((f, i) => [f, disabling[i]])) })
      )
      assert.deepStrictEqual(Object.keys(updated.features), on.slice(disabling.length))
    }))

  it.effect("pairs apply in order; an empty object or a missing key changes nothing", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle({ defaultFeatures: ["help_center"] })
      const account = yield* json(handle, create({ name: "x", features: { help_center: false, crm: true } }))
      assert.deepStrictEqual(account.features, { crm: true })
      assert.deepStrictEqual((yield* json(handle, update(account.id, { features: {} }))).features, { crm: true })
      assert.deepStrictEqual((yield* json(handle, update(account.id, { name: "y" }))).features, { crm: true })
    }))

  it.effect("`flags` is the bitmask column: true leaves only inbound_emails, false clears every flag", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle({ defaultFeatures: undefined })
      const account = yield* json(handle, create({ name: "x", features: { flags: true, crm: true } }))
      assert.deepStrictEqual(account.features, { inbound_emails: true, crm: true })
      assert.deepStrictEqual((yield* json(handle, update(account.id, { features: { flags: false } }))).features, {})
    }))

  it.effect("an unknown flag on create: 500, and an orphan account no app can see (each retry makes another)", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle({ defaultFeatures: ["crm"] })
      for (const features of [{ ip_lookup: true, bogus: true }, { feature_crm: true }]) {
        assert.strictEqual(yield* failure(handle, create({ name: "Orphan", features })), SERVER_ERROR)
      }
      const orphans = (yield* handle.accounts).filter((account) => account.name === "Orphan")
      assert.deepStrictEqual(orphans.map((account) => [account.id, account.apps, account.features]), [
        [3, [], ["crm"]],
        [4, [], ["crm"]]
      ])
      assert.strictEqual(yield* failure(handle, get(3)), NON_PERMISSIBLE)
      assert.deepStrictEqual((yield* json(handle, list)).map((account: { id: number }) => account.id), [1])
      assert.strictEqual((yield* json(handle, create({ name: "Next" }))).id, 5)
    }))

  it.effect("an unknown flag on update: 500, and the flags applied before it are not kept", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(
        yield* failure(handle, update(1, { name: "Changed", features: { ip_lookup: true, nope: true } })),
        SERVER_ERROR
      )
      const account = yield* json(handle, get(1))
      assert.strictEqual(account.name, "Account 1")
      assert.deepStrictEqual(account.features, {})
    }))

  it.effect("an unknown flag comes after a 422 on create and before it on update", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(
        yield* failure(handle, create({ features: { nope: true } })),
        unprocessable("Name can't be blank", ["name"])
      )
      assert.strictEqual(yield* failure(handle, update(1, { name: "", features: { nope: true } })), SERVER_ERROR)
      assert.strictEqual((yield* handle.accounts).length, 2)
    }))
})

describe("accounts: update", () => {
  it.effect("custom_attributes and limits are replaced whole when sent, kept when absent", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* body(handle, update(1, { custom_attributes: { a: 1, b: 2 }, limits: { agents: 1, inboxes: 2 } }))
      const replaced = yield* json(handle, update(1, { custom_attributes: { c: 3 }, limits: { agents: 9 } }))
      assert.deepStrictEqual(replaced.custom_attributes, { c: 3 })
      assert.deepStrictEqual(replaced.limits, { agents: 9 })
      const kept = yield* json(handle, update(1, { name: "Renamed" }))
      assert.deepStrictEqual(kept.custom_attributes, { c: 3 })
      assert.deepStrictEqual(kept.limits, { agents: 9 })
      assert.deepStrictEqual((yield* json(handle, update(1, { custom_attributes: {} }))).custom_attributes, {})
    }))

  it.effect("write echoes keep the order sent at every level; reads give jsonb order; an unsent hash reads back", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const sent = { zz: 1, a: { yy: 1, b: 2 }, bb: 3 }
      const echoed = yield* body(handle, update(1, { custom_attributes: sent, limits: { inboxes: 1, agents: 2 } }))
      assert.include(echoed, `"custom_attributes":{"zz":1,"a":{"yy":1,"b":2},"bb":3},"limits":{"inboxes":1,"agents":2}`)
      const read = `"custom_attributes":{"a":{"b":2,"yy":1},"bb":3,"zz":1},"limits":{"agents":2,"inboxes":1}`
      assert.include(yield* body(handle, get(1)), read)
      assert.include(yield* body(handle, list), read)
      // The hashes not sent come back as stored.
      assert.include(yield* body(handle, update(1, { name: "x" })), read)
    }))

  it.effect("an empty body answers 200 with the current state; PATCH and PUT are one operation", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* body(handle, update(1, {})), yield* body(handle, get(1)))
    }))

  it.effect("a null clears domain; the name cannot be cleared", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.isNull((yield* json(handle, update(1, { domain: null }))).domain)
      assert.strictEqual(
        yield* failure(handle, update(1, { name: null })),
        unprocessable("Name can't be blank", ["name"])
      )
      assert.strictEqual((yield* json(handle, update(1, { name: 12 }))).name, "12")
    }))
})

describe("accounts: delete (PLATFORM.md §3.7, F3)", () => {
  const member = { id: 1, role: "administrator" as const, active_at: "2025-01-01T00:00:00Z" }

  it.effect("immediate: 404 afterwards, memberships gone, users kept, and the index skips the account", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* handle.addMembership(1, member)
      const user = { operation: "get" as const, id: "1" }
      assert.strictEqual((yield* json(handle, user)).account_id, 1)
      assert.strictEqual(yield* body(handle, del(1)), "")
      assert.strictEqual(yield* failure(handle, get(1)), NOT_FOUND)
      assert.strictEqual(yield* failure(handle, del(1)), NOT_FOUND)
      assert.strictEqual(yield* body(handle, list), "[]")
      const after = yield* json(handle, user)
      assert.isNull(after.account_id)
      assert.isNull(after.role)
      assert.deepStrictEqual(after.accounts, [])
      assert.strictEqual((yield* handle.users).length, 2)
      assert.deepStrictEqual(yield* handle.accountUsers(1), [])
    }))

  it.effect("deferred: GET and DELETE stay 200 until the queued deletes run; then 404, and the index skips it", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle({ accountDelete: "deferred" })
      yield* handle.addMembership(1, member)
      assert.strictEqual(yield* body(handle, del(1)), "")
      assert.strictEqual((yield* json(handle, get(1))).name, "Account 1")
      assert.strictEqual(yield* body(handle, del(1)), "")
      assert.strictEqual((yield* json(handle, list)).length, 1)
      assert.strictEqual((yield* json(handle, { operation: "get", id: "1" })).account_id, 1)
      assert.isTrue(Option.getOrThrow(yield* handle.account(1)).deletePending)
      assert.deepStrictEqual(yield* handle.pendingAccountDeletes, [1, 1])
      assert.deepStrictEqual(yield* handle.runPendingAccountDeletes, [1])
      assert.deepStrictEqual(yield* handle.pendingAccountDeletes, [])
      assert.strictEqual(yield* failure(handle, get(1)), NOT_FOUND)
      assert.strictEqual(yield* body(handle, list), "[]")
      assert.deepStrictEqual((yield* json(handle, { operation: "get", id: "1" })).accounts, [])
      assert.deepStrictEqual(yield* handle.runPendingAccountDeletes, [])
    }))

  it.effect("the index after deletes is never a 500, and keeps the other accounts in order", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      for (const name of ["A", "B", "C"]) yield* body(handle, create({ name }))
      yield* body(handle, del(4))
      yield* body(handle, del(1))
      assert.deepStrictEqual((yield* json(handle, list)).map((a: { name: string }) => a.name), ["A", "C"])
    }))
})
