/**
 * Runs of `chatwoot-platform` for the secret-hygiene tests: the bundled binary as a child process (stdout, stderr,
 * exit code), or `Cli.main` in process over the live client (console lines, with a recorder's logger and tracer).
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { spawn } from "node:child_process"
import * as Cli from "../../src/Cli.js"
import { Stdin } from "../../src/internal/stdin.js"
import { binaryPath } from "../globalSetup.js"
import { makeConsole } from "./harness.js"
import type { Item, Recorder } from "./harvest.js"

export interface Run {
  readonly label: string
  readonly args: ReadonlyArray<string>
  readonly env?: Readonly<Record<string, string>> | undefined
  readonly stdin?: string | undefined
  /** The exit code the run must end with: a run that does not reach its case proves nothing. */
  readonly code: number
}

export interface Finished {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const baseEnv = () => {
  const env: Record<string, string | undefined> = { ...process.env }
  delete env.CHATWOOT_URL
  delete env.CHATWOOT_PLATFORM_TOKEN
  delete env.CHATWOOT_RETRIES
  delete env.CHATWOOT_TIMEOUT
  delete env.CHATWOOT_TOKEN_HEADER
  return env
}

/** The built binary with `--log-level all` first, `stdin` piped in; killed after 30 s. */
export const runBinary = (run: Run): Effect.Effect<Finished, Error> =>
  Effect.async<Finished, Error>((resume) => {
    const child = spawn(process.execPath, [binaryPath, "--log-level", "all", ...run.args], {
      env: { ...baseEnv(), ...run.env },
      stdio: ["pipe", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.stdin.on("error", () => {})
    child.stdin.end(run.stdin ?? "")
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      resume(Effect.fail(new Error(`${run.label}: timed out; stderr: ${stderr}`)))
    }, 30_000)
    child.once("close", (code) => {
      clearTimeout(timer)
      resume(Effect.succeed({ code, stdout, stderr }))
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      child.kill("SIGKILL")
    })
  })

/** A finished run as harvest items. */
export const items = (label: string, finished: Finished): Array<Item> => [
  { source: `${label}: stdout`, text: finished.stdout },
  { source: `${label}: stderr`, text: finished.stderr }
]

/** `Cli.main` in process over the live client and undici, under the recorder; the console is captured. */
export const runInProcess = (recorder: Recorder, run: Run): Effect.Effect<Finished> =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const code = yield* recorder.record(
      Cli.main(["node", "chatwoot-platform", ...run.args]).pipe(
        Effect.withConsole(makeConsole(out, err)),
        Effect.provideService(Stdin, {
          isTTY: false,
          readLine: Effect.sync(() =>
            run.stdin === undefined ? Option.none() : Option.some(run.stdin.split("\n")[0]!.replace(/\r$/, ""))
          )
        }),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(run.env ?? {})))),
        Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici))
      )
    )
    return { code, stdout: out.join("\n"), stderr: err.join("\n") }
  })
