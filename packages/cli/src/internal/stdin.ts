import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as ExitCode from "../ExitCode.js"

/** @internal */
export interface StdinService {
  /** Whether stdin is an interactive terminal (then a hidden prompt can ask for a password). */
  readonly isTTY: boolean
  /** The first line of stdin without its line ending; `None` when stdin is empty. */
  readonly readLine: Effect.Effect<Option.Option<string>>
}

/** @internal */
export const readFirstLine = (stream: NodeJS.ReadableStream): Effect.Effect<Option.Option<string>> =>
  Effect.async<Option.Option<string>>((resume) => {
    let buffer = ""
    let got = false
    const cleanup = () => {
      stream.off("data", onData)
      stream.off("end", onEnd)
      stream.off("error", onEnd)
      stream.pause()
    }
    const finish = () => {
      cleanup()
      const newline = buffer.indexOf("\n")
      const line = newline === -1 ? buffer : buffer.slice(0, newline)
      resume(Effect.succeed(got ? Option.some(line.replace(/\r$/, "")) : Option.none()))
    }
    const onData = (chunk: string | Buffer) => {
      got = true
      buffer += chunk.toString()
      if (buffer.includes("\n")) finish()
    }
    const onEnd = () => finish()
    stream.setEncoding("utf8")
    stream.on("data", onData)
    stream.on("end", onEnd)
    stream.on("error", onEnd)
    stream.resume()
    return Effect.sync(cleanup)
  })

/**
 * Standard input, as a reference with Node's `process.stdin` as default so that tests can swap it without the
 * command requiring a new service.
 *
 * @internal
 */
export class Stdin extends Context.Reference<Stdin>()("@chatwoot-effect/cli/Stdin", {
  defaultValue: (): StdinService => ({
    get isTTY() {
      return process.stdin.isTTY === true
    },
    readLine: Effect.suspend(() => readFirstLine(process.stdin))
  })
}) {}

/**
 * `--password-stdin`: the first line of standard input, redacted; an empty stdin is a usage error.
 *
 * @internal
 */
export const readPasswordStdin: Effect.Effect<Redacted.Redacted, ExitCode.UsageError> = Effect.gen(function*() {
  const stdin = yield* Stdin
  const line = yield* stdin.readLine
  if (Option.isNone(line)) {
    return yield* new ExitCode.UsageError({
      message:
        "--password-stdin: standard input is empty; pipe the password in, e.g. printf '%s\\n' \"$PASSWORD\" | ..."
    })
  }
  return yield* Effect.sync(() => Redacted.make(line.value))
})
