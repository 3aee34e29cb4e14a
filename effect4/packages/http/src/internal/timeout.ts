/**
 * Which clock an attempt is timed by. On the live clock the lean client times the exchange with one plain timer of
 * its own; under any other clock (`TestClock`, a custom `Clock`) the attempt is timed by `Effect.timeoutOrElse` on
 * that clock, so tests drive it with `TestClock.adjust`.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

// The default value of the `Clock` reference is the live clock; its class is not exported, its prototype tells it
// apart from a TestClock.
const liveClockPrototype: unknown = Object.getPrototypeOf(Clock.Clock.defaultValue())

// The longest delay `setTimeout` honours.
const maxTimerMillis = 2 ** 31 - 1

/**
 * Whether a timeout of `millis` on `clock` can be a plain `setTimeout`: the clock is the live one and the delay fits
 * a timer.
 *
 * @internal
 */
export const isPlainTimer = (clock: Clock.Clock, millis: number): boolean =>
  Object.getPrototypeOf(clock) === liveClockPrototype && millis <= maxTimerMillis

/**
 * Fails with `onTimeout()` when `self` has not ended within `duration`, interrupting it first.
 *
 * @internal
 */
export const timeoutFail = <A, E, R>(
  self: Effect.Effect<A, E, R>,
  duration: Duration.Duration,
  onTimeout: () => E
): Effect.Effect<A, E, R> => Effect.timeoutOrElse(self, { duration, orElse: () => Effect.fail(onTimeout()) })
