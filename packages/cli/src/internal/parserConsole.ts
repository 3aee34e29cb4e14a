/**
 * What @effect/cli prints itself, before a command runs: its help (coloured with ANSI escapes, always) and its parse
 * errors (several lines, coloured). Under `parserConsole` the help loses its colours when they are not wanted, and
 * the errors are not printed: `ExitCode.report` says them in one line. `commandConsole` gives a running command the
 * console back as it was, so that nothing the commands print is touched.
 *
 * @internal
 */
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"

/** Whether standard output is a terminal; a reference, so that tests can say. @internal */
export class StdoutTerminal extends Context.Reference<StdoutTerminal>()("@chatwoot-effect/cli/StdoutTerminal", {
  defaultValue: (): { readonly isTTY: boolean } => ({
    get isTTY() {
      return process.stdout.isTTY === true
    }
  })
}) {}

/**
 * Colours on standard output: only on a terminal, and not when `NO_COLOR` is set to anything but the empty string
 * (https://no-color.org).
 *
 * @internal
 */
export const colour: Effect.Effect<boolean> = Effect.gen(function*() {
  if (!(yield* StdoutTerminal).isTTY) return false
  const noColor = yield* Config.string("NO_COLOR").pipe(Config.withDefault(""), Effect.orElseSucceed(() => ""))
  return noColor === ""
})

// SGR sequences (colours, bold): all that @effect/printer-ansi writes.
// eslint-disable-next-line no-control-regex -- the escape character is what an SGR sequence starts with
const sgr = /\x1b\[[0-9;]*m/g

const outer = Symbol.for("@chatwoot-effect/cli/parserConsole/outer")

interface ParserConsole extends Console.Console {
  readonly [outer]: Console.Console
}

/** `console`, minus @effect/cli's error output, and minus the colours of its help unless `colour`. @internal */
export const parserConsole = (console: Console.Console, colour: boolean): Console.Console => {
  const plain = (args: ReadonlyArray<unknown>) =>
    colour ? args : args.map((arg) => typeof arg === "string" ? arg.replace(sgr, "") : arg)
  const quiet: ParserConsole = {
    ...console,
    [outer]: console,
    log: (...args) => console.log(...plain(args)),
    error: () => Effect.void
  }
  return quiet
}

/** The console as it was before `parserConsole`, for a command that starts running. @internal */
export const commandConsole = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Console.consoleWith((console) =>
    outer in console ? Console.withConsole(effect, (console as ParserConsole)[outer]) : effect
  )
