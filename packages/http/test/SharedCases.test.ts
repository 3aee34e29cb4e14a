// The shared behaviour cases (spec/cases, one definition for both editions) against the Effect 3 edition: every case
// on a fresh in-memory server (PlatformMemory.layer) and on a fresh emulator behind the live client over a loopback
// socket, on each of its HTTP clients (the lean PlatformHttp.layer, fetch, node:http). Each case's arguments are
// decoded with this edition's Schemas, and its results and errors compared in their encoded JSON form, exactly
// (spec/cases/README.md).
import { Account, AccountId } from "@chatwoot-effect/core/Account"
import { CreateAccountPayload, UpdateAccountPayload } from "@chatwoot-effect/core/AccountPayload"
import { AccountUser } from "@chatwoot-effect/core/AccountUser"
import { AddAccountUserPayload } from "@chatwoot-effect/core/AccountUserPayload"
import { AgentBot, AgentBotId } from "@chatwoot-effect/core/AgentBot"
import { CreateAgentBotPayload, UpdateAgentBotPayload } from "@chatwoot-effect/core/AgentBotPayload"
import * as PlatformAccounts from "@chatwoot-effect/core/PlatformAccounts"
import * as PlatformAccountUsers from "@chatwoot-effect/core/PlatformAccountUsers"
import * as PlatformAgentBots from "@chatwoot-effect/core/PlatformAgentBots"
import * as PlatformMemory from "@chatwoot-effect/core/PlatformMemory"
import * as PlatformServices from "@chatwoot-effect/core/PlatformServices"
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import { SsoLink, User, UserId, UserToken } from "@chatwoot-effect/core/User"
import { CreateUserPayload, UpdateUserPayload } from "@chatwoot-effect/core/UserPayload"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Util from "node:util"
import type { Case, Json, Operation, Step } from "../../../spec/cases/index.js"
import { cases, mismatches } from "../../../spec/cases/index.js"
import * as PlatformHttp from "../src/PlatformHttp.js"
import * as PlatformUsersEmulator from "../src/PlatformUsersEmulator.js"
import { stateOf } from "./utils/PlatformState.js"
import { countRequests } from "./utils/RequestCount.js"

interface Clients {
  readonly users: PlatformUsers.Service
  readonly accounts: PlatformAccounts.Service
  readonly accountUsers: PlatformAccountUsers.Service
  readonly agentBots: PlatformAgentBots.Service
}

const clientsOf = (context: Context.Context<PlatformServices.Services>): Clients => ({
  users: Context.get(context, PlatformUsers.PlatformUsers),
  accounts: Context.get(context, PlatformAccounts.PlatformAccounts),
  accountUsers: Context.get(context, PlatformAccountUsers.PlatformAccountUsers),
  agentBots: Context.get(context, PlatformAgentBots.PlatformAgentBots)
})

/** How this edition calls each method: the Schemas decoding its arguments, and the one encoding its success. */
interface Method {
  readonly args: ReadonlyArray<Schema.Schema<any, any>>
  readonly success: Schema.Schema<any, any>
}

const methods: { readonly [S in Operation["service"]]: { readonly [method: string]: Method } } = {
  users: {
    create: { args: [CreateUserPayload], success: User },
    get: { args: [UserId], success: User },
    update: { args: [UserId, UpdateUserPayload], success: User },
    delete: { args: [UserId], success: Schema.Void },
    loginUrl: { args: [UserId], success: SsoLink },
    token: { args: [UserId], success: UserToken }
  },
  accounts: {
    list: { args: [], success: Schema.Array(Account) },
    create: { args: [CreateAccountPayload], success: Account },
    get: { args: [AccountId], success: Account },
    update: { args: [AccountId, UpdateAccountPayload], success: Account },
    delete: { args: [AccountId], success: Schema.Void }
  },
  accountUsers: {
    list: { args: [AccountId], success: Schema.Array(AccountUser) },
    add: { args: [AccountId, AddAccountUserPayload], success: AccountUser },
    remove: { args: [AccountId, UserId], success: Schema.Void }
  },
  agentBots: {
    list: { args: [], success: Schema.Array(AgentBot) },
    create: { args: [CreateAgentBotPayload], success: AgentBot },
    get: { args: [AgentBotId], success: AgentBot },
    update: { args: [AgentBotId, UpdateAgentBotPayload], success: AgentBot },
    delete: { args: [AgentBotId], success: Schema.Void },
    deleteAvatar: { args: [AgentBotId], success: AgentBot }
  }
}

const PlatformError = Schema.Union(
  PlatformUsersError.Unauthorized,
  PlatformUsersError.Validation,
  PlatformUsersError.NotFound,
  PlatformUsersError.RateLimited,
  PlatformUsersError.ServerError,
  PlatformUsersError.TransportError,
  PlatformUsersError.UnexpectedResponse
)

// The JSON form: what `JSON.stringify` keeps of an encoded value (no `undefined` fields); `null` for no value.
const jsonOf = (encoded: unknown): Json => encoded === undefined ? null : JSON.parse(JSON.stringify(encoded))

type Outcome =
  | { readonly _tag: "Success"; readonly value: Json }
  | { readonly _tag: "Failure"; readonly error: Json; readonly message: string }

const callStep = (clients: Clients, step: Step): Effect.Effect<Outcome> =>
  Effect.gen(function*() {
    const method = methods[step.call.service][step.call.method]!
    const args: ReadonlyArray<unknown> = step.raw === true
      ? step.call.args
      : yield* Effect.orDie(Schema.decodeUnknown(Schema.Tuple(...method.args))(step.call.args))
    const service = clients[step.call.service] as unknown as {
      readonly [method: string]: (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown>
    }
    return yield* service[step.call.method]!(...args).pipe(
      Effect.flatMap((value) => Schema.encodeUnknown(method.success)(value)),
      Effect.map((value): Outcome => ({ _tag: "Success", value: jsonOf(value) })),
      Effect.catchAll((error) =>
        Effect.map(
          Schema.encodeUnknown(PlatformError)(error),
          (encoded): Outcome => ({ _tag: "Failure", error: jsonOf(encoded), message: (error as Error).message })
        )
      ),
      Effect.orDie
    )
  })

/** Every difference between what a step gave and what it must give, each naming the step. */
const check = (step: Step, outcome: Outcome, index: number): ReadonlyArray<string> => {
  const label = `step ${index + 1} (${step.call.service}.${step.call.method})`
  const problems = "succeeds" in step.expect
    ? outcome._tag === "Success"
      ? mismatches(outcome.value, step.expect.succeeds, { keyOrder: true })
      : [`failed: ${JSON.stringify(outcome)}`]
    : outcome._tag === "Failure"
    ? [
      ...mismatches(outcome.error, step.expect.fails.error, { keyOrder: false }),
      ...mismatches(outcome.message, step.expect.fails.message, { keyOrder: false }, "$.message")
    ]
    : [`succeeded: ${JSON.stringify(outcome.value)}`]
  return problems.map((problem) => `${label}: ${problem}`)
}

/** One fresh server: its services calling as the app with a token, its state, and the requests its socket got. */
interface Server {
  readonly as: (token: string) => Effect.Effect<Clients, never, Scope.Scope>
  readonly memory: PlatformUsersMemory.Handle
  /** `undefined` in memory, where nothing goes over a wire. */
  readonly requests: Effect.Effect<number> | undefined
}

type MakeServer = (testCase: Case) => Effect.Effect<Server, unknown, Scope.Scope>

const seedOf = (testCase: Case) => Either.getOrThrow(PlatformUsersMemory.decodeSeed(testCase.seed))

/** The live client built by `client`, over a fresh emulator on a loopback socket (as the emulator tests start it). */
const liveOver = (client: (options: PlatformHttp.Options) => Layer.Layer<PlatformServices.Services>): MakeServer =>
(
  testCase
) =>
  Effect.gen(function*() {
    const { emulator, url } = yield* PlatformUsersEmulator.serve({
      host: "127.0.0.1",
      port: 0,
      seed: seedOf(testCase),
      ...testCase.server
    })
    return {
      memory: emulator.memory,
      requests: yield* countRequests(url),
      as: (token) =>
        Effect.map(Layer.build(client({ baseUrl: url, apiAccessToken: Redacted.make(token), retry: false })), clientsOf)
    }
  })

const servers: ReadonlyArray<readonly [string, MakeServer]> = [
  [
    "in-memory layer (PlatformMemory.layer)",
    (testCase) =>
      Effect.gen(function*() {
        const context = yield* Layer.build(
          PlatformMemory.layer({ seed: seedOf(testCase), ...testCase.server, token: testCase.token })
        )
        const memory = Context.get(context, PlatformUsersMemory.PlatformUsersMemory)
        // The layer as users get it for the case's token; the handle's caller for the others.
        const byLayer = clientsOf(context)
        return {
          memory,
          requests: undefined,
          as: (token) =>
            Effect.succeed(
              token === testCase.token ? byLayer : clientsOf(PlatformServices.context(memory.callerFor(token)))
            )
        }
      })
  ],
  ["live client on the lean client (PlatformHttp.layer) over the emulator's socket", liveOver(PlatformHttp.layer)],
  [
    "live client on FetchHttpClient over the emulator's socket",
    liveOver((options) => PlatformHttp.layerWithHttpClient(options).pipe(Layer.provide(FetchHttpClient.layer)))
  ],
  [
    "live client on NodeHttpClient over the emulator's socket",
    liveOver((options) => PlatformHttp.layerWithHttpClient(options).pipe(Layer.provide(NodeHttpClient.layer)))
  ]
]

for (const [server, make] of servers) {
  describe(`shared cases: ${server}`, () => {
    for (const [resource, list] of Object.entries(cases)) {
      describe(resource, () => {
        for (const testCase of list) {
          it.scoped(`${testCase.name} (${testCase.source})`, () =>
            Effect.gen(function*() {
              const server = yield* Effect.orDie(make(testCase))
              const problems: Array<string> = []
              for (const [index, step] of testCase.steps.entries()) {
                const clients = yield* server.as(step.as ?? testCase.token)
                const before = yield* stateOf(server.memory)
                const sentBefore = server.requests === undefined ? 0 : yield* server.requests
                problems.push(...check(step, yield* callStep(clients, step), index))
                const label = `step ${index + 1} (${step.call.service}.${step.call.method})`
                if (step.unchanged === true && !Util.isDeepStrictEqual(yield* stateOf(server.memory), before)) {
                  problems.push(`${label}: the server's state changed`)
                }
                if (step.sent !== undefined && server.requests !== undefined) {
                  const sent = (yield* server.requests) - sentBefore
                  if (sent !== step.sent) problems.push(`${label}: sent ${sent} requests, expected ${step.sent}`)
                }
              }
              assert.deepStrictEqual(problems, [])
            }))
        }
      })
    }
  })
}
