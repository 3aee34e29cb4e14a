// One behaviour suite for the accounts, account users and agent bots services (PLATFORM.md), run against every way of
// getting them: the in-memory layer, and the live client over the emulator's loopback socket on three HTTP clients
// (fetch, node:http, and the package's lean undici client). The same assertions hold for all of them: same results,
// same typed errors (class, `_tag`, reason, resource, id, operation, message).
import { AccountId } from "@chatwoot-effect/core/Account"
import * as AccountPayload from "@chatwoot-effect/core/AccountPayload"
import { AgentBot, AgentBotId } from "@chatwoot-effect/core/AgentBot"
import * as PlatformAccounts from "@chatwoot-effect/core/PlatformAccounts"
import * as PlatformAccountUsers from "@chatwoot-effect/core/PlatformAccountUsers"
import * as PlatformAgentBots from "@chatwoot-effect/core/PlatformAgentBots"
import * as PlatformMemory from "@chatwoot-effect/core/PlatformMemory"
import * as PlatformRules from "@chatwoot-effect/core/PlatformRules"
import * as PlatformServices from "@chatwoot-effect/core/PlatformServices"
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import type { PlatformUsersError } from "@chatwoot-effect/core/PlatformUsersError"
import { NotFound, Unauthorized, Validation } from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import { UserId } from "@chatwoot-effect/core/User"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Util from "node:util"
import * as PlatformHttp from "../src/PlatformHttp.js"
import * as PlatformUsersEmulator from "../src/PlatformUsersEmulator.js"
import { stateOf } from "./utils/PlatformState.js"
import { countRequests } from "./utils/RequestCount.js"

const APP = "BehaviourPlatformApp0001"
const OTHER = "BehaviourPlatformApp0002"
const THIRD = "BehaviourPlatformApp0003"
const BOT_TOKEN = "HelperBotToken7kQ9mW2xZa"
const SENDER = "Chatwoot <accounts@chatwoot.com>"
const BASE58_TOKEN = /^[1-9A-HJ-NP-Za-km-z]{24}$/
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])

const acme = AccountId.make(1)
const theirs = AccountId.make(2)
const legacy = AccountId.make(3)
const missingAccount = AccountId.make(99)
const helper = AgentBotId.make(1)
const theirBot = AgentBotId.make(2)
const missingBot = AgentBotId.make(99)
const dev = UserId.make(1)
const ada = UserId.make(2)
const stranger = UserId.make(3)

// Account 1 and bot 1 are the app's, account 2 and bot 2 the other app's; account 3 holds a limits key EE mode
// rejects (seeds do not check them). User 1 is an agent of account 1; user 3 is the other app's.
const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "app", token: APP }, { name: "other", token: OTHER }],
  accounts: [
    {
      id: 1,
      name: "Acme",
      domain: "acme.test",
      support_email: "support@acme.test",
      custom_attributes: { tier: 1, plan: "pro" },
      limits: { inboxes: 10, agents: 5 },
      apps: ["app"]
    },
    { id: 2, name: "Theirs", apps: ["other"] },
    { id: 3, name: "Legacy", limits: { users: 3 }, apps: ["app"] }
  ],
  agent_bots: [
    {
      id: 1,
      name: "Helper",
      description: "Answers",
      outgoing_url: "https://bots.example.com/hook",
      account_id: 1,
      access_token: BOT_TOKEN,
      apps: ["app"]
    },
    { id: 2, name: "Their bot", apps: ["other"] }
  ],
  users: [
    { id: 1, name: "Dev", email: "dev@example.com", apps: ["app"], accounts: [{ id: 1, role: "agent" }] },
    { id: 2, name: "Ada", email: "ada@example.com", apps: ["app"] },
    { id: 3, name: "Stranger", email: "stranger@example.com", apps: ["other"] }
  ]
}))

interface ServerOptions {
  readonly defaultFeatures?: ReadonlyArray<string>
  readonly supportEmailFallback?: string | null
  readonly eeMode?: boolean
  readonly accountDelete?: "immediate" | "deferred"
}

interface Clients {
  readonly accounts: PlatformAccounts.Service
  readonly accountUsers: PlatformAccountUsers.Service
  readonly agentBots: PlatformAgentBots.Service
  readonly users: PlatformUsers.Service
}

interface Env {
  /** The services, calling as the platform app with this token. */
  readonly as: (token: string) => Effect.Effect<Clients, never, Scope.Scope>
  /** The server behind them, to inspect. */
  readonly memory: PlatformUsersMemory.Handle
  /** The requests the server has received so far; `undefined` in memory, where nothing goes over a wire. */
  readonly requests: Effect.Effect<number> | undefined
}

type MakeEnv = (options: ServerOptions) => Effect.Effect<Env, unknown, Scope.Scope>

const clientsOf = (context: Context.Context<PlatformServices.Services>): Clients => ({
  accounts: Context.get(context, PlatformAccounts.PlatformAccounts),
  accountUsers: Context.get(context, PlatformAccountUsers.PlatformAccountUsers),
  agentBots: Context.get(context, PlatformAgentBots.PlatformAgentBots),
  users: Context.get(context, PlatformUsers.PlatformUsers)
})

const liveOver = (client: (options: PlatformHttp.Options) => Layer.Layer<PlatformServices.Services>): MakeEnv =>
(
  options
) =>
  Effect.gen(function*() {
    const { emulator, url } = yield* PlatformUsersEmulator.serve({ host: "127.0.0.1", port: 0, seed, ...options })
    const requests = yield* countRequests(url)
    return {
      memory: emulator.memory,
      requests,
      as: (token) =>
        Effect.map(
          Layer.build(client({ baseUrl: url, apiAccessToken: Redacted.make(token), retry: false })),
          clientsOf
        )
    }
  })

const environments: ReadonlyArray<readonly [string, MakeEnv]> = [
  [
    "in-memory layer (PlatformMemory.layer)",
    (options) =>
      Effect.gen(function*() {
        const context = yield* Layer.build(PlatformMemory.layer({ seed, ...options }))
        const memory = Context.get(context, PlatformUsersMemory.PlatformUsersMemory)
        // The layer as users get it, for the default (first) app; the handle's caller for the others.
        const byLayer = clientsOf(context)
        return {
          memory,
          requests: undefined,
          as: (token) =>
            Effect.succeed(token === APP ? byLayer : clientsOf(PlatformServices.context(memory.callerFor(token))))
        }
      })
  ],
  [
    "live client on FetchHttpClient over the emulator's socket",
    liveOver((options) => PlatformHttp.layerWithHttpClient(options).pipe(Layer.provide(FetchHttpClient.layer)))
  ],
  [
    "live client on NodeHttpClient over the emulator's socket",
    liveOver((options) => PlatformHttp.layerWithHttpClient(options).pipe(Layer.provide(NodeHttpClient.layer)))
  ],
  ["live client on the lean client (PlatformHttp.layer) over the emulator's socket", liveOver(PlatformHttp.layer)]
]

/**
 * Runs `effect` and checks that the server's state is exactly as before and that `sent` requests reached the socket
 * (where there is one): 0 for a client-side `Validation`, 1 for a request the server refused.
 */
const unchanged = <A, E, R>(env: Env, sent: number, effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const before = yield* stateOf(env.memory)
    const requestsBefore = env.requests === undefined ? 0 : yield* env.requests
    const result = yield* effect
    assert.deepStrictEqual(yield* stateOf(env.memory), before)
    if (env.requests !== undefined) assert.strictEqual((yield* env.requests) - requestsBefore, sent, "requests sent")
    return result
  })

// Typed errors compared by class, tag, every field and the message (chai's deep equality recurses forever on the
// errors themselves).
const sameError = (actual: unknown, expected: PlatformUsersError) => {
  assert.instanceOf(actual, expected.constructor as new(...args: Array<any>) => unknown)
  const error = actual as PlatformUsersError
  assert.strictEqual(error._tag, expected._tag)
  assert.deepStrictEqual({ ...error }, { ...expected }, `${String(error)} vs ${String(expected)}`)
  assert.strictEqual(error.message, expected.message)
}

/** A client-side `Validation`: the operation, the fields (in order) and each issue's field and rule. */
const clientValidation = (
  actual: unknown,
  operation: Validation["operation"],
  issues: ReadonlyArray<readonly [field: string, rule: string]>
) => {
  assert.instanceOf(actual, Validation)
  const error = actual as Validation
  assert.strictEqual(error._tag, "Validation")
  assert.strictEqual(error.operation, operation)
  assert.strictEqual(error.source, "client")
  assert.deepStrictEqual(error.attributes, Array.from(new Set(issues.map(([field]) => field))))
  assert.deepStrictEqual(error.issues.map((issue) => [issue.field, issue.rule]), issues.map((issue) => [...issue]))
  // The message names every field and rule.
  for (const [field, rule] of issues) {
    assert.include(error.message, `${field}: `)
    assert.include(error.message, `[${rule}]`)
  }
  assert.isUndefined(error.serverMessage)
  assert.include(error.message, "checked before sending, nothing was sent")
}

const invalidToken = (
  operation: Unauthorized["operation"],
  subject?: { resource: Unauthorized["resource"]; id: number }
) => new Unauthorized({ operation, reason: "InvalidToken", ...subject })

const nonPermissible = (operation: Unauthorized["operation"], resource: Unauthorized["resource"], id: number) =>
  new Unauthorized({ operation, reason: "NonPermissibleResource", resource, id })

const allOn = (names: ReadonlyArray<string>) => Object.fromEntries(names.map((name) => [name, true]))

const long = (n: number, char = "a") => char.repeat(n)

// Payloads a typed caller cannot write, as JavaScript callers and decoded input can.
const loose = <A>(value: unknown): A => value as A

const behaviour = (name: string, makeEnv: MakeEnv) =>
  describe(`Platform services behaviour: ${name}`, () => {
    const withEnv = <A, E>(
      options: ServerOptions,
      f: (env: Env, app: Clients) => Effect.Effect<A, E, Scope.Scope>
    ) =>
      Effect.gen(function*() {
        const env = yield* Effect.orDie(makeEnv(options))
        return yield* f(env, yield* env.as(APP))
      })

    describe("accounts (PLATFORM.md §3)", () => {
      it.scoped("§3.8 1-2, 7-8, 10-11, 14-15, 18-19: an invalid token is InvalidToken on every route", () =>
        withEnv({}, (env) =>
          Effect.gen(function*() {
            const { accounts } = yield* env.as("invalid")
            const failures = yield* unchanged(
              env,
              7,
              Effect.all([
                Effect.flip(accounts.list()),
                Effect.flip(accounts.create({ name: "Test Account" })),
                Effect.flip(accounts.get(acme)),
                Effect.flip(accounts.update(acme, { name: "x" })),
                Effect.flip(accounts.delete(acme)),
                // The token is checked before the account is looked up.
                Effect.flip(accounts.get(missingAccount)),
                Effect.flip(accounts.delete(theirs))
              ])
            )
            const expected = [
              invalidToken("accounts.list"),
              invalidToken("accounts.create"),
              invalidToken("accounts.get", { resource: "account", id: 1 }),
              invalidToken("accounts.update", { resource: "account", id: 1 }),
              invalidToken("accounts.delete", { resource: "account", id: 1 }),
              invalidToken("accounts.get", { resource: "account", id: 99 }),
              invalidToken("accounts.delete", { resource: "account", id: 2 })
            ]
            failures.forEach((failure, i) => sameError(failure, expected[i]!))
            assert.include(failures[2]!.message, "accounts.get on account 1: Chatwoot rejected the platform token")
          })))

      it.scoped("§3.8 12, 16, 20: without permission, NonPermissibleResource on the account; nothing changes", () =>
        withEnv({}, (env, { accounts }) =>
          Effect.gen(function*() {
            const failures = yield* unchanged(
              env,
              3,
              Effect.all([
                Effect.flip(accounts.get(theirs)),
                Effect.flip(accounts.update(theirs, { name: "Mine now" })),
                Effect.flip(accounts.delete(theirs))
              ])
            )
            sameError(failures[0], nonPermissible("accounts.get", "account", 2))
            sameError(failures[1], nonPermissible("accounts.update", "account", 2))
            sameError(failures[2], nonPermissible("accounts.delete", "account", 2))
            assert.include(
              failures[0]!.message,
              "accounts.get on account 2: this platform app has no permission on the account"
            )
            // The owner still manages it.
            assert.strictEqual((yield* (yield* env.as(OTHER)).accounts.get(theirs)).name, "Theirs")
          })))

      it.scoped("404: NotFound naming the account, before the permission check, for any app", () =>
        withEnv({}, (env, { accounts }) =>
          Effect.gen(function*() {
            const other = (yield* env.as(OTHER)).accounts
            const failures = yield* unchanged(
              env,
              4,
              Effect.all([
                Effect.flip(accounts.get(missingAccount)),
                Effect.flip(accounts.update(missingAccount, { name: "x" })),
                Effect.flip(other.delete(missingAccount)),
                Effect.flip(other.get(missingAccount))
              ])
            )
            sameError(failures[0], new NotFound({ operation: "accounts.get", resource: "account", id: 99 }))
            sameError(failures[1], new NotFound({ operation: "accounts.update", resource: "account", id: 99 }))
            sameError(failures[2], new NotFound({ operation: "accounts.delete", resource: "account", id: 99 }))
            sameError(failures[3], new NotFound({ operation: "accounts.get", resource: "account", id: 99 }))
            assert.strictEqual(failures[0]!.message, "accounts.get: account 99 was not found")
          })))

      it.scoped("§3.8 3: create gives the 9 fields with their defaults and the app's permission; no member", () =>
        withEnv({ defaultFeatures: [] }, (env, { accounts }) =>
          Effect.gen(function*() {
            const created = yield* accounts.create({ name: "Test Account" })
            assert.deepStrictEqual({ ...created }, {
              id: 4,
              name: "Test Account",
              locale: "en",
              domain: null,
              support_email: SENDER,
              features: {},
              custom_attributes: {},
              limits: {},
              status: "active"
            })
            const stored = Option.getOrThrow(yield* env.memory.account(4))
            assert.strictEqual(stored.name, "Test Account")
            assert.deepStrictEqual(stored.apps, ["app"])
            assert.deepStrictEqual(yield* env.memory.accountUsers(4), [])
            assert.deepStrictEqual(yield* accounts.get(created.id), created)
            assert.deepStrictEqual((yield* accounts.list()).map((account) => account.id), [1, 3, 4])
          })))

      it.scoped("§3.8 4: with defaults [agent_management], create with locale es", () =>
        withEnv({ defaultFeatures: ["agent_management"] }, (_env, { accounts }) =>
          Effect.gen(function*() {
            const created = yield* accounts.create({ name: "Test Account", locale: "es" })
            assert.strictEqual(created.locale, "es")
            assert.deepStrictEqual(created.features, { agent_management: true })
          })))

      it.scoped("§3.8 5: feature flags by name, on top of the defaults, in features.yml order", () =>
        withEnv({ defaultFeatures: ["inbox_management", "disable_branding"] }, (env, { accounts }) =>
          Effect.gen(function*() {
            const created = yield* accounts.create({
              name: "Test Account",
              features: { ip_lookup: true, help_center: true, disable_branding: false }
            })
            assert.deepStrictEqual(Object.entries(created.features!), [
              ["ip_lookup", true],
              ["help_center", true],
              ["inbox_management", true]
            ])
            assert.deepStrictEqual(Option.getOrThrow(yield* env.memory.account(created.id)).features, [
              "ip_lookup",
              "help_center",
              "inbox_management"
            ])
          })))

      it.scoped("§3.8 6: limits and custom_attributes echo the order sent; reads give jsonb order", () =>
        withEnv({}, (_env, { accounts }) =>
          Effect.gen(function*() {
            const created = yield* accounts.create({
              name: "Test Account",
              limits: { inboxes: 10, agents: 5 },
              custom_attributes: { zeta: { b: 1, a: 2 }, id: "x" }
            })
            assert.deepStrictEqual(created.limits, { inboxes: 10, agents: 5 })
            assert.deepStrictEqual(Object.keys(created.limits!), ["inboxes", "agents"])
            assert.deepStrictEqual(Object.keys(created.custom_attributes!), ["zeta", "id"])
            const read = yield* accounts.get(created.id)
            assert.deepStrictEqual(Object.keys(read.limits!), ["agents", "inboxes"])
            assert.deepStrictEqual(Object.keys(read.custom_attributes!), ["id", "zeta"])
            assert.deepStrictEqual(Object.keys(read.custom_attributes!.zeta as object), ["a", "b"])
          })))

      it.scoped("§3.8 9: list gives exactly this app's accounts; [] for an app with none", () =>
        withEnv({}, (env, { accounts }) =>
          Effect.gen(function*() {
            yield* env.memory.addApp({ name: "third", token: THIRD })
            const third = (yield* env.as(THIRD)).accounts
            assert.deepStrictEqual(yield* third.list(), [])
            yield* third.create({ name: "A" })
            yield* third.create({ name: "B" })
            assert.deepStrictEqual((yield* third.list()).map((account) => [account.id, account.name]), [
              [4, "A"],
              [5, "B"]
            ])
            assert.deepStrictEqual(
              (yield* accounts.list()).map((account) =>
                account.name
              ),
              ["Acme", "Legacy"]
            )
            assert.deepStrictEqual((yield* (yield* env.as(OTHER)).accounts.list()).map((account) => account.id), [2])
          })))

      it.scoped("§3.8 13: get renders the stored account", () =>
        withEnv({}, (_env, { accounts }) =>
          Effect.gen(function*() {
            const account = yield* accounts.get(acme)
            assert.deepStrictEqual({ ...account }, {
              id: 1,
              name: "Acme",
              locale: "en",
              domain: "acme.test",
              support_email: "support@acme.test",
              features: allOn(PlatformRules.defaultFeatures),
              custom_attributes: { plan: "pro", tier: 1 },
              limits: { agents: 5, inboxes: 10 },
              status: "active"
            })
            assert.deepStrictEqual(Object.keys(account.features!), PlatformRules.defaultFeatures)
            assert.deepStrictEqual(Object.keys(account.custom_attributes!), ["plan", "tier"])
          })))

      it.scoped("§3.8 17: update sets the name, applies flags on the stored ones, sets limits", () =>
        withEnv({ defaultFeatures: ["inbox_management", "channel_facebook"] }, (_env, { accounts }) =>
          Effect.gen(function*() {
            yield* accounts.update(acme, {
              name: "New Name",
              features: { ip_lookup: true, help_center: true, channel_facebook: false },
              limits: { agents: 5, inboxes: 10 }
            })
            const read = yield* accounts.get(acme)
            assert.strictEqual(read.name, "New Name")
            assert.deepStrictEqual(Object.keys(read.features!), ["ip_lookup", "help_center", "inbox_management"])
            assert.deepStrictEqual(read.limits, { agents: 5, inboxes: 10 })
          })))

      it.scoped("update replaces custom_attributes and limits whole when sent, keeps them when absent", () =>
        withEnv({}, (_env, { accounts }) =>
          Effect.gen(function*() {
            const replaced = yield* accounts.update(acme, { custom_attributes: { only: true } })
            assert.deepStrictEqual(replaced.custom_attributes, { only: true })
            assert.deepStrictEqual(replaced.limits, { agents: 5, inboxes: 10 })
            const renamed = yield* accounts.update(acme, { name: "Renamed" })
            assert.deepStrictEqual(renamed.custom_attributes, { only: true })
            assert.deepStrictEqual((yield* accounts.update(acme, { limits: {} })).limits, {})
            // Read-merge-write keeps the keys not sent.
            const current = yield* accounts.get(acme)
            const merged = yield* accounts.update(
              acme,
              AccountPayload.mergeUpdate(current, { custom_attributes: { extra: 1 } })
            )
            assert.deepStrictEqual(merged.custom_attributes, { only: true, extra: 1 })
            assert.deepStrictEqual((yield* accounts.get(acme)).custom_attributes, { extra: 1, only: true })
          })))

      it.scoped("update: status, locale, domain and support_email; a blank support_email shows the sender", () =>
        withEnv({}, (_env, { accounts }) =>
          Effect.gen(function*() {
            const updated = yield* accounts.update(acme, {
              status: "suspended",
              locale: "pt_BR",
              domain: null,
              support_email: ""
            })
            assert.deepStrictEqual(
              [updated.status, updated.locale, updated.domain, updated.support_email],
              ["suspended", "pt_BR", null, SENDER]
            )
            // A suspended account stays manageable.
            assert.strictEqual((yield* accounts.update(acme, { name: "Still mine" })).name, "Still mine")
            assert.strictEqual((yield* accounts.get(acme)).status, "suspended")
            // An empty update answers the current state.
            assert.deepStrictEqual(yield* accounts.update(acme, {}), yield* accounts.get(acme))
          })))

      it.scoped("support_email: null when the installation has no sender", () =>
        withEnv({ supportEmailFallback: null }, (_env, { accounts }) =>
          Effect.gen(function*() {
            assert.isNull((yield* accounts.create({ name: "x" })).support_email)
            assert.strictEqual((yield* accounts.get(acme)).support_email, "support@acme.test")
          })))

      it.scoped("§3.8 21, §3.7: an immediate delete: then NotFound, out of the list, memberships gone, users kept", () =>
        withEnv({}, (env, { accounts, users }) =>
          Effect.gen(function*() {
            assert.deepStrictEqual(
              (yield* users.get(dev)).accounts.map((account) =>
                account.id
              ),
              [1]
            )
            assert.isUndefined(yield* accounts.delete(acme))
            sameError(
              yield* Effect.flip(accounts.get(acme)),
              new NotFound({ operation: "accounts.get", resource: "account", id: 1 })
            )
            sameError(
              yield* Effect.flip(accounts.delete(acme)),
              new NotFound({ operation: "accounts.delete", resource: "account", id: 1 })
            )
            assert.deepStrictEqual(
              (yield* accounts.list()).map((account) =>
                account.id
              ),
              [3]
            )
            assert.deepStrictEqual(yield* env.memory.accountUsers(1), [])
            const user = yield* users.get(dev)
            assert.deepStrictEqual([user.account_id, user.role, user.accounts], [null, null, []])
          })))

      it.scoped("§3.7 deferred delete: get and delete succeed until the job runs; then NotFound, memberships gone", () =>
        withEnv({ accountDelete: "deferred" }, (env, { accountUsers, accounts, users }) =>
          Effect.gen(function*() {
            yield* accounts.delete(acme)
            assert.strictEqual((yield* accounts.get(acme)).name, "Acme")
            yield* accounts.delete(acme)
            assert.deepStrictEqual(yield* env.memory.pendingAccountDeletes, [1, 1])
            assert.deepStrictEqual((yield* accounts.list()).map((account) => account.id), [1, 3])
            assert.lengthOf(yield* accountUsers.list(acme), 1)
            assert.deepStrictEqual((yield* users.get(dev)).accounts.map((account) => account.id), [1])

            assert.deepStrictEqual(yield* env.memory.runPendingAccountDeletes, [1])
            sameError(
              yield* Effect.flip(accounts.get(acme)),
              new NotFound({ operation: "accounts.get", resource: "account", id: 1 })
            )
            sameError(
              yield* Effect.flip(accountUsers.list(acme)),
              new NotFound({ operation: "accountUsers.list", resource: "account", id: 1 })
            )
            // F3: the index skips the deleted account, never a ServerError.
            assert.deepStrictEqual((yield* accounts.list()).map((account) => account.id), [3])
            assert.deepStrictEqual(yield* env.memory.accountUsers(1), [])
            assert.deepStrictEqual((yield* users.get(dev)).accounts, [])
          })))

      it.scoped("server 422: a stored limits key outside the four (EE mode) fails every update; nothing changes", () =>
        withEnv({}, (env, { accounts }) =>
          Effect.gen(function*() {
            const failure = yield* unchanged(env, 1, Effect.flip(accounts.update(legacy, { name: "Renamed" })))
            sameError(
              failure,
              new Validation({
                operation: "accounts.update",
                source: "server",
                attributes: ["limits"],
                issues: [],
                serverMessage: "Limits : Invalid data"
              })
            )
            assert.strictEqual(
              failure.message,
              "accounts.update: invalid limits (rejected by Chatwoot with 422): Limits : Invalid data"
            )
            // Sending valid limits replaces the bad ones.
            const fixed = yield* accounts.update(legacy, { name: "Renamed", limits: { agents: 2 } })
            assert.deepStrictEqual([fixed.name, fixed.limits], ["Renamed", { agents: 2 }])
          })))

      it.scoped("without EE mode the stored limits keys are not checked", () =>
        withEnv({ eeMode: false }, (_env, { accounts }) =>
          Effect.gen(function*() {
            const updated = yield* accounts.update(legacy, { name: "Renamed" })
            assert.deepStrictEqual([updated.name, updated.limits], ["Renamed", { users: 3 }])
          })))

      it.scoped("§8.3: every client-side rule of create fails with Validation, and nothing is sent", () =>
        withEnv({}, (env, { accounts }) =>
          Effect.gen(function*() {
            const name = "Valid"
            const cases: ReadonlyArray<readonly [unknown, ReadonlyArray<readonly [string, string]>]> = [
              [{}, [["name", "required"]]],
              [{ name: "" }, [["name", "blank"]]],
              // Whitespace is blank to Rails: the server's 422 "Name can't be blank" is never reached.
              [{ name: " \t\n" }, [["name", "blank"]]],
              [{ name: long(256) }, [["name", "max_length"]]],
              [{ name: 7 }, [["name", "type"]]],
              [{ name, status: "1" }, [["status", "one_of"]]],
              [{ name, status: null }, [["status", "one_of"]]],
              [{ name, locale: "pt-BR" }, [["locale", "one_of"]]],
              [{ name, support_email: `${long(89)}@example.com` }, [["support_email", "max_length"]]],
              [{ name, domain: long(101) }, [["domain", "max_length"]]],
              [{ name, features: { nope: true } }, [["features", "unknown_key"]]],
              [{ name, features: { flags: true } }, [["features", "unknown_key"]]],
              [{ name, features: { feature_ip_lookup: true } }, [["features", "unknown_key"]]],
              [{ name, features: { ip_lookup: "false" } }, [["features", "boolean"]]],
              [{ name, features: { ip_lookup: 0 } }, [["features", "boolean"]]],
              [{ name, features: [] }, [["features", "json_object"]]],
              [{ name, limits: { users: 1 } }, [["limits", "unknown_key"]]],
              [{ name, limits: { agents: -1 } }, [["limits", "non_negative_integer"]]],
              [{ name, limits: { agents: 1.5 } }, [["limits", "non_negative_integer"]]],
              [{ name, limits: { agents: "5" } }, [["limits", "non_negative_integer"]]],
              [{ name, limits: null }, [["limits", "json_object"]]],
              [{ name, custom_attributes: [] }, [["custom_attributes", "json_object"]]],
              [{ name, custom_attributes: "x" }, [["custom_attributes", "json_object"]]],
              [
                { name: "", locale: "pt-BR", domain: long(101), support_email: long(101), status: "1" },
                [["name", "blank"], ["locale", "one_of"], ["domain", "max_length"], ["support_email", "max_length"], [
                  "status",
                  "one_of"
                ]]
              ]
            ]
            for (const [payload, issues] of cases) {
              const failure = yield* unchanged(env, 0, Effect.flip(accounts.create(loose(payload))))
              clientValidation(failure, "accounts.create", issues)
            }
            // The boundaries pass.
            const edge = yield* accounts.create({
              name: long(255),
              domain: long(100),
              support_email: long(100),
              limits: { agents: 0 }
            })
            assert.deepStrictEqual([edge.name, edge.domain, edge.support_email], [long(255), long(100), long(100)])
          })))

      it.scoped("§8.3: the update rules; checked before the account is looked up", () =>
        withEnv({}, (env, { accounts }) =>
          Effect.gen(function*() {
            const cases: ReadonlyArray<readonly [unknown, ReadonlyArray<readonly [string, string]>]> = [
              [{ name: "" }, [["name", "blank"]]],
              [{ name: null }, [["name", "type"]]],
              [{ status: "1" }, [["status", "one_of"]]],
              [{ locale: "pt-BR" }, [["locale", "one_of"]]],
              [{ support_email: long(101) }, [["support_email", "max_length"]]],
              [{ domain: long(101) }, [["domain", "max_length"]]],
              [{ features: { ip_lookup: "true" } }, [["features", "boolean"]]],
              [{ limits: { captain_responses: -3 } }, [["limits", "non_negative_integer"]]]
            ]
            for (const [payload, issues] of cases) {
              clientValidation(
                yield* unchanged(env, 0, Effect.flip(accounts.update(acme, loose(payload)))),
                "accounts.update",
                issues
              )
            }
            clientValidation(
              yield* unchanged(env, 0, Effect.flip(accounts.update(missingAccount, loose({ status: "1" })))),
              "accounts.update",
              [["status", "one_of"]]
            )
          })))
    })

    describe("account users (PLATFORM.md §4)", () => {
      it.scoped("§4.4 1, 3, 6: an invalid token is InvalidToken, naming the account", () =>
        withEnv({}, (env) =>
          Effect.gen(function*() {
            const { accountUsers } = yield* env.as("invalid")
            const failures = yield* unchanged(
              env,
              3,
              Effect.all([
                Effect.flip(accountUsers.list(acme)),
                Effect.flip(accountUsers.add(acme, { user_id: ada, role: "administrator" })),
                Effect.flip(accountUsers.remove(acme, dev))
              ])
            )
            sameError(failures[0], invalidToken("accountUsers.list", { resource: "account", id: 1 }))
            sameError(failures[1], invalidToken("accountUsers.add", { resource: "account", id: 1 }))
            sameError(failures[2], invalidToken("accountUsers.remove", { resource: "account", id: 1 }))
          })))

      it.scoped("without permission on the account: NonPermissibleResource naming the account", () =>
        withEnv({}, (env, { accountUsers }) =>
          Effect.gen(function*() {
            const failures = yield* unchanged(
              env,
              3,
              Effect.all([
                Effect.flip(accountUsers.list(theirs)),
                Effect.flip(accountUsers.add(theirs, { user_id: ada })),
                Effect.flip(accountUsers.remove(theirs, stranger))
              ])
            )
            sameError(failures[0], nonPermissible("accountUsers.list", "account", 2))
            sameError(failures[1], nonPermissible("accountUsers.add", "account", 2))
            sameError(failures[2], nonPermissible("accountUsers.remove", "account", 2))
            assert.include(failures[1]!.message, "accountUsers.add on account 2: this platform app has no permission")
          })))

      it.scoped("404: NotFound naming the account (not the user), before the permission check", () =>
        withEnv({}, (env, { accountUsers }) =>
          Effect.gen(function*() {
            const other = (yield* env.as(OTHER)).accountUsers
            const failures = yield* unchanged(
              env,
              4,
              Effect.all([
                Effect.flip(accountUsers.list(missingAccount)),
                Effect.flip(accountUsers.add(missingAccount, { user_id: ada })),
                Effect.flip(accountUsers.remove(missingAccount, dev)),
                Effect.flip(other.add(missingAccount, { user_id: stranger }))
              ])
            )
            sameError(failures[0], new NotFound({ operation: "accountUsers.list", resource: "account", id: 99 }))
            sameError(failures[1], new NotFound({ operation: "accountUsers.add", resource: "account", id: 99 }))
            sameError(failures[2], new NotFound({ operation: "accountUsers.remove", resource: "account", id: 99 }))
            sameError(failures[3], new NotFound({ operation: "accountUsers.add", resource: "account", id: 99 }))
            assert.strictEqual(failures[0]!.message, "accountUsers.list: account 99 was not found")
          })))

      it.scoped("§4.4 2: list gives every member as the 12-field record", () =>
        withEnv({}, (env, { accountUsers }) =>
          Effect.gen(function*() {
            const members = yield* accountUsers.list(acme)
            const [stored] = yield* env.memory.accountUsers(1)
            assert.lengthOf(members, 1)
            assert.deepStrictEqual({ ...members[0]! }, { ...stored! })
            assert.deepStrictEqual(
              [
                members[0]!.account_id,
                members[0]!.user_id,
                members[0]!.role,
                members[0]!.inviter_id,
                members[0]!.active_at,
                members[0]!.availability,
                members[0]!.auto_offline,
                members[0]!.custom_role_id,
                members[0]!.agent_capacity_policy_id
              ],
              [1, 1, "agent", null, null, "online", true, null, null]
            )
            assert.isNumber(members[0]!.id)
            assert.match(members[0]!.created_at!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
            assert.deepStrictEqual(yield* accountUsers.list(legacy), [])
          })))

      it.scoped("§4.4 4-5: the upsert: a new member; an existing one's role changed when sent, kept when omitted", () =>
        withEnv({}, (env, { accountUsers }) =>
          Effect.gen(function*() {
            const added = yield* accountUsers.add(acme, { user_id: ada, role: "administrator" })
            assert.deepStrictEqual([added.account_id, added.user_id, added.role], [1, 2, "administrator"])
            const [existing] = yield* env.memory.accountUsers(1)
            const promoted = yield* accountUsers.add(acme, { user_id: dev, role: "administrator" })
            assert.deepStrictEqual([promoted.id, promoted.user_id, promoted.role], [existing!.id, 1, "administrator"])
            const kept = yield* accountUsers.add(acme, { user_id: dev })
            assert.deepStrictEqual([kept.id, kept.role], [existing!.id, "administrator"])
            const demoted = yield* accountUsers.add(acme, { user_id: dev, role: "agent" })
            assert.deepStrictEqual([demoted.id, demoted.role], [existing!.id, "agent"])
            // A new member without a role is an agent.
            assert.strictEqual((yield* accountUsers.add(legacy, { user_id: ada })).role, "agent")
            assert.deepStrictEqual(
              (yield* accountUsers.list(acme)).map((member): Array<unknown> => [member.user_id, member.role]),
              [[1, "agent"], [2, "administrator"]]
            )
          })))

      it.scoped("the user is never permission-checked: another app's user can be added", () =>
        withEnv({}, (env, { accountUsers }) =>
          Effect.gen(function*() {
            const added = yield* accountUsers.add(acme, { user_id: stranger })
            assert.deepStrictEqual([added.user_id, added.role], [3, "agent"])
            const user = yield* (yield* env.as(OTHER)).users.get(stranger)
            assert.deepStrictEqual(user.accounts.map((account) => [account.id, account.name, account.role]), [
              [1, "Acme", "agent"]
            ])
          })))

      it.scoped("a membership shows in users.get (account_id, role, accounts[]) and is gone after remove", () =>
        withEnv({}, (_env, { accountUsers, users }) =>
          Effect.gen(function*() {
            const before = yield* users.get(ada)
            assert.deepStrictEqual([before.account_id, before.role, before.accounts], [null, null, []])
            yield* accountUsers.add(acme, { user_id: ada, role: "administrator" })
            const member = yield* users.get(ada)
            assert.deepStrictEqual([member.account_id, member.role], [1, "administrator"])
            assert.deepStrictEqual(member.accounts.map((account) => ({ ...account })), [
              { id: 1, name: "Acme", active_at: null, role: "administrator" }
            ])
            assert.isUndefined(yield* accountUsers.remove(acme, ada))
            const after = yield* users.get(ada)
            assert.deepStrictEqual([after.account_id, after.role, after.accounts], [null, null, []])
          })))

      it.scoped("§4.4 7: remove takes the member off the account; the user stays", () =>
        withEnv({}, (env, { accountUsers, users }) =>
          Effect.gen(function*() {
            yield* accountUsers.remove(acme, dev)
            assert.deepStrictEqual(yield* env.memory.accountUsers(1), [])
            assert.deepStrictEqual(yield* accountUsers.list(acme), [])
            assert.strictEqual((yield* users.get(dev)).name, "Dev")
          })))

      it.scoped("removing a non-member or an unknown user succeeds and changes nothing", () =>
        withEnv({}, (env, { accountUsers }) =>
          Effect.gen(function*() {
            assert.isUndefined(yield* unchanged(env, 1, accountUsers.remove(acme, ada)))
            assert.isUndefined(yield* unchanged(env, 1, accountUsers.remove(acme, UserId.make(999))))
            assert.isUndefined(yield* unchanged(env, 1, accountUsers.remove(legacy, dev)))
          })))

      it.scoped("server 422: an unknown user is Validation `User must exist`; nothing changes", () =>
        withEnv({}, (env, { accountUsers }) =>
          Effect.gen(function*() {
            sameError(
              yield* unchanged(env, 1, Effect.flip(accountUsers.add(acme, { user_id: UserId.make(999) }))),
              new Validation({
                operation: "accountUsers.add",
                source: "server",
                attributes: ["user"],
                issues: [],
                serverMessage: "User must exist"
              })
            )
          })))

      it.scoped("§8.3: role and user_id are checked before sending, also before the account is looked up", () =>
        withEnv({}, (env, { accountUsers }) =>
          Effect.gen(function*() {
            const adds: ReadonlyArray<readonly [unknown, ReadonlyArray<readonly [string, string]>]> = [
              [{ user_id: ada, role: "admin" }, [["role", "one_of"]]],
              [{ user_id: ada, role: "" }, [["role", "one_of"]]],
              [{ user_id: ada, role: null }, [["role", "one_of"]]],
              [{ user_id: 0 }, [["user_id", "positive_integer"]]],
              [{ user_id: -1 }, [["user_id", "positive_integer"]]],
              [{ user_id: 1.5 }, [["user_id", "positive_integer"]]],
              [{ user_id: "2" }, [["user_id", "positive_integer"]]],
              [{}, [["user_id", "required"]]],
              [{ user_id: 0, role: "admin" }, [["user_id", "positive_integer"], ["role", "one_of"]]]
            ]
            for (const [payload, issues] of adds) {
              clientValidation(
                yield* unchanged(env, 0, Effect.flip(accountUsers.add(acme, loose(payload)))),
                "accountUsers.add",
                issues
              )
            }
            clientValidation(
              yield* unchanged(env, 0, Effect.flip(accountUsers.add(missingAccount, loose({ user_id: 0 })))),
              "accountUsers.add",
              [["user_id", "positive_integer"]]
            )
            for (const userId of [0, -4, 2.5, undefined]) {
              clientValidation(
                yield* unchanged(env, 0, Effect.flip(accountUsers.remove(acme, loose(userId)))),
                "accountUsers.remove",
                [["user_id", userId === undefined ? "required" : "positive_integer"]]
              )
            }
          })))
    })

    describe("agent bots (PLATFORM.md §5)", () => {
      it.scoped("§5.6 2, 6, 10, 13, 18-19: an invalid token is InvalidToken on every route", () =>
        withEnv({}, (env) =>
          Effect.gen(function*() {
            const { agentBots } = yield* env.as("invalid")
            const failures = yield* unchanged(
              env,
              6,
              Effect.all([
                Effect.flip(agentBots.list()),
                Effect.flip(agentBots.create({ name: "test" })),
                Effect.flip(agentBots.get(helper)),
                Effect.flip(agentBots.update(helper, { name: "test123" })),
                Effect.flip(agentBots.delete(helper)),
                Effect.flip(agentBots.deleteAvatar(helper))
              ])
            )
            const bot = { resource: "agent_bot" as const, id: 1 }
            const expected = [
              invalidToken("agentBots.list"),
              invalidToken("agentBots.create"),
              invalidToken("agentBots.get", bot),
              invalidToken("agentBots.update", bot),
              invalidToken("agentBots.delete", bot),
              invalidToken("agentBots.deleteAvatar", bot)
            ]
            failures.forEach((failure, i) => sameError(failure, expected[i]!))
          })))

      it.scoped("§5.6 7, 14: without permission, NonPermissibleResource on the bot (delete and avatar too)", () =>
        withEnv({}, (env, { agentBots }) =>
          Effect.gen(function*() {
            const failures = yield* unchanged(
              env,
              4,
              Effect.all([
                Effect.flip(agentBots.get(theirBot)),
                Effect.flip(agentBots.update(theirBot, { name: "test123" })),
                Effect.flip(agentBots.delete(theirBot)),
                Effect.flip(agentBots.deleteAvatar(theirBot))
              ])
            )
            sameError(failures[0], nonPermissible("agentBots.get", "agent_bot", 2))
            sameError(failures[1], nonPermissible("agentBots.update", "agent_bot", 2))
            sameError(failures[2], nonPermissible("agentBots.delete", "agent_bot", 2))
            sameError(failures[3], nonPermissible("agentBots.deleteAvatar", "agent_bot", 2))
            assert.include(failures[0]!.message, "agentBots.get on agent bot 2: this platform app has no permission")
          })))

      it.scoped("404: NotFound naming the bot, before the permission check, for any app", () =>
        withEnv({}, (env, { agentBots }) =>
          Effect.gen(function*() {
            const other = (yield* env.as(OTHER)).agentBots
            const failures = yield* unchanged(
              env,
              4,
              Effect.all([
                Effect.flip(agentBots.get(missingBot)),
                Effect.flip(agentBots.update(missingBot, { name: "x" })),
                Effect.flip(other.delete(missingBot)),
                Effect.flip(other.deleteAvatar(missingBot))
              ])
            )
            sameError(failures[0], new NotFound({ operation: "agentBots.get", resource: "agent_bot", id: 99 }))
            sameError(failures[1], new NotFound({ operation: "agentBots.update", resource: "agent_bot", id: 99 }))
            sameError(failures[2], new NotFound({ operation: "agentBots.delete", resource: "agent_bot", id: 99 }))
            sameError(failures[3], new NotFound({ operation: "agentBots.deleteAvatar", resource: "agent_bot", id: 99 }))
            assert.strictEqual(failures[0]!.message, "agentBots.get: agent bot 99 was not found")
          })))

      it.scoped("§5.6 3-4, visibility: an app lists only its bots; another app's bot is NonPermissibleResource", () =>
        withEnv({}, (env, { agentBots }) =>
          Effect.gen(function*() {
            yield* env.memory.addApp({ name: "third", token: THIRD })
            assert.deepStrictEqual(yield* (yield* env.as(THIRD)).agentBots.list(), [])
            assert.deepStrictEqual((yield* agentBots.list()).map((bot): Array<unknown> => [bot.id, bot.name]), [[
              1,
              "Helper"
            ]])
            const other = (yield* env.as(OTHER)).agentBots
            const theirNew = yield* other.create({ name: "Theirs too" })
            assert.deepStrictEqual((yield* other.list()).map((bot): number => bot.id), [2, theirNew.id])
            assert.deepStrictEqual((yield* agentBots.list()).map((bot) => bot.id), [1])
            sameError(
              yield* Effect.flip(agentBots.get(theirNew.id)),
              nonPermissible("agentBots.get", "agent_bot", theirNew.id)
            )
          })))

      it.scoped("§5.6 8: get gives the 6 fields, outgoing_url the stored URL (F1 fixed), the token redacted", () =>
        withEnv({}, (_env, { agentBots }) =>
          Effect.gen(function*() {
            const bot = yield* agentBots.get(helper)
            assert.instanceOf(bot, AgentBot)
            const { access_token, ...fields } = bot
            assert.deepStrictEqual<object>(fields, {
              id: 1,
              name: "Helper",
              description: "Answers",
              outgoing_url: "https://bots.example.com/hook",
              account_id: 1
            })
            assert.isTrue(Redacted.isRedacted(access_token))
            assert.strictEqual(Redacted.value(access_token!), BOT_TOKEN)
            assert.deepStrictEqual(Object.keys(Schema.encodeSync(AgentBot)(bot)), [
              "id",
              "name",
              "description",
              "outgoing_url",
              "account_id",
              "access_token"
            ])
          })))

      it.scoped("§5.6 11: create gives the bot, its own new token, and the app's permission on it", () =>
        withEnv({}, (env, { agentBots }) =>
          Effect.gen(function*() {
            const created = yield* agentBots.create({ name: "test" })
            assert.deepStrictEqual(
              [created.id, created.name, created.description, created.outgoing_url, created.account_id],
              [3, "test", null, null, null]
            )
            const token = Redacted.value(created.access_token!)
            assert.match(token, BASE58_TOKEN)
            const stored = Option.getOrThrow(yield* env.memory.agentBot(3))
            assert.strictEqual(Redacted.value(stored.access_token), token)
            assert.deepStrictEqual(stored.apps, ["app"])
            // Nothing is required, nothing is unique: each create is a new bot with a new token.
            const empty = yield* agentBots.create({})
            assert.deepStrictEqual(
              [empty.id, empty.name, empty.description, empty.outgoing_url, empty.account_id],
              [4, null, null, null, null]
            )
            assert.notStrictEqual(Redacted.value(empty.access_token!), token)
            const again = yield* agentBots.create({ name: "test" })
            assert.strictEqual(again.id, 5)
            // account_id is not checked against the accounts.
            assert.strictEqual((yield* agentBots.create({ account_id: AccountId.make(12345) })).account_id, 12345)
            assert.deepStrictEqual((yield* agentBots.list()).map((bot) => bot.id), [1, 3, 4, 5, 6])
          })))

      it.scoped("§5.6 15: update sets what is sent, null clears, absent is kept; 17: avatar_url queues the fetch", () =>
        withEnv({}, (env, { agentBots }) =>
          Effect.gen(function*() {
            const renamed = yield* agentBots.update(helper, { name: "test123" })
            assert.deepStrictEqual(
              [renamed.name, renamed.description, renamed.outgoing_url, renamed.account_id],
              ["test123", "Answers", "https://bots.example.com/hook", 1]
            )
            assert.strictEqual(Redacted.value(renamed.access_token!), BOT_TOKEN)
            const cleared = yield* agentBots.update(helper, {
              description: null,
              account_id: null,
              outgoing_url: "localhost"
            })
            assert.deepStrictEqual(
              [cleared.name, cleared.description, cleared.outgoing_url, cleared.account_id],
              ["test123", null, "localhost", null]
            )
            assert.deepStrictEqual(yield* agentBots.get(helper), cleared)
            yield* agentBots.update(helper, { name: "test123", avatar_url: "http://example.com/avatar.png" })
            assert.deepStrictEqual(Option.getOrThrow(yield* env.memory.agentBot(1)).avatar_url_jobs, [
              "http://example.com/avatar.png"
            ])
          })))

      it.scoped("§5.6 20, §5.4: delete is immediate: then NotFound; the list never fails and skips it", () =>
        withEnv({}, (env, { agentBots }) =>
          Effect.gen(function*() {
            const created = yield* agentBots.create({ name: "Second" })
            assert.isUndefined(yield* agentBots.delete(helper))
            assert.isTrue(Option.isNone(yield* env.memory.agentBot(1)))
            sameError(
              yield* Effect.flip(agentBots.get(helper)),
              new NotFound({ operation: "agentBots.get", resource: "agent_bot", id: 1 })
            )
            sameError(
              yield* Effect.flip(agentBots.delete(helper)),
              new NotFound({ operation: "agentBots.delete", resource: "agent_bot", id: 1 })
            )
            sameError(
              yield* Effect.flip(agentBots.deleteAvatar(helper)),
              new NotFound({ operation: "agentBots.deleteAvatar", resource: "agent_bot", id: 1 })
            )
            // F2 fixed: the permission row went with the bot.
            assert.deepStrictEqual((yield* agentBots.list()).map((bot) => bot.id), [created.id])
            yield* agentBots.delete(created.id)
            assert.deepStrictEqual(yield* agentBots.list(), [])
            assert.deepStrictEqual((yield* (yield* env.as(OTHER)).agentBots.list()).map((bot) => bot.id), [2])
          })))

      it.scoped("§5.6 22: deleteAvatar removes the avatar and returns the bot; also without an avatar", () =>
        withEnv({}, (env, { agentBots }) =>
          Effect.gen(function*() {
            // Multipart uploads are outside the typed client; the handle attaches one as a multipart PATCH would.
            yield* env.memory.execute(APP, {
              operation: "agentBots.update",
              path: { id: "1" },
              params: { avatar: PlatformUsersMemory.uploadedFile(PNG, { filename: "avatar.png" }) }
            })
            assert.deepStrictEqual(Option.getOrThrow(yield* env.memory.agentBot(1)).avatar, {
              byteSize: PNG.length,
              contentType: "image/png"
            })
            const bot = yield* agentBots.deleteAvatar(helper)
            assert.instanceOf(bot, AgentBot)
            assert.deepStrictEqual(bot, yield* agentBots.get(helper))
            assert.deepStrictEqual([bot.id, bot.name, bot.outgoing_url], [1, "Helper", "https://bots.example.com/hook"])
            assert.isNull(Option.getOrThrow(yield* env.memory.agentBot(1)).avatar)
            assert.deepStrictEqual(yield* agentBots.deleteAvatar(helper), bot)
          })))

      it.scoped("the access_token is Redacted: never in String, JSON or inspect of a bot, nor in any error", () =>
        withEnv({}, (env, { agentBots }) =>
          Effect.gen(function*() {
            const created = yield* agentBots.create({ name: "Fresh" })
            const fresh = Redacted.value(created.access_token!)
            const bots = [
              yield* agentBots.get(helper),
              created,
              ...(yield* agentBots.list()),
              yield* agentBots.deleteAvatar(helper)
            ]
            for (const bot of bots) {
              for (
                const text of [
                  String(bot),
                  JSON.stringify(bot),
                  Util.inspect(bot, { depth: 10 }),
                  String(bot.access_token)
                ]
              ) {
                assert.notInclude(text, BOT_TOKEN)
                assert.notInclude(text, fresh)
              }
            }
            assert.include(JSON.stringify(bots[0]), "<redacted>")
            // Schema encoding gives it back, for a caller who means it.
            assert.strictEqual(Schema.encodeSync(AgentBot)(bots[0]!).access_token, BOT_TOKEN)
            const failures: Array<PlatformUsersError> = [
              yield* Effect.flip((yield* env.as(BOT_TOKEN)).agentBots.get(helper)),
              yield* Effect.flip(agentBots.get(missingBot)),
              yield* Effect.flip(agentBots.update(helper, { name: BOT_TOKEN.repeat(11) })),
              yield* Effect.flip((yield* env.as(OTHER)).agentBots.update(helper, { name: fresh }))
            ]
            // The Application-API key of a bot is not a platform token.
            sameError(failures[0], invalidToken("agentBots.get", { resource: "agent_bot", id: 1 }))
            for (const failure of failures) {
              for (const text of [String(failure), failure.message, JSON.stringify(failure), Util.inspect(failure)]) {
                assert.notInclude(text, BOT_TOKEN)
                assert.notInclude(text, fresh)
              }
            }
          })))

      it.scoped("§8.3: every client-side bot rule fails with Validation, and nothing is sent", () =>
        withEnv({}, (env, { agentBots }) =>
          Effect.gen(function*() {
            const cases: ReadonlyArray<readonly [unknown, ReadonlyArray<readonly [string, string]>]> = [
              [{ name: long(256) }, [["name", "max_length"]]],
              [{ name: 5 }, [["name", "type"]]],
              [{ description: long(256) }, [["description", "max_length"]]],
              [{ outgoing_url: `https://x.test/${long(2034)}` }, [["outgoing_url", "max_length"]]],
              [{ account_id: 0 }, [["account_id", "positive_integer"]]],
              [{ account_id: -1 }, [["account_id", "positive_integer"]]],
              [{ account_id: 1.5 }, [["account_id", "positive_integer"]]],
              [{ account_id: "1" }, [["account_id", "positive_integer"]]],
              [{ avatar_url: "ftp://example.com/a.png" }, [["avatar_url", "http_url"]]],
              [{ avatar_url: "not a url" }, [["avatar_url", "http_url"]]],
              [{ avatar_url: 7 }, [["avatar_url", "type"]]],
              [
                { name: long(256), description: long(256), outgoing_url: long(2049) },
                [["name", "max_length"], ["description", "max_length"], ["outgoing_url", "max_length"]]
              ]
            ]
            for (const [payload, issues] of cases) {
              clientValidation(
                yield* unchanged(env, 0, Effect.flip(agentBots.create(loose(payload)))),
                "agentBots.create",
                issues
              )
              clientValidation(
                yield* unchanged(env, 0, Effect.flip(agentBots.update(helper, loose(payload)))),
                "agentBots.update",
                issues
              )
            }
            clientValidation(
              yield* unchanged(env, 0, Effect.flip(agentBots.update(missingBot, loose({ account_id: 0 })))),
              "agentBots.update",
              [["account_id", "positive_integer"]]
            )
            // The boundaries pass.
            const edge = yield* agentBots.create({
              name: long(255),
              description: long(255),
              outgoing_url: long(2048)
            })
            assert.deepStrictEqual(
              [edge.name, edge.description, edge.outgoing_url],
              [long(255), long(255), long(2048)]
            )
          })))
    })
  })

for (const [name, makeEnv] of environments) behaviour(name, makeEnv)
