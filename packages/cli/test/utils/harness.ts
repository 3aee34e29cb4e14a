import * as PlatformAccounts from "@chatwoot-effect/core/PlatformAccounts"
import * as PlatformAccountUsers from "@chatwoot-effect/core/PlatformAccountUsers"
import * as PlatformAgentBots from "@chatwoot-effect/core/PlatformAgentBots"
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as User from "@chatwoot-effect/core/User"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as HttpClient from "@effect/platform/HttpClient"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Cli from "../../src/Cli.js"
import { Connector, type Target } from "../../src/internal/connection.js"
import { StdoutTerminal } from "../../src/internal/parserConsole.js"
import { Stdin } from "../../src/internal/stdin.js"
import { makeAccounts, makeAccountUsers, makeAgentBots } from "./platformFakes.js"

/** A console that records lines instead of printing them. */
export const makeConsole = (out: Array<string>, err: Array<string>): Console.Console => {
  const to = (lines: Array<string>) => (...args: ReadonlyArray<unknown>) =>
    Effect.sync(() => {
      lines.push(args.map(String).join(" "))
    })
  const unsafeTo = (lines: Array<string>) => (...args: ReadonlyArray<unknown>) => {
    lines.push(args.map(String).join(" "))
  }
  return {
    [Console.TypeId]: Console.TypeId,
    assert: () => Effect.void,
    clear: Effect.void,
    count: () => Effect.void,
    countReset: () => Effect.void,
    debug: to(err),
    dir: to(out),
    dirxml: to(out),
    error: to(err),
    group: () => Effect.void,
    groupEnd: Effect.void,
    info: to(out),
    log: to(out),
    table: to(out),
    time: () => Effect.void,
    timeEnd: () => Effect.void,
    timeLog: () => Effect.void,
    trace: to(err),
    warn: to(err),
    unsafe: {
      ...globalThis.console,
      log: unsafeTo(out),
      info: unsafeTo(out),
      error: unsafeTo(err),
      warn: unsafeTo(err)
    }
  } as Console.Console
}

export const userOne: User.User = Schema.decodeUnknownSync(User.User)({
  id: 1,
  name: "Demo User",
  display_name: "Demo",
  email: "demo@example.com",
  confirmed: true,
  custom_attributes: { plan: "free" },
  accounts: [{ id: 1, name: "Demo Account", role: "administrator" }]
})

export type Call = { readonly operation: string; readonly id?: number; readonly payload?: unknown }

const notFound = (operation: PlatformUsersError.Operation, id: User.UserId) =>
  Effect.fail(new PlatformUsersError.NotFound({ operation, resource: "user", id }))

/** A fake service: user 1 exists, every call is recorded, `overrides` replace single methods. */
export const makeFake = (calls: Array<Call>, overrides: Partial<PlatformUsers.Service> = {}): PlatformUsers.Service =>
  PlatformUsers.PlatformUsers.of({
    get: (id) => {
      calls.push({ operation: "get", id })
      return id === 1 ? Effect.succeed(userOne) : notFound("get", id)
    },
    create: (payload) => {
      calls.push({ operation: "create", payload })
      return Effect.succeed(
        new User.User({ ...userOne, id: User.UserId.make(2), name: payload.name, email: payload.email })
      )
    },
    update: (id, payload) => {
      calls.push({ operation: "update", id, payload })
      if (id !== 1) return notFound("update", id)
      const { custom_attributes, display_name, email, name } = payload
      return Effect.succeed(
        new User.User({
          ...userOne,
          ...(name !== undefined ? { name } : {}),
          ...(email !== undefined ? { email } : {}),
          ...(display_name !== undefined ? { display_name } : {}),
          ...(custom_attributes !== undefined
            ? { custom_attributes: { ...userOne.custom_attributes, ...custom_attributes } }
            : {})
        })
      )
    },
    delete: (id) => {
      calls.push({ operation: "delete", id })
      return id === 1 ? Effect.void : notFound("delete", id)
    },
    loginUrl: (id) => {
      calls.push({ operation: "loginUrl", id })
      return id === 1
        ? Effect.succeed(
          new User.SsoLink({ url: "https://chatwoot.example.com/app/login?email=demo&sso_auth_token=abc" })
        )
        : notFound("loginUrl", id)
    },
    token: (id) => {
      calls.push({ operation: "token", id })
      return id === 1
        ? Effect.succeed(
          new User.UserToken({
            access_token: Redacted.make("user-own-token"),
            expiry: null,
            user: new User.UserTokenOwner({ id: userOne.id, name: userOne.name, email: userOne.email })
          })
        )
        : notFound("token", id)
    },
    ...overrides
  })

const noNetwork = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make(() => Effect.die("the mocked CLI tests must not reach the network"))
)

export interface RunOptions {
  readonly env?: Record<string, string> | undefined
  /** What stdin holds; `undefined` for an empty stdin. */
  readonly stdin?: string | undefined
  readonly tty?: boolean | undefined
  /** Whether stdout is a terminal (then help is coloured unless NO_COLOR is set); not by default. */
  readonly stdoutTty?: boolean | undefined
  readonly overrides?: Partial<PlatformUsers.Service> | undefined
  readonly accounts?: Partial<PlatformAccounts.Service> | undefined
  readonly accountUsers?: Partial<PlatformAccountUsers.Service> | undefined
  readonly agentBots?: Partial<PlatformAgentBots.Service> | undefined
}

export interface RunResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  readonly calls: ReadonlyArray<Call>
  readonly targets: ReadonlyArray<Target>
}

/** Runs `chatwoot-platform ...argv` in process against the fake services and captures everything it prints. */
export const run = (argv: ReadonlyArray<string>, options: RunOptions = {}): Effect.Effect<RunResult> =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const calls: Array<Call> = []
    const targets: Array<Target> = []
    const fakes = Layer.mergeAll(
      Layer.succeed(PlatformUsers.PlatformUsers, makeFake(calls, options.overrides)),
      Layer.succeed(PlatformAccounts.PlatformAccounts, makeAccounts(calls, options.accounts)),
      Layer.succeed(PlatformAccountUsers.PlatformAccountUsers, makeAccountUsers(calls, options.accountUsers)),
      Layer.succeed(PlatformAgentBots.PlatformAgentBots, makeAgentBots(calls, options.agentBots))
    )
    const code = yield* Cli.main(["node", "chatwoot-platform", ...argv]).pipe(
      Effect.withConsole(makeConsole(out, err)),
      Effect.provideService(Connector, (target) => {
        targets.push(target)
        return fakes
      }),
      Effect.provideService(Stdin, {
        isTTY: options.tty ?? false,
        readLine: Effect.sync(() =>
          options.stdin === undefined ? Option.none() : Option.some(options.stdin.split("\n")[0]!.replace(/\r$/, ""))
        )
      }),
      Effect.provideService(StdoutTerminal, { isTTY: options.stdoutTty ?? false }),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(options.env ?? {})))),
      Effect.provide(Layer.merge(NodeContext.layer, noNetwork))
    )
    return { code, stdout: out.join("\n"), stderr: err.join("\n"), calls, targets }
  })

export const configured = {
  env: { CHATWOOT_URL: "https://chatwoot.example.com", CHATWOOT_PLATFORM_TOKEN: "platform-secret" }
}
