/**
 * The Effect 3 edition's emulator, as a program: `chatwoot-platform emulator` in a child process on Node 20 (the
 * machine's Node, not the one the Effect 4 tests run on), listening on a free loopback port, stopped with the scope.
 * The Effect 4 edition meets it where the editions meet: the wire.
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

export const repo = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "..")
const bin = Path.join(repo, "packages", "cli", "bin", "chatwoot-platform.mjs")

// The machine's Node: the first `node` on PATH outside any node_modules (effect4's own is Node 24).
export const machineNode = (): string => {
  for (const dir of (process.env.PATH ?? "").split(Path.delimiter)) {
    if (dir === "" || dir.includes("node_modules")) continue
    const candidate = Path.join(dir, "node")
    if (Fs.existsSync(candidate)) return candidate
  }
  for (const candidate of ["/usr/local/bin/node", "/usr/bin/node"]) if (Fs.existsSync(candidate)) return candidate
  throw new Error("no Node found on PATH for the emulator")
}

export interface Emulator {
  readonly baseUrl: string
}

export const emulator = (token: string): Effect.Effect<Emulator, Error, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<{ readonly baseUrl: string; readonly child: ChildProcess.ChildProcess }, Error>((resume) => {
      const child = ChildProcess.spawn(
        machineNode(),
        [bin, "emulator", "--port", "0", "--platform-token", token],
        { cwd: repo, stdio: ["ignore", "pipe", "pipe"] }
      )
      let output = ""
      let done = false
      const onData = (chunk: Buffer) => {
        output += chunk.toString("utf8")
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
        if (match !== null && !done) {
          done = true
          resume(Effect.succeed({ baseUrl: match[1]!, child }))
        }
      }
      child.stdout.on("data", onData)
      child.stderr.on("data", onData)
      child.once("exit", (code) => {
        if (!done) {
          done = true
          resume(Effect.fail(new Error(`the emulator exited (${code}) before listening: ${output}`)))
        }
      })
    }),
    ({ child }) =>
      Effect.callback<void>((resume) => {
        if (child.exitCode !== null) return resume(Effect.void)
        child.once("exit", () => resume(Effect.void))
        child.kill("SIGTERM")
      })
  ).pipe(Effect.map(({ baseUrl }) => ({ baseUrl })))
