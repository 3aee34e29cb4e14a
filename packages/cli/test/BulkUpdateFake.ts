import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import type { UpdateError } from "@chatwoot-effect/core/PlatformUsersError"
import { User } from "@chatwoot-effect/core/User"
import type { UpdateUserPayload } from "@chatwoot-effect/core/UserPayload"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as BulkUpdate from "../src/BulkUpdate.js"

export interface Call {
  readonly id: number
  readonly payload: UpdateUserPayload
  /** Clock time when the call started. */
  readonly at: number
  /** Calls already running when this one started. */
  readonly concurrent: number
}

/**
 * A fake `PlatformUsers` recording every `update`. `respond(id, attempt)` decides each answer (default: success);
 * it may block. Built per test (tests in a file run concurrently).
 */
export const makeFake = (
  respond?: (id: number, attempt: number) => Effect.Effect<void, UpdateError>
) => {
  const calls: Array<Call> = []
  const attempts = new Map<number, number>()
  let inFlight = 0
  let maxInFlight = 0
  const unused = Effect.die("not used by the bulk engine")
  const service = PlatformUsers.of({
    update: (id, payload) =>
      Effect.gen(function*() {
        const at = yield* Clock.currentTimeMillis
        const attempt = (attempts.get(id) ?? 0) + 1
        attempts.set(id, attempt)
        calls.push({ id, payload, at, concurrent: inFlight })
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        yield* (respond?.(id, attempt) ?? Effect.void).pipe(Effect.ensuring(Effect.sync(() => inFlight--)))
        return new User({ id, name: "n", email: "n@example.com" })
      }),
    create: () => unused,
    get: () => unused,
    delete: () => unused,
    loginUrl: () => unused,
    token: () => unused
  })
  return {
    layer: Layer.merge(Layer.succeed(PlatformUsers, service), NodeFileSystem.layer),
    calls,
    sentIds: () => calls.map((call) => call.id),
    maxInFlight: () => maxInFlight
  }
}

/** A temp directory removed when the test's scope closes. */
export const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "cwp-bulk-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

export const write = (dir: string, name: string, content: string): string => {
  const file = path.join(dir, name)
  fs.writeFileSync(file, content)
  return file
}

export type Options = Omit<BulkUpdate.RunOptions, "concurrency" | "dryRun" | "progress"> & {
  readonly concurrency?: number
  readonly dryRun?: boolean
}

/** Runs the engine with captured output; returns the result lines parsed. */
export const runBulk = (fake: ReturnType<typeof makeFake>, options: Options) => {
  const lines: Array<string> = []
  const summaries: Array<BulkUpdate.BulkSummary> = []
  const effect = BulkUpdate.run({
    concurrency: 4,
    dryRun: false,
    progress: false,
    output: (line) => Effect.sync(() => void lines.push(line)),
    summary: (summary) => Effect.sync(() => void summaries.push(summary)),
    ...options
  }).pipe(Effect.provide(fake.layer))
  return { effect, lines, summaries, results: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) }
}

/**
 * Drives a forked run to its end under the TestClock: lets real I/O progress, then moves virtual time on.
 * Bounded: dies if the run needs more than `maxSteps` steps.
 */
export const drive = <A, E>(fiber: Fiber.Fiber<A, E>, step = "50 millis", maxSteps = 20_000) =>
  Effect.gen(function*() {
    for (let i = 0; i < maxSteps; i++) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) return done.value
      yield* Effect.promise(() => new Promise((resolve) => setImmediate(resolve)))
      yield* TestClock.adjust(step as Duration.DurationInput)
    }
    return yield* Effect.die(`the run did not finish within ${maxSteps} steps`)
  }).pipe(Effect.map((exit): Exit.Exit<A, E> => exit))

/** Waits (bounded, real I/O turns) until `condition` holds. */
export const until = (condition: () => boolean, maxTurns = 20_000) =>
  Effect.gen(function*() {
    for (let i = 0; i < maxTurns; i++) {
      if (condition()) return
      yield* Effect.promise(() => new Promise((resolve) => setImmediate(resolve)))
    }
    return yield* Effect.die("condition never held")
  })
