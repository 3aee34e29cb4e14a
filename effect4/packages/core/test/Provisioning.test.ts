// The Effect 4 Provisioning service over PlatformServices' Caller: a small scripted caller (users and account
// memberships in a Map, answers decoded with each route's own response schema, payloads checked with each route's
// rules as the Caller contract says) stands in for the in-memory layer, which the contract port brings later. What
// is checked: the steps and their requests, idempotence, the random password, deprovision, plans without writes,
// decodeProvisionInput on untrusted records.
import { AccountId } from "@chatwoot-effect/core/Account"
import * as PlatformServices from "@chatwoot-effect/core/PlatformServices"
import type { Operation, PlatformUsersError } from "@chatwoot-effect/core/PlatformUsersError"
import { NotFound, ServerError, UnexpectedResponse } from "@chatwoot-effect/core/PlatformUsersError"
import * as Provisioning from "@chatwoot-effect/core/Provisioning"
import { UserId } from "@chatwoot-effect/core/User"
import { passwordViolations } from "@chatwoot-effect/core/UserRules"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { inspect } from "node:util"

interface Row {
  id: number
  name: string
  email: string
  display_name: string | null
  custom_attributes: Record<string, unknown>
}

interface Member {
  readonly account_id: number
  readonly user_id: number
  role: string
}

const account = (id: number) => AccountId.make(id)

const setup = (options?: { readonly failOn?: Operation }) =>
  Effect.gen(function*() {
    const users = new Map<number, Row>([
      [1, { id: 1, name: "Alice", email: "alice@example.com", display_name: "Al", custom_attributes: { team: "a" } }],
      [2, { id: 2, name: "Bob", email: "bob@example.com", display_name: null, custom_attributes: {} }]
    ])
    const members: Array<Member> = [
      { account_id: 1, user_id: 1, role: "agent" },
      { account_id: 2, user_id: 2, role: "administrator" }
    ]
    const operations: Array<Operation> = []
    const passwords: Array<string> = []
    const render = (row: Row) => ({
      ...row,
      accounts: members.filter((m) => m.user_id === row.id).map((m) => ({
        id: m.account_id,
        name: `Account ${m.account_id}`,
        active_at: null,
        role: m.role
      }))
    })
    const answer = (
      operation: Operation,
      params: { id?: number | undefined; account_id?: number | undefined },
      body: any
    ): unknown => {
      switch (operation) {
        case "create": {
          passwords.push(Redacted.value(body.password))
          const existing = [...users.values()].find((row) => row.email === body.email)
          if (existing !== undefined) return render(existing)
          const row: Row = {
            id: users.size + 1,
            name: body.name,
            email: body.email,
            display_name: body.display_name ?? null,
            custom_attributes: body.custom_attributes ?? {}
          }
          users.set(row.id, row)
          return render(row)
        }
        case "get":
        case "update":
        case "delete": {
          const row = users.get(params.id!)
          if (row === undefined) throw new NotFound({ operation, resource: "user", id: params.id! })
          if (operation === "delete") {
            users.delete(row.id)
            return undefined
          }
          if (operation === "update") {
            if (body.name !== undefined) row.name = body.name
            if (body.display_name !== undefined) row.display_name = body.display_name
            if (body.custom_attributes !== undefined) {
              row.custom_attributes = { ...row.custom_attributes, ...body.custom_attributes }
            }
          }
          return render(row)
        }
        case "loginUrl":
          return { url: `https://chat.example.com/app/login?email=${params.id}&sso_auth_token=t` }
        case "accountUsers.list":
          return members.filter((m) => m.account_id === params.account_id).map((m) => ({ ...m, id: m.user_id }))
        case "accountUsers.add": {
          const existing = members.find((m) => m.account_id === params.account_id && m.user_id === body.user_id)
          if (existing !== undefined) {
            if (body.role !== undefined) existing.role = body.role
            return { ...existing, id: existing.user_id }
          }
          const member = { account_id: params.account_id!, user_id: body.user_id, role: body.role ?? "agent" }
          members.push(member)
          return { ...member, id: member.user_id }
        }
        case "accountUsers.remove": {
          const index = members.findIndex((m) => m.account_id === params.account_id && m.user_id === body.user_id)
          if (index >= 0) members.splice(index, 1)
          return undefined
        }
        default:
          throw new ServerError({ operation, status: 500 })
      }
    }
    const caller: PlatformServices.Caller = (route, params, payload) =>
      Effect.gen(function*() {
        operations.push(route.operation)
        if (route.payload !== undefined) yield* Effect.fromResult(route.payload.validate(payload as never))
        if (route.operation === options?.failOn) {
          return yield* Effect.fail(new ServerError({ operation: route.operation, status: 503 }))
        }
        const raw = yield* Effect.try({
          try: () => JSON.parse(JSON.stringify(answer(route.operation, params, payload)) ?? "null"),
          catch: (error) => error as PlatformUsersError
        })
        if (route.response === undefined) return undefined as never
        return yield* Schema.decodeUnknownEffect(route.response)(raw).pipe(
          Effect.mapError((error) =>
            new UnexpectedResponse({ operation: route.operation, reason: "Decode", status: 200, detail: error.message })
          )
        )
      })
    const service = yield* Provisioning.make.pipe(Effect.provide(PlatformServices.context(caller)))
    const state = () => JSON.stringify({ users: [...users.values()], members })
    return { members, operations, passwords, service, state, users }
  })

const input = (fields: Partial<Provisioning.ProvisionInput> & { readonly email: string }) =>
  ({ name: "New Person", accountId: account(1), ...fields }) as Provisioning.ProvisionInput

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

describe("Provisioning (Effect 4)", () => {
  it.effect("a new person: created and added in 2 requests; a rerun sends 1 and changes nothing", () =>
    Effect.gen(function*() {
      const { operations, passwords, service, state } = yield* setup()
      const result = yield* service.provision(input({ email: "  New@Example.com ", customAttributes: { k: 1 } }))
      assert.deepStrictEqual(operations, ["create", "accountUsers.add"])
      assert.deepStrictEqual(
        [result.email, result.userId, result.user, result.membership, result.requests],
        ["new@example.com", 3, "created", "added", 2]
      )
      assert.strictEqual(passwords.length, 1)
      assert.deepStrictEqual(passwordViolations(passwords[0]!), [])
      assertNowhere(passwords[0]!, result)
      const before = state()
      const rerun = yield* service.provision(input({ email: "new@example.com", customAttributes: { k: 1 } }))
      assert.deepStrictEqual([rerun.user, rerun.membership, rerun.requests], ["unchanged", "unchanged", 1])
      assert.strictEqual(state(), before)
    }))

  it.effect("an existing member: updated field by field, role changed, login link minted", () =>
    Effect.gen(function*() {
      const { members, service } = yield* setup()
      const result = yield* service.provision(input({
        email: "alice@example.com",
        name: "Alice B",
        customAttributes: { team: "a", plan: "pro" },
        role: "administrator",
        loginUrl: true
      }))
      assert.deepStrictEqual(
        [result.user, result.updated, result.membership],
        ["updated", ["name", "custom_attributes.plan"], "role_changed"]
      )
      assert.isDefined(result.loginUrl)
      assert.strictEqual(members.find((m) => m.user_id === 1 && m.account_id === 1)?.role, "administrator")
    }))

  it.effect("a failed step says which, and what the steps before did", () =>
    Effect.gen(function*() {
      const { service } = yield* setup({ failOn: "accountUsers.add" })
      const error = yield* Effect.flip(service.provision(input({ email: "new@example.com" })))
      assert.strictEqual(error._tag, "ProvisioningError")
      assert.strictEqual(error.step, "membership")
      assert.strictEqual(error.cause._tag, "ServerError")
      assert.deepStrictEqual([error.done.user, error.done.requests], ["created", 2])
      const invalid = yield* Effect.flip(service.provision(input({ email: "not-an-email" })))
      assert.strictEqual(invalid.step, "input")
      assert.strictEqual(invalid.done.requests, 0)
    }))

  it.effect("deprovision removes the membership (and deletes the user when asked); plans write nothing", () =>
    Effect.gen(function*() {
      const { members, operations, service, state, users } = yield* setup()
      const before = state()
      const plan = yield* service.planDeprovision({ email: "Alice@example.com" }, account(1), true)
      assert.deepStrictEqual([plan.membership, plan.userId, plan.deleteUser, plan.requests], [
        "would_remove",
        1,
        true,
        2
      ])
      const planned = yield* service.plan(input({ email: "alice@example.com", name: "Alice" }))
      assert.deepStrictEqual(planned._tag === "Decided" && [planned.user, planned.membership], [
        "unchanged",
        "unchanged"
      ])
      assert.strictEqual(state(), before)
      const membersOf = yield* service.membersOf(account(1))
      assert.isTrue(Option.isSome(Provisioning.findMember(membersOf, { email: "alice@example.com" })))
      assert.isTrue(Option.isNone(Provisioning.findMember(membersOf, { email: "bob@example.com" })))
      assert.isTrue(
        Result.isFailure(Provisioning.planFrom(membersOf, input({ email: "a@b.co", accountId: account(2) })))
      )
      const done = yield* service.deprovision({ userId: UserId.make(1) }, account(1), true)
      assert.strictEqual(done.membership, "removed")
      assert.isFalse(members.some((m) => m.user_id === 1))
      assert.isFalse(users.has(1))
      assert.includeMembers(operations, ["accountUsers.remove", "delete"])
    }))

  it.effect("Provisioning.layer builds the service from the four Context.Service tags", () =>
    Effect.gen(function*() {
      const { service } = yield* setup()
      const viaLayer = yield* Effect.gen(function*() {
        return yield* Provisioning.Provisioning
      }).pipe(Effect.provide(Provisioning.layer.pipe(Layer.provide(Layer.succeedContext(
        PlatformServices.context(() => Effect.die("unused"))
      )))))
      assert.isFunction(viaLayer.provision)
      assert.isFunction(service.provision)
    }))
})

describe("decodeProvisionInput: untrusted records", () => {
  it("decodes a JSON record, the password redacted and the email normalised", () => {
    const decoded = Result.getOrThrow(Provisioning.decodeProvisionInput({
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
    const error = Result.getOrThrow(Result.flip(Provisioning.decodeProvisionInput({
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
    const notObject = Result.getOrThrow(Result.flip(Provisioning.decodeProvisionInput("Secret-123")))
    assertNowhere("Secret-123", notObject)
  })
})
