// The Provisioning service over the in-memory Platform services: every step's outcome and request count, the
// idempotence of a rerun, failures at each step with what came before, the random password, deprovision and the
// dry runs (which must not write).
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { inspect } from "node:util"
import { AccountId } from "../src/Account.js"
import * as PlatformMemory from "../src/PlatformMemory.js"
import * as PlatformServices from "../src/PlatformServices.js"
import type { Operation } from "../src/PlatformUsersError.js"
import { ServerError } from "../src/PlatformUsersError.js"
import * as PlatformUsersMemory from "../src/PlatformUsersMemory.js"
import * as Provisioning from "../src/Provisioning.js"
import type { ProvisioningError } from "../src/ProvisioningError.js"
import { UserId } from "../src/User.js"
import { passwordViolations } from "../src/UserRules.js"
import { Outcome } from "./support/edition.js"

const APP = "ProvisioningAppToken0001"
const OTHER = "ProvisioningAppToken0002"

const seed = Outcome.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "app", token: APP }, { name: "other", token: OTHER }],
  accounts: [
    { id: 1, name: "Support", apps: ["app"] },
    { id: 2, name: "Sales", apps: ["app"] },
    { id: 3, name: "Theirs", apps: ["other"] }
  ],
  users: [
    {
      id: 1,
      name: "Alice",
      email: "alice@example.com",
      display_name: "Al",
      custom_attributes: { team: "a", plan: "pro", since: 2020 },
      apps: ["app"],
      accounts: [{ id: 1, role: "agent" }]
    },
    { id: 2, name: "Bob", email: "bob@example.com", apps: ["app"], accounts: [{ id: 2, role: "administrator" }] },
    // A member of account 1 this app cannot read.
    { id: 3, name: "Carol", email: "carol@example.com", apps: ["other"], accounts: [{ id: 1 }] },
    // No app holds these two: provisioning claims them.
    { id: 4, name: "Dan", email: "dan@example.com" },
    { id: 5, name: "Erin", email: "erin@example.com", accounts: [{ id: 3 }] },
    { id: 6, name: "Fay", email: "fay@example.com", custom_attributes: { x: 1 } },
    { id: 7, name: "Gus", email: "gus@example.com", apps: ["app"], accounts: [{ id: 2, role: null }] }
  ]
}))

const account = (id: number) => AccountId.make(id)

interface Sent {
  readonly operation: Operation
  readonly params: unknown
  readonly payload: unknown
}

/**
 * The service over the in-memory services, calling as `token`, with every request recorded on its way out (the
 * create's password apart, in `passwords`). `failOn` makes one operation answer a 503 instead.
 */
const setup = (options?: { readonly token?: string; readonly failOn?: Operation }) =>
  Effect.gen(function*() {
    const handle = yield* PlatformUsersMemory.make({ seed, defaultFeatures: [] })
    const sent: Array<Sent> = []
    const passwords: Array<string> = []
    const inner = handle.callerFor(options?.token ?? APP)
    const caller = ((route, params, payload) => {
      const body = payload as Record<string, unknown> | undefined
      if (route.operation === "create" && body !== undefined && Redacted.isRedacted(body.password)) {
        passwords.push(Redacted.value(body.password as Redacted.Redacted<string>))
        const { password: _password, ...rest } = body
        sent.push({ operation: route.operation, params, payload: rest })
      } else {
        sent.push({ operation: route.operation, params, payload })
      }
      if (route.operation === options?.failOn) {
        return Effect.fail(new ServerError({ operation: route.operation, status: 503 }))
      }
      return inner(route, params, payload)
    }) as PlatformServices.Caller
    const service = yield* Provisioning.make.pipe(Effect.provide(PlatformServices.context(caller)))
    const operations = () => sent.map((request) => request.operation)
    return { handle, operations, passwords, sent, service }
  })

const state = (handle: PlatformUsersMemory.Handle) =>
  Effect.gen(function*() {
    const users = yield* handle.users
    const members = yield* Effect.forEach([1, 2, 3], (id) => handle.accountUsers(id))
    return JSON.stringify({ users, members })
  })

const input = (fields: Partial<Provisioning.ProvisionInput> & { readonly email: string }) =>
  ({ name: "New Person", accountId: account(1), ...fields }) as Provisioning.ProvisionInput

const memberRole = (handle: PlatformUsersMemory.Handle, accountId: number, userId: number) =>
  Effect.map(handle.accountUsers(accountId), (rows) => rows.find((row) => row.user_id === userId)?.role)

/** Every way a value may be shown, logged or serialised. */
const renderings = (value: unknown) => [
  String(value),
  JSON.stringify(value),
  inspect(value, { depth: 10 }),
  value instanceof Error ? `${value.message}\n${value.stack ?? ""}` : ""
]

const assertNowhere = (secret: string, ...values: ReadonlyArray<unknown>) => {
  assert.isTrue(secret.length >= 6)
  for (const value of values) {
    for (const text of renderings(value)) assert.notInclude(text, secret)
  }
}

describe("provision: the outcome of every step", () => {
  it.effect("a new person: created and added, in 2 requests, with a random password meeting the policy", () =>
    Effect.gen(function*() {
      const { handle, operations, passwords, sent, service } = yield* setup()
      const result = yield* service.provision(input({ email: "  New@Example.com ", customAttributes: { k: 1 } }))
      assert.deepStrictEqual(operations(), ["create", "accountUsers.add"])
      assert.strictEqual(result.user, "created")
      assert.strictEqual(result.membership, "added")
      assert.strictEqual(result.requests, 2)
      assert.strictEqual(result.email, "new@example.com")
      assert.strictEqual(result.role, "agent")
      assert.deepStrictEqual(result.updated, [])
      assert.isUndefined(result.loginUrl)
      assert.deepStrictEqual(sent[0]!.payload, {
        name: "New Person",
        email: "new@example.com",
        custom_attributes: { k: 1 }
      })
      assert.deepStrictEqual(sent[1]!.payload, { user_id: result.userId, role: "agent" })
      const user = Option.getOrThrow(yield* handle.user(result.userId))
      assert.strictEqual(user.email, "new@example.com")
      assert.deepStrictEqual(user.accounts.map((membership) => [membership.id, membership.role]), [[1, "agent"]])
      assert.strictEqual(passwords.length, 1)
      const password = passwords[0]!
      assert.deepStrictEqual(passwordViolations(password), [])
      assert.isTrue(yield* handle.passwordMatches(result.userId, password))
      assertNowhere(password, result, sent)
    }))

  it.effect("a given password is the new user's, and appears in no result", () =>
    Effect.gen(function*() {
      const { handle, passwords, service } = yield* setup()
      const result = yield* service.provision(
        input({ email: "pw@example.com", password: Redacted.make("Given-Secret-9") })
      )
      assert.deepStrictEqual(passwords, ["Given-Secret-9"])
      assert.isTrue(yield* handle.passwordMatches(result.userId, "Given-Secret-9"))
      assertNowhere("Given-Secret-9", result)
    }))

  it.effect("an existing user of another account is claimed: no update, added, 2 requests", () =>
    Effect.gen(function*() {
      const { handle, operations, service } = yield* setup()
      const result = yield* service.provision(input({ email: "erin@example.com", name: "Erin" }))
      assert.deepStrictEqual(operations(), ["create", "accountUsers.add"])
      assert.strictEqual(result.user, "claimed")
      assert.strictEqual(result.membership, "added")
      assert.strictEqual(result.userId, UserId.make(5))
      const erin = Option.getOrThrow(yield* handle.user(5))
      assert.deepStrictEqual(erin.apps, ["app"])
      assert.deepStrictEqual(erin.accounts.map((membership) => membership.id).sort(), [1, 3])
    }))

  it.effect("an existing user without accounts holding more than was sent is claimed", () =>
    Effect.gen(function*() {
      const { service } = yield* setup()
      const result = yield* service.provision(input({ email: "fay@example.com", name: "Fay" }))
      assert.strictEqual(result.user, "claimed")
      assert.strictEqual(result.requests, 2)
    }))

  it.effect("the documented heuristic: an existing user with no accounts and matching fields reads as created", () =>
    Effect.gen(function*() {
      const { handle, service } = yield* setup()
      const result = yield* service.provision(input({ email: "dan@example.com", name: "Dan" }))
      assert.strictEqual(result.userId, UserId.make(4))
      assert.strictEqual(result.user, "created")
      assert.strictEqual(result.membership, "added")
      assert.deepStrictEqual(Option.getOrThrow(yield* handle.user(4)).apps, ["app"])
    }))

  it.effect("differing fields: one update carrying only them (wanted keys only), then nothing else", () =>
    Effect.gen(function*() {
      const { handle, operations, sent, service } = yield* setup()
      const result = yield* service.provision(input({
        email: "alice@example.com",
        name: "Alice Smith",
        displayName: "Al",
        customAttributes: { team: "b", plan: "pro" }
      }))
      assert.deepStrictEqual(operations(), ["create", "update"])
      assert.deepStrictEqual(sent[1]!.payload, { name: "Alice Smith", custom_attributes: { team: "b" } })
      assert.strictEqual(result.user, "updated")
      assert.deepStrictEqual(result.updated, ["name", "custom_attributes.team"])
      assert.strictEqual(result.membership, "unchanged")
      assert.strictEqual(result.requests, 2)
      const alice = Option.getOrThrow(yield* handle.user(1))
      assert.strictEqual(alice.name, "Alice Smith")
      assert.strictEqual(alice.display_name, "Al")
      assert.deepStrictEqual(alice.custom_attributes, { plan: "pro", team: "b", since: 2020 })
    }))

  it.effect("a display name set to null is a difference; one left out is not", () =>
    Effect.gen(function*() {
      const { sent, service } = yield* setup()
      const cleared = yield* service.provision(input({ email: "alice@example.com", name: "Alice", displayName: null }))
      assert.deepStrictEqual(cleared.updated, ["display_name"])
      assert.deepStrictEqual(sent[1]!.payload, { display_name: null })
      const again = yield* service.provision(input({ email: "alice@example.com", name: "Alice" }))
      assert.strictEqual(again.user, "unchanged")
      assert.strictEqual(again.requests, 1)
    }))

  it.effect("another role: role_changed through the upsert, the user unchanged", () =>
    Effect.gen(function*() {
      const { handle, operations, sent, service } = yield* setup()
      const result = yield* service.provision(
        input({ email: "alice@example.com", name: "Alice", role: "administrator" })
      )
      assert.deepStrictEqual(operations(), ["create", "accountUsers.add"])
      assert.deepStrictEqual(sent[1]!.payload, { user_id: 1, role: "administrator" })
      assert.strictEqual(result.user, "unchanged")
      assert.strictEqual(result.membership, "role_changed")
      assert.strictEqual(yield* memberRole(handle, 1, 1), "administrator")
    }))

  it.effect("no role given: an existing administrator keeps the role (1 request); a new member is an agent", () =>
    Effect.gen(function*() {
      const { handle, operations, service } = yield* setup()
      yield* service.provision(input({ email: "alice@example.com", name: "Alice", role: "administrator" }))
      const before = operations().length
      const kept = yield* service.provision(input({ email: "alice@example.com", name: "Alice" }))
      assert.deepStrictEqual(operations().slice(before), ["create"])
      assert.deepStrictEqual([kept.membership, kept.role], ["unchanged", "administrator"])
      assert.strictEqual(yield* memberRole(handle, 1, 1), "administrator")
      const added = yield* service.provision(input({ email: "new@example.com", name: "New" }))
      assert.deepStrictEqual([added.membership, added.role], ["added", "agent"])
      assert.strictEqual(yield* memberRole(handle, 1, added.userId), "agent")
    }))

  it.effect("already as wanted: unchanged and unchanged, exactly 1 request", () =>
    Effect.gen(function*() {
      const { handle, operations, service } = yield* setup()
      const before = yield* state(handle)
      const result = yield* service.provision(input({
        email: "ALICE@example.com",
        name: "Alice",
        displayName: "Al",
        customAttributes: { plan: "pro" },
        role: "agent"
      }))
      assert.deepStrictEqual(operations(), ["create"])
      assert.strictEqual(result.user, "unchanged")
      assert.strictEqual(result.membership, "unchanged")
      assert.strictEqual(result.requests, 1)
      assert.strictEqual(yield* state(handle), before)
    }))

  it.effect("a membership with a null role counts as agent", () =>
    Effect.gen(function*() {
      const { operations, service } = yield* setup()
      const result = yield* service.provision(input({ email: "gus@example.com", name: "Gus", accountId: account(2) }))
      assert.deepStrictEqual(operations(), ["create"])
      assert.strictEqual(result.membership, "unchanged")
    }))

  it.effect("loginUrl adds 1 request and returns the link", () =>
    Effect.gen(function*() {
      const { operations, service } = yield* setup()
      const created = yield* service.provision(input({ email: "link@example.com", loginUrl: true }))
      assert.deepStrictEqual(operations(), ["create", "accountUsers.add", "loginUrl"])
      assert.strictEqual(created.requests, 3)
      assert.match(created.loginUrl!.url, /app\/login\?email=link%40example\.com&sso_auth_token=[0-9a-f]{64}$/)
      const unchanged = yield* service.provision(input({ email: "link@example.com", loginUrl: true }))
      assert.strictEqual(unchanged.requests, 2)
      assert.strictEqual(unchanged.user, "unchanged")
      assert.isDefined(unchanged.loginUrl)
    }))
})

describe("the layer", () => {
  it.effect("Provisioning.layer runs over PlatformMemory.layer's services", () =>
    Effect.gen(function*() {
      const service = yield* Provisioning.Provisioning
      const handle = yield* PlatformUsersMemory.PlatformUsersMemory
      const result = yield* service.provision(input({ email: "layer@example.com", role: "administrator" }))
      assert.deepStrictEqual([result.user, result.membership, result.requests], ["created", "added", 2])
      assert.strictEqual(yield* memberRole(handle, 1, result.userId), "administrator")
    }).pipe(Effect.provide(Provisioning.layer.pipe(Layer.provideMerge(PlatformMemory.layer({ seed, token: APP }))))))
})

describe("provision: idempotence", () => {
  it.effect("a second provision with the same input sends one request and reports unchanged/unchanged", () =>
    Effect.gen(function*() {
      const { handle, operations, service } = yield* setup()
      // jsonb reorders keys at every depth: the comparison must not care.
      const wanted = input({
        email: "twice@example.com",
        displayName: "Twice",
        customAttributes: { zeta: { b: 1, a: [1, { y: 2, x: 1 }] }, a: "x" },
        role: "administrator"
      })
      const first = yield* service.provision(wanted)
      assert.deepStrictEqual([first.user, first.membership, first.requests], ["created", "added", 2])
      const between = yield* state(handle)
      const second = yield* service.provision(wanted)
      assert.deepStrictEqual([second.user, second.membership, second.requests], ["unchanged", "unchanged", 1])
      assert.deepStrictEqual(operations(), ["create", "accountUsers.add", "create"])
      assert.strictEqual(yield* state(handle), between)
      const third = yield* service.provision(wanted)
      assert.strictEqual(third.requests, 1)
    }))

  it.effect("after an update or a role change, the rerun is unchanged", () =>
    Effect.gen(function*() {
      const { service } = yield* setup()
      const wanted = input({ email: "bob@example.com", name: "Robert", customAttributes: { n: [1] }, role: "agent" })
      const first = yield* service.provision(wanted)
      assert.deepStrictEqual([first.user, first.membership, first.requests], ["updated", "added", 3])
      const second = yield* service.provision(wanted)
      assert.deepStrictEqual([second.user, second.membership, second.requests], ["unchanged", "unchanged", 1])
    }))
})

describe("provision: failures, with what the steps before did", () => {
  it.effect("bad input: a Validation at the input step naming field and rule, nothing sent", () =>
    Effect.gen(function*() {
      const { operations, service } = yield* setup()
      const error = yield* Effect.flip(service.provision(input({ email: "not-an-email" })))
      assert.strictEqual(error.step, "input")
      assert.strictEqual(error.operation, "provision")
      assert.strictEqual(error.cause._tag, "Validation")
      if (error.cause._tag !== "Validation") return
      assert.strictEqual(error.cause.source, "client")
      assert.deepStrictEqual(error.cause.issues.map((issue) => [issue.field, issue.rule]), [
        ["email", "format"],
        ["email", "email_address"]
      ])
      assert.strictEqual(error.done.requests, 0)
      assert.include(error.message, "nothing was sent")
      assert.deepStrictEqual(operations(), [])
    }))

  it.effect("every broken rule is named by the input's field names, the password never quoted", () =>
    Effect.gen(function*() {
      const { operations, service } = yield* setup()
      const error = yield* Effect.flip(service.provision({
        email: "ok@example.com",
        name: "X",
        password: Redacted.make("weakpass"),
        customAttributes: [1] as any,
        accountId: 0 as AccountId,
        role: "admin" as any
      }))
      assert.strictEqual(error.step, "input")
      if (error.cause._tag !== "Validation") return assert.fail("not a Validation")
      assert.deepStrictEqual(error.cause.issues.map((issue) => [issue.field, issue.rule]), [
        ["password", "uppercase"],
        ["password", "number"],
        ["password", "special"],
        ["customAttributes", "json_object"],
        ["accountId", "positive_integer"],
        ["role", "one_of"]
      ])
      assertNowhere("weakpass", error)
      assert.deepStrictEqual(operations(), [])
    }))

  it.effect("an invalid token: the user step fails, nothing done", () =>
    Effect.gen(function*() {
      const { service } = yield* setup({ token: "NotAnAppToken00000000000" })
      const error = yield* Effect.flip(service.provision(input({ email: "new@example.com" })))
      assert.strictEqual(error.step, "user")
      assert.strictEqual(error.cause._tag, "Unauthorized")
      assert.strictEqual(error.cause._tag === "Unauthorized" && error.cause.reason, "InvalidToken")
      assert.deepStrictEqual({ ...error.done }, { requests: 1 })
      assert.strictEqual(error.email, "new@example.com")
      assert.strictEqual(error.accountId, 1)
    }))

  it.effect("an unknown account: the membership step fails with NotFound, the created user kept", () =>
    Effect.gen(function*() {
      const { handle, passwords, service } = yield* setup()
      const error = yield* Effect.flip(service.provision(input({ email: "lost@example.com", accountId: account(99) })))
      assert.strictEqual(error.step, "membership")
      assert.strictEqual(error.cause._tag, "NotFound")
      assert.strictEqual(error.cause._tag === "NotFound" && error.cause.resource, "account")
      assert.strictEqual(error.done.user, "created")
      assert.deepStrictEqual(error.done.updated, [])
      assert.isUndefined(error.done.membership)
      assert.strictEqual(error.done.requests, 2)
      const user = Option.getOrThrow(yield* handle.user(error.done.userId!))
      assert.strictEqual(user.email, "lost@example.com")
      assert.include(error.message, "lost@example.com in account 99: the membership step failed (user created")
      assert.include(error.message, "account 99 was not found")
      assertNowhere(passwords[0]!, error)
    }))

  it.effect("the update step fails: the user is left claimed", () =>
    Effect.gen(function*() {
      const { service } = yield* setup({ failOn: "update" })
      const error = yield* Effect.flip(service.provision(input({ email: "alice@example.com", name: "Changed" })))
      assert.strictEqual(error.step, "update")
      assert.strictEqual(error.cause._tag, "ServerError")
      assert.strictEqual(error.done.user, "claimed")
      assert.strictEqual(error.done.userId, UserId.make(1))
      assert.strictEqual(error.done.requests, 2)
    }))

  it.effect("the loginUrl step fails: user and membership done", () =>
    Effect.gen(function*() {
      const { handle, passwords, service } = yield* setup({ failOn: "loginUrl" })
      const error: ProvisioningError = yield* Effect.flip(
        service.provision(input({ email: "late@example.com", loginUrl: true }))
      )
      assert.strictEqual(error.step, "loginUrl")
      assert.strictEqual(error.done.user, "created")
      assert.strictEqual(error.done.membership, "added")
      assert.strictEqual(error.done.requests, 3)
      assert.strictEqual(yield* memberRole(handle, 1, error.done.userId!), "agent")
      assertNowhere(passwords[0]!, error)
    }))
})

describe("the random password", () => {
  it.effect("meets Chatwoot's policy, differs every time, and is never shown", () =>
    Effect.gen(function*() {
      const { passwords, service } = yield* setup()
      const results = yield* Effect.forEach(
        Array.from({ length: 40 }, (_, i) => input({ email: `p${i}@example.com` })),
        (wanted) => service.provision(wanted)
      )
      assert.strictEqual(new Set(passwords).size, 40)
      for (const password of passwords) {
        assert.deepStrictEqual(passwordViolations(password), [], "policy")
        assert.strictEqual(password.length, 32)
        assertNowhere(password, results)
      }
    }))
})

describe("deprovision", () => {
  it.effect("by user id: removed (the user stays); a rerun is unchanged", () =>
    Effect.gen(function*() {
      const { handle, operations, service } = yield* setup()
      const removed = yield* service.deprovision({ userId: UserId.make(1) }, account(1))
      assert.deepStrictEqual([removed.membership, removed.userDeleted, removed.requests], ["removed", false, 2])
      assert.deepStrictEqual(operations(), ["accountUsers.list", "accountUsers.remove"])
      assert.isUndefined(yield* memberRole(handle, 1, 1))
      assert.isTrue(Option.isSome(yield* handle.user(1)))
      const again = yield* service.deprovision({ userId: UserId.make(1) }, account(1))
      assert.deepStrictEqual([again.membership, again.requests], ["unchanged", 1])
    }))

  it.effect("by user id, not a member: unchanged, nothing written", () =>
    Effect.gen(function*() {
      const { handle, operations, service } = yield* setup()
      const before = yield* state(handle)
      const result = yield* service.deprovision({ userId: UserId.make(2) }, account(1))
      assert.strictEqual(result.membership, "unchanged")
      assert.deepStrictEqual(operations(), ["accountUsers.list"])
      assert.strictEqual(yield* state(handle), before)
    }))

  it.effect("by email (trimmed, any case): found among the members, removed", () =>
    Effect.gen(function*() {
      const { handle, operations, service } = yield* setup()
      const result = yield* service.deprovision({ email: "  ALICE@Example.com " }, account(1))
      assert.strictEqual(result.membership, "removed")
      assert.strictEqual(result.userId, UserId.make(1))
      assert.strictEqual(result.email, "alice@example.com")
      assert.deepStrictEqual(operations(), ["accountUsers.list", "get", "accountUsers.remove"])
      assert.isUndefined(yield* memberRole(handle, 1, 1))
    }))

  it.effect("by email: a member the app cannot read is skipped; no such user among members is unchanged", () =>
    Effect.gen(function*() {
      const { handle, operations, service } = yield* setup()
      const before = yield* state(handle)
      const carol = yield* service.deprovision({ email: "carol@example.com" }, account(1))
      assert.deepStrictEqual([carol.membership, carol.unreadable, carol.requests], ["unchanged", 1, 3])
      assert.isUndefined(carol.userId)
      const nobody = yield* service.deprovision({ email: "nobody@example.com" }, account(2))
      assert.strictEqual(nobody.membership, "unchanged")
      assert.deepStrictEqual(operations(), ["accountUsers.list", "get", "get", "accountUsers.list", "get", "get"])
      assert.strictEqual(yield* state(handle), before)
    }))

  it.effect("deleteUser: the membership and the user go; a rerun still succeeds", () =>
    Effect.gen(function*() {
      const { handle, service } = yield* setup()
      const result = yield* service.deprovision({ email: "bob@example.com" }, account(2), true)
      assert.deepStrictEqual([result.membership, result.userDeleted, result.requests], ["removed", true, 4])
      assert.isTrue(Option.isNone(yield* handle.user(2)))
      const again = yield* service.deprovision({ userId: UserId.make(2) }, account(2), true)
      assert.deepStrictEqual([again.membership, again.userDeleted], ["unchanged", true])
    }))

  it.effect("a failed remove reports the step; bad input sends nothing", () =>
    Effect.gen(function*() {
      const { operations, service } = yield* setup({ failOn: "accountUsers.remove" })
      const error = yield* Effect.flip(service.deprovision({ userId: UserId.make(1) }, account(1)))
      assert.deepStrictEqual([error.step, error.done.userId, error.done.requests], ["remove", 1, 2])
      const invalid = yield* Effect.flip(service.deprovision({ email: "x@" }, account(1)))
      assert.strictEqual(invalid.step, "input")
      const missing = yield* Effect.flip(service.deprovision({ userId: UserId.make(1) }, account(99)))
      assert.deepStrictEqual([missing.step, missing.cause._tag], ["members", "NotFound"])
      assert.deepStrictEqual(operations(), ["accountUsers.list", "accountUsers.remove", "accountUsers.list"])
    }))

  it.effect("batched: the members read once, then only the writes per record", () =>
    Effect.gen(function*() {
      const { handle, operations, service } = yield* setup()
      const members = yield* service.membersOf(account(1))
      assert.strictEqual(members.requests, 3)
      assert.deepStrictEqual(
        members.members.map((member) => [member.userId, member.role, member.profile?.email ?? null]),
        [[1, "agent", "alice@example.com"], [3, "agent", null]]
      )
      assert.isTrue(Option.isSome(Provisioning.findMember(members, { email: "Alice@example.com" })))
      assert.isTrue(Option.isNone(Provisioning.findMember(members, { email: "carol@example.com" })))
      const alice = yield* service.deprovisionFrom(members, { email: "alice@example.com" })
      const nobody = yield* service.deprovisionFrom(members, { email: "nobody@example.com" })
      assert.deepStrictEqual([alice.membership, alice.requests], ["removed", 1])
      assert.deepStrictEqual([nobody.membership, nobody.requests, nobody.unreadable], ["unchanged", 0, 1])
      assert.deepStrictEqual(operations(), ["accountUsers.list", "get", "get", "accountUsers.remove"])
      assert.isUndefined(yield* memberRole(handle, 1, 1))
    }))
})

describe("plans: the same decisions from reads only", () => {
  it.effect("a member: the exact decision, matching what provision then does", () =>
    Effect.gen(function*() {
      const { handle, operations, service } = yield* setup()
      const before = yield* state(handle)
      const wanted = input({
        email: "alice@example.com",
        name: "Alice B",
        customAttributes: { plan: "pro", team: "z" },
        role: "administrator",
        loginUrl: true
      })
      const plan = yield* service.plan(wanted)
      assert.strictEqual(plan._tag, "Decided")
      if (plan._tag !== "Decided") return
      assert.deepStrictEqual(
        [plan.userId, plan.user, plan.updated, plan.membership, plan.requests],
        [1, "updated", ["name", "custom_attributes.team"], "role_changed", 4]
      )
      assert.deepStrictEqual(operations(), ["accountUsers.list", "get"])
      assert.strictEqual(yield* state(handle), before)
      const result = yield* service.provision(wanted)
      assert.deepStrictEqual(
        [result.user, result.updated, result.membership, result.requests],
        [plan.user, plan.updated, plan.membership, plan.requests]
      )
      const rerun = yield* service.plan(wanted)
      assert.deepStrictEqual(
        rerun._tag === "Decided" && [rerun.user, rerun.membership, rerun.requests],
        ["unchanged", "unchanged", 2]
      )
    }))

  it.effect("not found among the members: undecided, with the reason", () =>
    Effect.gen(function*() {
      const { handle, operations, service } = yield* setup()
      const before = yield* state(handle)
      const plan = yield* service.plan(input({ email: "carol@example.com", name: "Carol" }))
      assert.strictEqual(plan._tag, "Undecided")
      if (plan._tag !== "Undecided") return
      assert.strictEqual(plan.unreadable, 1)
      assert.strictEqual(plan.maxRequests, 3)
      assert.include(plan.reason, "cannot look a user up by email without claiming it")
      assert.include(plan.reason, "would create or claim the user, then add the membership as agent")
      assert.deepStrictEqual(operations(), ["accountUsers.list", "get", "get"])
      assert.strictEqual(yield* state(handle), before)
    }))

  it.effect("planMany reads each account's members once; no write", () =>
    Effect.gen(function*() {
      const { handle, operations, service } = yield* setup()
      const before = yield* state(handle)
      const plans = yield* service.planMany([
        input({ email: "alice@example.com", name: "Alice" }),
        input({ email: "newbie@example.com" }),
        input({ email: "bob@example.com", name: "Bob", accountId: account(2), role: "administrator" }),
        input({ email: "gus@example.com", name: "Gus", accountId: account(2), role: "administrator" })
      ])
      assert.deepStrictEqual(
        plans.map((plan) =>
          plan._tag === "Decided" ? [plan.user, plan.membership, plan.requests] : [plan._tag, plan.maxRequests]
        ),
        [["unchanged", "unchanged", 1], ["Undecided", 3], ["unchanged", "unchanged", 1], [
          "unchanged",
          "role_changed",
          2
        ]]
      )
      assert.deepStrictEqual(operations(), ["accountUsers.list", "get", "get", "accountUsers.list", "get", "get"])
      assert.strictEqual(yield* state(handle), before)
      const invalid = yield* Effect.flip(service.planMany([input({ email: "a@example.com" }), input({ email: "" })]))
      assert.strictEqual(invalid.step, "input")
      assert.strictEqual(operations().length, 6)
    }))

  it.effect("deprovision plans: would remove / not a member, from reads only", () =>
    Effect.gen(function*() {
      const { handle, operations, service } = yield* setup()
      const before = yield* state(handle)
      const alice = yield* service.planDeprovision({ email: "alice@example.com" }, account(1), true)
      assert.deepStrictEqual(
        [alice.membership, alice.userId, alice.deleteUser, alice.requests],
        ["would_remove", 1, true, 2]
      )
      const bob = yield* service.planDeprovision({ userId: UserId.make(2) }, account(1))
      assert.deepStrictEqual([bob.membership, bob.requests], ["not_a_member", 0])
      const members = yield* service.membersOf(account(1))
      const carol = Outcome.getOrThrow(Provisioning.planDeprovisionFrom(members, { email: "carol@example.com" }))
      assert.deepStrictEqual([carol.membership, carol.unreadable], ["not_a_member", 1])
      const planned = Outcome.getOrThrow(Provisioning.planFrom(members, input({ email: "alice@example.com" })))
      assert.deepStrictEqual(planned._tag === "Decided" && [planned.updated, planned.requests], [["name"], 2])
      assert.isTrue(
        Outcome.isFailure(Provisioning.planFrom(members, input({ email: "a@b.co", accountId: account(2) })))
      )
      assert.deepStrictEqual(operations(), [
        "accountUsers.list",
        "get",
        "accountUsers.list",
        "accountUsers.list",
        "get",
        "get"
      ])
      assert.strictEqual(yield* state(handle), before)
    }))
})

describe("decodeProvisionInput: untrusted records", () => {
  it("decodes a JSON record, the password redacted and the email normalised", () => {
    const decoded = Outcome.getOrThrow(Provisioning.decodeProvisionInput({
      email: " Jo@Example.com",
      name: "Jo",
      password: "Secret-123",
      accountId: 7
    }))
    assert.strictEqual(decoded.email, "jo@example.com")
    // No role: kept missing, so an existing membership keeps its role.
    assert.isUndefined(decoded.role)
    assert.isTrue(Redacted.isRedacted(decoded.password))
    assertNowhere("Secret-123", decoded)
  })

  it("rejects unknown and missing fields, never quoting a password", () => {
    const error = Outcome.getOrThrow(Outcome.flip(Provisioning.decodeProvisionInput({
      email: "jo@example.com",
      password: 1234567,
      acountId: 7
    })))
    assert.deepStrictEqual(error.issues.map((issue) => [issue.field, issue.rule]).sort(), [
      ["accountId", "required"],
      ["acountId", "unknown_field"],
      ["name", "required"],
      ["password", "type"]
    ])
    assertNowhere("1234567", error)
    const notObject = Outcome.getOrThrow(Outcome.flip(Provisioning.decodeProvisionInput("Secret-123")))
    assertNowhere("Secret-123", notObject)
  })
})
