/**
 * The in-memory Platform API behind the provision tests: a seeded `PlatformUsersMemory` called as one app, every
 * request recorded on its way out (a create's password apart), failures injected per request, and the CLI run in
 * process on it.
 */
import * as PlatformServices from "@chatwoot-effect/core/PlatformServices"
import type { Operation } from "@chatwoot-effect/core/PlatformUsersError"
import { ServerError, Unauthorized } from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as HttpClient from "@effect/platform/HttpClient"
import * as ConfigProvider from "effect/ConfigProvider"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Cli from "../../src/Cli.js"
import { Connector } from "../../src/internal/connection.js"
import { StdoutTerminal } from "../../src/internal/parserConsole.js"
import { Stdin } from "../../src/internal/stdin.js"
import { makeConsole } from "./harness.js"

export const APP = "ProvisionCliAppToken0001"
export const OTHER = "ProvisionCliAppToken0002"

/**
 * Account 1 (support) and 2 (sales) are the app's, 3 another app's. Alice is an agent of 1, Bob an administrator of
 * 1, Carol a member of 1 the app cannot read; Dan and Fay exist but no app holds them (provisioning claims them);
 * Gus and Hal are agents of 2 only.
 */
export const seedJson = {
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
      custom_attributes: { team: "a" },
      apps: ["app"],
      accounts: [{ id: 1, role: "agent" }]
    },
    { id: 2, name: "Bob", email: "bob@example.com", apps: ["app"], accounts: [{ id: 1, role: "administrator" }] },
    { id: 3, name: "Carol", email: "carol@example.com", apps: ["other"], accounts: [{ id: 1 }, { id: 3 }] },
    { id: 4, name: "Dan", email: "dan@example.com" },
    { id: 6, name: "Fay", email: "fay@example.com", custom_attributes: { x: 1 } },
    { id: 7, name: "Gus", email: "gus@example.com", apps: ["app"], accounts: [{ id: 2, role: "agent" }] },
    { id: 8, name: "Hal", email: "hal@example.com", apps: ["app"], accounts: [{ id: 2, role: "agent" }] }
  ]
}

export const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed(seedJson))

export interface Sent {
  readonly operation: Operation
  readonly params: unknown
  readonly payload: unknown
}

export interface Memory {
  readonly handle: PlatformUsersMemory.Handle
  /** Every request, in order (without a create's password). */
  readonly sent: Array<Sent>
  /** The passwords creates carried. */
  readonly passwords: Array<string>
  readonly operations: () => Array<Operation>
  /** The Platform services over the recorded caller. */
  readonly context: Context.Context<PlatformServices.Services>
  /** Make the next matching requests fail: `fail(op, n)` answers a 503 to the next `n` requests of `op`. */
  readonly fail: (operation: Operation, times?: number, kind?: "ServerError" | "InvalidToken") => void
  /** Everything the server holds, to compare before and after. */
  readonly state: Effect.Effect<string>
}

export const makeMemory = (
  options: { readonly seed?: PlatformUsersMemory.Seed; readonly token?: string } = {}
): Effect.Effect<Memory, never, Scope.Scope> =>
  Effect.gen(function*() {
    const handle = yield* PlatformUsersMemory.make({ seed: options.seed ?? seed, defaultFeatures: [] })
    const sent: Array<Sent> = []
    const passwords: Array<string> = []
    const failures = new Map<Operation, { times: number; kind: "ServerError" | "InvalidToken" }>()
    const inner = handle.callerFor(options.token ?? APP)
    const caller = ((route, params, payload) =>
      Effect.suspend(() => {
        const body = payload as Record<string, unknown> | undefined
        if (route.operation === "create" && body !== undefined && Redacted.isRedacted(body.password)) {
          passwords.push(Redacted.value(body.password as Redacted.Redacted<string>))
          const { password: _password, ...rest } = body
          sent.push({ operation: route.operation, params, payload: rest })
        } else {
          sent.push({ operation: route.operation, params, payload })
        }
        const failure = failures.get(route.operation)
        if (failure !== undefined && failure.times > 0) {
          failure.times--
          return Effect.fail(
            failure.kind === "InvalidToken"
              ? new Unauthorized({ operation: route.operation, reason: "InvalidToken" })
              : new ServerError({ operation: route.operation, status: 503 })
          )
        }
        return inner(route, params, payload)
      })) as PlatformServices.Caller
    const accountsOf = Effect.flatMap(handle.accounts, (accounts) =>
      Effect.forEach(accounts, (account) => handle.accountUsers(account.id)))
    return {
      handle,
      sent,
      passwords,
      operations: () =>
        sent.map((request) => request.operation),
      context: PlatformServices.context(caller),
      fail: (operation, times = 1, kind = "ServerError") => void failures.set(operation, { times, kind }),
      state: Effect.map(
        Effect.zip(handle.users, accountsOf),
        ([users, members]) => JSON.stringify({ users, members })
      )
    }
  })

const noNetwork = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make(() => Effect.die("the in-memory provision tests must not reach the network"))
)

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `chatwoot-platform ...argv` in process against `memory`, with `stdin` (its first line) piped in. */
export const runCli = (
  memory: Memory,
  argv: ReadonlyArray<string>,
  stdin?: string
): Effect.Effect<CliResult> =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const code = yield* Cli.main(["node", "chatwoot-platform", ...argv]).pipe(
      Effect.withConsole(makeConsole(out, err)),
      Effect.provideService(Connector, () => Layer.succeedContext(memory.context)),
      Effect.provideService(Stdin, {
        isTTY: false,
        readLine: Effect.sync(() =>
          stdin === undefined ? Option.none() : Option.some(stdin.split("\n")[0]!.replace(/\r$/, ""))
        )
      }),
      Effect.provideService(StdoutTerminal, { isTTY: false }),
      Effect.withConfigProvider(ConfigProvider.fromMap(
        new Map([["CHATWOOT_URL", "https://chatwoot.example.com"], ["CHATWOOT_PLATFORM_TOKEN", APP]])
      )),
      Effect.provide(Layer.merge(NodeContext.layer, noNetwork))
    )
    return { code, stdout: out.join("\n"), stderr: err.join("\n") }
  })
