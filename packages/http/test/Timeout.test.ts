import { assert, describe, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import * as Timeout from "../src/internal/timeout.js"

const timedOut = () => "timed out" as const

describe("internal/timeout", () => {
  it.live("on the live clock: fails with onTimeout once the duration is over, after interrupting the attempt", () =>
    Effect.gen(function*() {
      const interrupted = yield* Deferred.make<void>()
      const attempt = Effect.never.pipe(Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined)))
      const exit = yield* Effect.exit(Timeout.timeoutFail(attempt, Duration.millis(20), timedOut))
      assert.deepStrictEqual(exit, Exit.fail("timed out"))
      // Interruption was awaited before the failure came back.
      assert.isTrue(yield* Deferred.isDone(interrupted))
    }))

  it.live("on the live clock: passes a success or a failure through", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* Timeout.timeoutFail(Effect.succeed(1), Duration.seconds(30), timedOut), 1)
      const later = Effect.sleep(Duration.millis(5)).pipe(Effect.as(2))
      assert.strictEqual(yield* Timeout.timeoutFail(later, Duration.seconds(30), timedOut), 2)
      const failed = yield* Effect.exit(
        Timeout.timeoutFail(Effect.fail("boom" as const), Duration.seconds(30), timedOut)
      )
      assert.deepStrictEqual(failed, Exit.fail("boom"))
    }))

  it.live("on the live clock: interrupting the caller interrupts the attempt", () =>
    Effect.gen(function*() {
      const started = yield* Deferred.make<void>()
      const interrupted = yield* Deferred.make<void>()
      const attempt = Deferred.succeed(started, undefined).pipe(
        Effect.zipRight(Effect.never),
        Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined))
      )
      const fiber = yield* Effect.fork(Timeout.timeoutFail(attempt, Duration.seconds(30), timedOut))
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      assert.isTrue(yield* Deferred.isDone(interrupted))
    }))

  it.effect("under TestClock: times out only when the clock is moved past the duration", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(Timeout.timeoutFail(Effect.never, Duration.seconds(30), timedOut))
      yield* TestClock.adjust(Duration.seconds(29))
      assert.isNull(fiber.unsafePoll())
      yield* TestClock.adjust(Duration.seconds(1))
      assert.deepStrictEqual(yield* Fiber.await(fiber), Exit.fail("timed out"))
    }))
})
