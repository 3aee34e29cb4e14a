/**
 * A per-attempt timeout that costs one fiber instead of a race of two.
 *
 * `Effect.timeoutFail` races the effect against `Effect.sleep` in two forked fibers and merges the winner's fiber
 * refs back: measured at about a quarter of this client's CPU per request. On the live clock the same thing is one
 * forked fiber for the attempt and one plain timer. Under any other clock (`TestClock`, a custom `Clock`) it is
 * `Effect.timeoutFail` itself, so tests drive it with `TestClock.adjust` as before.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"

// `Clock.make()` builds the live clock; its class is not exported, its prototype tells it apart from a TestClock.
const liveClockPrototype: unknown = Object.getPrototypeOf(Clock.make())

// The longest delay `setTimeout` honours; the live clock treats anything longer as never.
const maxTimerMillis = 2 ** 31 - 1

/**
 * Whether a timeout of `millis` on `clock` can be a plain `setTimeout`: the clock is the live one (not a `TestClock`
 * or a custom `Clock`) and the delay fits a timer.
 *
 * @internal
 */
export const isPlainTimer = (clock: Clock.Clock, millis: number): boolean =>
  Object.getPrototypeOf(clock) === liveClockPrototype && millis <= maxTimerMillis

/**
 * Fails with `onTimeout()` when `self` has not ended within `duration`, interrupting it first (and waiting for that,
 * as `Effect.timeoutFail` does).
 *
 * @internal
 */
export const timeoutFail = <A, E, R>(
  self: Effect.Effect<A, E, R>,
  duration: Duration.Duration,
  onTimeout: () => E
): Effect.Effect<A, E, R> =>
  Effect.clockWith((clock) => {
    const millis = Duration.toMillis(duration)
    if (!isPlainTimer(clock, millis)) {
      return Effect.timeoutFail(self, { duration, onTimeout })
    }
    return Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(Effect.fork(restore(self)), (fiber) =>
        restore(Effect.async<A, E>((resume) => {
          let done = false
          const onExit = (exit: Exit.Exit<A, E>) => {
            if (done) return
            done = true
            clearTimeout(timer)
            resume(exit)
          }
          const timer = setTimeout(() => {
            if (done) return
            done = true
            fiber.removeObserver(onExit)
            resume(Effect.zipRight(Fiber.interrupt(fiber), Effect.fail(onTimeout())))
          }, millis)
          fiber.addObserver(onExit)
          // Interrupted from outside: stop the timer and the attempt.
          return Effect.suspend(() => {
            done = true
            clearTimeout(timer)
            return Fiber.interrupt(fiber)
          })
        })))
    )
  })
