/**
 * Fresh Effect 3 emulators for the shared cases, one per case, made by one child process on the machine's Node
 * (caseServer.mjs, started once for the whole file and stopped with the layer): each listens on a loopback socket,
 * takes the case's seed and every server option, and answers how many requests its socket received and whether its
 * whole state is as it was at the last snapshot.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as ChildProcess from "node:child_process"
import * as Path from "node:path"
import type { Json, ServerOptions } from "../../../../../spec/cases/index.js"
import { machineNode, repo } from "./Emulator.js"

/** One fresh emulator. */
export interface CaseEmulator {
  readonly url: string
  /** The requests its socket received so far. */
  readonly requests: Effect.Effect<number>
  /** Remembers its whole state, for {@link unchanged}. */
  readonly snapshot: Effect.Effect<void>
  /** Whether its whole state deep-equals the last snapshot. */
  readonly unchanged: Effect.Effect<boolean>
}

export class CaseServers extends Context.Service<CaseServers, {
  readonly serve: (seed: Json, server: ServerOptions | undefined) => Effect.Effect<CaseEmulator, never, Scope.Scope>
}>()("test/CaseServers") {}

const driver = Path.join(repo, "effect4", "packages", "http", "test", "utils", "caseServer.mjs")

export const layer: Layer.Layer<CaseServers> = Layer.effect(
  CaseServers,
  Effect.gen(function*() {
    const child = yield* Effect.acquireRelease(
      Effect.callback<ChildProcess.ChildProcess>((resume) => {
        const child = ChildProcess.fork(driver, [], {
          execPath: machineNode(),
          cwd: repo,
          stdio: ["ignore", "inherit", "inherit", "ipc"]
        })
        child.once("message", () => resume(Effect.succeed(child)))
        child.once("exit", (code) => resume(Effect.die(new Error(`the case server exited (${code}) before starting`))))
      }),
      (child) =>
        Effect.callback<void>((resume) => {
          if (child.exitCode !== null) return resume(Effect.void)
          child.once("exit", () => resume(Effect.void))
          child.disconnect()
        })
    )
    const pending = new Map<number, (answer: { readonly value?: unknown; readonly error?: string }) => void>()
    let next = 0
    child.on("message", (answer: { readonly id: number; readonly value?: unknown; readonly error?: string }) => {
      pending.get(answer.id)?.(answer)
      pending.delete(answer.id)
    })
    // A driver that dies fails every question still open, rather than leaving a test waiting for its timeout.
    child.once("exit", (code) => {
      for (const answer of pending.values()) answer({ error: `the case server exited (${code})` })
      pending.clear()
    })
    const ask = <A>(op: string, input: object) =>
      Effect.callback<A>((resume) => {
        if (!child.connected) return resume(Effect.die(new Error(`case server ${op}: the case server is gone`)))
        const id = next++
        pending.set(id, (answer) =>
          resume(
            answer.error === undefined
              ? Effect.succeed(answer.value as A)
              : Effect.die(new Error(`case server ${op}: ${answer.error}`))
          ))
        child.send({ id, op, ...input })
      })
    return {
      serve: (seed, server) =>
        Effect.acquireRelease(
          ask<{ readonly key: number; readonly url: string }>("serve", { seed, server: server ?? {} }),
          ({ key }) => ask("close", { key })
        ).pipe(Effect.map(({ key, url }): CaseEmulator => ({
          url,
          requests: ask("requests", { key }),
          snapshot: ask("snapshot", { key }),
          unchanged: ask("unchanged", { key })
        })))
    }
  })
)
