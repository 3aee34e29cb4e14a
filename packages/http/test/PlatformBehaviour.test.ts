// One behaviour suite for the accounts, account users and agent bots services (PLATFORM.md), run against every way of
// getting them: the in-memory layer, and the live client over the emulator's loopback socket on three HTTP clients
// (fetch, node:http, and the package's lean undici client). The same assertions hold for all of them: same results,
// same typed errors (class, `_tag`, reason, resource, id, operation, message). The cases that are plain data (a seed,
// calls, encoded results and errors) live in spec/cases and run in SharedCases.test.ts; what stays here needs the
// server's handle (pending deletes, avatar uploads and jobs, stored tokens), this edition's values (Redacted, classes)
// or its helpers (AccountPayload.mergeUpdate), or the full default feature list.
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
import { NotFound, Unauthorized } from "@chatwoot-effect/core/PlatformUsersError"
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
import * as CaseSeed from "../../../spec/cases/platform.js"
import * as PlatformHttp from "../src/PlatformHttp.js"
import * as PlatformUsersEmulator from "../src/PlatformUsersEmulator.js"

const { APP, BOT_TOKEN, OTHER } = CaseSeed
const BASE58_TOKEN = /^[1-9A-HJ-NP-Za-km-z]{24}$/
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])

const acme = AccountId.make(1)
const helper = AgentBotId.make(1)
const missingBot = AgentBotId.make(99)
const dev = UserId.make(1)

// Account 1 and bot 1 are the app's, account 2 and bot 2 the other app's; account 3 holds a limits key EE mode
// rejects (seeds do not check them). User 1 is an agent of account 1; user 3 is the other app's.
// The shared behaviour cases' seed (spec/cases/platform.ts; its third app holds nothing).
const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed(CaseSeed.seed))

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
    return {
      memory: emulator.memory,
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

// Typed errors compared by class, tag, every field and the message (chai's deep equality recurses forever on the
// errors themselves).
const sameError = (actual: unknown, expected: PlatformUsersError) => {
  assert.instanceOf(actual, expected.constructor as new(...args: Array<any>) => unknown)
  const error = actual as PlatformUsersError
  assert.strictEqual(error._tag, expected._tag)
  assert.deepStrictEqual({ ...error }, { ...expected }, `${String(error)} vs ${String(expected)}`)
  assert.strictEqual(error.message, expected.message)
}

const invalidToken = (
  operation: Unauthorized["operation"],
  subject?: { resource: Unauthorized["resource"]; id: number }
) => new Unauthorized({ operation, reason: "InvalidToken", ...subject })

const allOn = (names: ReadonlyArray<string>) => Object.fromEntries(names.map((name) => [name, true]))

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

      it.scoped("§3.7 deferred delete: get and delete succeed until the job runs; then NotFound, memberships gone", () =>
        withEnv({ accountDelete: "deferred" }, (env, { accountUsers, accounts, users }) =>
          Effect.gen(function*() {
            yield* accounts.delete(acme)
            assert.strictEqual((yield* accounts.get(acme)).name, "Acme")
            yield* accounts.delete(acme)
            assert.deepStrictEqual(yield* env.memory.pendingAccountDeletes, [1, 1])
            assert.deepStrictEqual(
              (yield* accounts.list()).map((account) =>
                account.id
              ),
              [1, 3]
            )
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
    })

    describe("agent bots (PLATFORM.md §5)", () => {
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
    })
  })

for (const [name, makeEnv] of environments) behaviour(name, makeEnv)
