/**
 * The root command with the global options, and what every resource's commands share: the layer of the Platform API
 * services and printing. Apart from `Cli.ts` so that each resource's commands can live in their own module (a
 * subcommand reads the global options by yielding `root`).
 *
 * @internal
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ExitCode from "../ExitCode.js"
import * as Connection from "./connection.js"
import * as Emulator from "./emulator.js"

// Global options (before or after the subcommand: `main` moves them, see internal/commandLine.ts).

const url = Options.text("url").pipe(
  Options.withDescription("Chatwoot base URL, e.g. https://chatwoot.example.com (default: env CHATWOOT_URL)"),
  Options.optional
)

const tokenFile = Options.text("token-file").pipe(
  Options.withDescription(
    "File whose first line is the platform app's access token (default: env CHATWOOT_PLATFORM_TOKEN). " +
      "There is deliberately no --token flag: argv is visible to other users in ps."
  ),
  Options.optional
)

const json = Options.boolean("json").pipe(
  Options.withDescription(
    "Print results as JSON: exactly the body Chatwoot sent, one line (an agent bot's access_token included)"
  )
)

const emulator = Options.boolean("emulator").pipe(
  Options.withDescription(
    "Run the command against a throwaway in-process emulator (127.0.0.1, random port) seeded with demo user 1, " +
      "demo account 1 (user 1 its administrator) and demo agent bot 1"
  )
)

/** @internal */
export const root = Command.make("chatwoot-platform", { url, tokenFile, json, emulator }).pipe(
  Command.withDescription(
    "Manage Chatwoot users, accounts, account members and agent bots through the Platform API, or run a local " +
      "emulator of it."
  )
)

/**
 * Every Platform API service, built only when a command that needs one runs (so `--help` needs nothing): the
 * configured Chatwoot, or with `--emulator` a throwaway demo emulator.
 *
 * @internal
 */
export const services = Layer.unwrapScoped(Effect.gen(function*() {
  const global = yield* root
  const connector = yield* Connection.Connector
  if (global.emulator) {
    if (Option.isSome(global.url)) {
      return yield* new ExitCode.UsageError({
        message: "--emulator and --url cannot be used together: --emulator runs against a local throwaway emulator"
      })
    }
    return connector({ ...(yield* Emulator.startDemo), ...(yield* Connection.resolveTuning) })
  }
  const baseUrl = yield* Connection.resolveUrl(global)
  const apiAccessToken = yield* Connection.resolveToken(global)
  return connector({ baseUrl, apiAccessToken, ...(yield* Connection.resolveTuning) })
}))

/** @internal */
export const print = (text: string) => Console.log(text)

/** Prints `json` with `--json`, else `text`. @internal */
export const printEither = (output: { readonly json: () => string; readonly text: () => string }) =>
  Effect.flatMap(root, (global) => print(global.json ? output.json() : output.text()))
