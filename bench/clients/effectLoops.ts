// The loops of the in-Effect clients (ours-effect, effect-bare): sequential and at a fixed number in flight, both
// inside Effect, `Effect.forEach` for the concurrent part, as Effect apps write it.
import * as Effect from "effect/Effect"
import type * as ManagedRuntime from "effect/ManagedRuntime"
import { performance } from "node:perf_hooks"
// @ts-expect-error: plain JavaScript
import { run } from "./harness.mjs"

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

export const runInEffect = <E, R>(
  runtime: ManagedRuntime.ManagedRuntime<R, never>,
  one: (i: number) => Effect.Effect<unknown, E, R>
): Promise<void> =>
  run({
    one: (i: number) => runtime.runPromise(one(i)),
    sequential: (n: number) =>
      runtime.runPromise(Effect.gen(function*() {
        const latencies = new Float64Array(n)
        for (let i = 0; i < n; i++) {
          const start = performance.now()
          yield* one(i)
          latencies[i] = performance.now() - start
        }
        return latencies
      })),
    concurrent: (n: number, inflight: number) =>
      runtime.runPromise(Effect.forEach(range(n), one, { concurrency: inflight, discard: true })),
    close: () => runtime.dispose()
  })
