// The shared behaviour cases (spec/cases, one definition for both editions) against the Effect 4 edition: every case
// on a fresh in-memory server (PlatformMemory.layer), and on a fresh Effect 3 emulator (the shipped `PlatformUsersEmulator.serve`, in a Node 20 child process: CaseServer.ts)
// behind the Effect 4 live layer over a loopback socket, on the lean client (PlatformHttp.layer) and on effect/http's
// FetchHttpClient (PlatformHttp.layerWithHttpClient). Each case's arguments are decoded with this edition's Schemas,
// and its results and errors compared in their encoded JSON form, exactly (spec/cases/README.md).
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
import { assert, describe, layer } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Util from "node:util"
import type { Case, Json, Operation, Step } from "../../../../spec/cases/index.js"
import { cases, mismatches } from "../../../../spec/cases/index.js"
import * as PlatformHttp from "../src/PlatformHttp.js"
import * as CaseServer from "./utils/CaseServer.js"
import { stateOf } from "./utils/PlatformState.js"

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
  readonly args: ReadonlyArray<Schema.Codec<any, any>>
  readonly success: Schema.Codec<any, any>
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
      : yield* Effect.orDie(Schema.decodeUnknownEffect(Schema.Tuple(method.args))(step.call.args))
    const service = clients[step.call.service] as unknown as {
      readonly [method: string]: (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown>
    }
    return yield* service[step.call.method]!(...args).pipe(
      Effect.flatMap((value) => Schema.encodeUnknownEffect(method.success)(value)),
      Effect.map((value): Outcome => ({ _tag: "Success", value: jsonOf(value) })),
      Effect.catch((error) =>
        Effect.map(
          Schema.encodeUnknownEffect(PlatformUsersError.PlatformUsersError)(error),
          (encoded): Outcome => ({ _tag: "Failure", error: jsonOf(encoded), message: (error as Error).message })
        )
      ),
      Effect.orDie
    )
  })

/** Every difference between what a step gave and what it must give, each naming the step. */
const check = (step: Step, outcome: Outcome, label: string): ReadonlyArray<string> => {
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

/** One fresh server: its services calling as the app with a token, its whole state, the requests its socket got. */
interface Server {
  readonly as: (token: string) => Effect.Effect<Clients, never, Scope.Scope>
  /** Remembers the server's whole state; `unchanged` tells whether it is still the same. */
  readonly snapshot: Effect.Effect<void>
  readonly unchanged: Effect.Effect<boolean>
  /** `undefined` in memory, where nothing goes over a wire. */
  readonly requests: Effect.Effect<number> | undefined
}

type MakeServer = (testCase: Case) => Effect.Effect<Server, never, Scope.Scope | CaseServer.CaseServers>

/** The live layer built by `client`, over a fresh emulator on a loopback socket. */
const liveOver = (client: (options: PlatformHttp.Options) => Layer.Layer<PlatformServices.Services>): MakeServer =>
(
  testCase
) =>
  Effect.gen(function*() {
    const servers = yield* CaseServer.CaseServers
    const emulator = yield* servers.serve(testCase.seed, testCase.server)
    return {
      snapshot: emulator.snapshot,
      unchanged: emulator.unchanged,
      requests: emulator.requests,
      as: (token) =>
        Effect.map(
          Layer.build(client({ baseUrl: emulator.url, apiAccessToken: Redacted.make(token), retry: false })),
          clientsOf
        )
    }
  })

const inMemory: MakeServer = (testCase) =>
  Effect.gen(function*() {
    const seed = Result.getOrThrow(PlatformUsersMemory.decodeSeed(testCase.seed))
    const context = yield* Layer.build(PlatformMemory.layer({ seed, ...testCase.server, token: testCase.token }))
    const memory = Context.get(context, PlatformUsersMemory.PlatformUsersMemory)
    // The layer as users get it for the case's token; the handle's caller for the others.
    const byLayer = clientsOf(context)
    let before: unknown = undefined
    return {
      snapshot: Effect.map(stateOf(memory), (state) => {
        before = state
      }),
      unchanged: Effect.map(stateOf(memory), (state) => Util.isDeepStrictEqual(state, before)),
      requests: undefined,
      as: (token) =>
        Effect.succeed(
          token === testCase.token ? byLayer : clientsOf(PlatformServices.context(memory.callerFor(token)))
        )
    }
  })

const servers: ReadonlyArray<readonly [string, MakeServer]> = [
  ["in-memory layer (PlatformMemory.layer)", inMemory],
  ["live layer on the lean client (PlatformHttp.layer) over the emulator's socket", liveOver(PlatformHttp.layer)],
  [
    "live layer on FetchHttpClient (PlatformHttp.layerWithHttpClient) over the emulator's socket",
    liveOver((options) => PlatformHttp.layerWithHttpClient(options).pipe(Layer.provide(FetchHttpClient.layer)))
  ]
]

layer(CaseServer.layer, { excludeTestServices: true, timeout: 120_000 })("shared cases", (it) => {
  for (const [server, make] of servers) {
    describe(server, () => {
      for (const [resource, list] of Object.entries(cases)) {
        describe(resource, () => {
          for (const testCase of list) {
            it.effect(`${testCase.name} (${testCase.source})`, () =>
              Effect.gen(function*() {
                const server = yield* make(testCase)
                const problems: Array<string> = []
                for (const [index, step] of testCase.steps.entries()) {
                  const label = `step ${index + 1} (${step.call.service}.${step.call.method})`
                  const clients = yield* server.as(step.as ?? testCase.token)
                  if (step.unchanged === true) yield* server.snapshot
                  const sentBefore = server.requests === undefined ? 0 : yield* server.requests
                  problems.push(...check(step, yield* callStep(clients, step), label))
                  if (step.unchanged === true && !(yield* server.unchanged)) {
                    problems.push(`${label}: the server's state changed`)
                  }
                  if (step.sent !== undefined && server.requests !== undefined) {
                    const sent = (yield* server.requests) - sentBefore
                    if (sent !== step.sent) problems.push(`${label}: sent ${sent} requests, expected ${step.sent}`)
                  }
                }
                assert.deepStrictEqual(problems, [])
              }), 30_000)
          }
        })
      }
    })
  }
})
