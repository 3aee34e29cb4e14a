/**
 * The request gate shared by every worker of a bulk run: a token bucket (GCRA pacing) for `--rate`, and a shared
 * backoff when Chatwoot answers 429: all workers pause, the rate is halved, then it climbs back.
 *
 * @since 0.1.0
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"

/** @internal */
export interface ThrottleOptions {
  /** The rate ceiling in requests per second; `undefined` = as fast as `concurrency` allows until a 429. */
  readonly ratePerSecond: number | undefined
  /** The first shared pause after a 429 when Chatwoot sends no Retry-After (it never does). */
  readonly initialBackoffMillis: number
  /** The longest shared pause. */
  readonly maxBackoffMillis: number
  /** The rate never drops below this. */
  readonly minRatePerSecond: number
}

/** @internal */
export interface Throttle {
  /**
   * Waits for a send slot (after any shared pause, at the current rate) and returns the slowdown epoch the request is
   * sent in.
   */
  readonly acquire: Effect.Effect<number>
  /** Takes a send slot if one is free right now (no pause, the rate allows it): its epoch, else `undefined`. */
  readonly acquireNow: Effect.Effect<number | undefined>
  /** A request sent in `epoch` got a 429. Slows the whole run once per epoch. */
  readonly rateLimited: (epoch: number, retryAfterMillis: number | undefined) => Effect.Effect<void>
  /** A request went through: after enough of them the rate climbs back toward its ceiling. */
  readonly succeeded: Effect.Effect<void>
  /** The current state, for tests and the progress bar. */
  readonly snapshot: Effect.Effect<ThrottleState>
}

/** @internal */
export interface ThrottleState {
  /** Current rate (requests/second), `undefined` = unlimited. */
  readonly rate: number | undefined
  /** What the rate climbs back to: `--rate`, or the rate that drew the first 429. */
  readonly ceiling: number | undefined
  readonly nextSlotAt: number
  readonly pausedUntil: number
  readonly backoff: number
  readonly epoch: number
  readonly streak: number
  readonly sent: number
  readonly startedAt: number
  /** How many times the run was slowed down. */
  readonly slowdowns: number
}

// The state is one mutable object, changed only inside `Effect.sync`/`Effect.map` (JavaScript runs one at a time): a
// copy of it per request (the Ref it was) was a good share of the engine's allocations.
type MutableState = {
  -readonly [K in keyof ThrottleState]: ThrottleState[K]
}

/** @internal */
export const make = (options: ThrottleOptions): Effect.Effect<Throttle> =>
  Effect.gen(function*() {
    const startedAt = yield* Clock.currentTimeMillis
    const s: MutableState = {
      rate: options.ratePerSecond,
      ceiling: options.ratePerSecond,
      nextSlotAt: startedAt,
      pausedUntil: startedAt,
      backoff: options.initialBackoffMillis,
      epoch: 0,
      streak: 0,
      sent: 0,
      startedAt,
      slowdowns: 0
    }

    const reserve = (now: number): number => {
      const earliest = Math.max(now, s.pausedUntil)
      if (s.rate === undefined) return earliest - now
      const slot = Math.max(earliest, s.nextSlotAt)
      s.nextSlotAt = slot + 1000 / s.rate
      return slot - now
    }

    // Loops only when a pause began while this request waited for its slot: then it waits for the pause too.
    const acquire: Effect.Effect<number> = Effect.gen(function*() {
      while (true) {
        const now = yield* Clock.currentTimeMillis
        const wait = reserve(now)
        if (wait > 0) yield* Effect.sleep(wait)
        const after = yield* Clock.currentTimeMillis
        if (s.pausedUntil <= after) {
          s.sent++
          return s.epoch
        }
      }
    })

    const acquireNow: Effect.Effect<number | undefined> = Effect.map(Clock.currentTimeMillis, (now) => {
      if (s.pausedUntil > now) return undefined
      if (s.rate === undefined) {
        s.sent++
        return s.epoch
      }
      if (s.nextSlotAt > now) return undefined
      s.sent++
      s.nextSlotAt = now + 1000 / s.rate
      return s.epoch
    })

    const rateLimited = (epoch: number, retryAfterMillis: number | undefined) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        // Requests already in flight when the run slowed down do not slow it again.
        if (epoch < s.epoch) return
        const observed = s.sent / Math.max(1, (now - s.startedAt) / 1000)
        const current = s.rate ?? observed
        const pause = Math.max(0, retryAfterMillis ?? s.backoff)
        s.rate = Math.max(options.minRatePerSecond, current / 2)
        s.ceiling = s.ceiling ?? Math.max(options.minRatePerSecond, observed)
        s.pausedUntil = Math.max(s.pausedUntil, now + pause)
        s.nextSlotAt = Math.max(s.nextSlotAt, now + pause)
        s.backoff = Math.min(options.maxBackoffMillis, s.backoff * 2)
        s.epoch = s.epoch + 1
        s.streak = 0
        s.slowdowns = s.slowdowns + 1
      })

    // Additive increase: a tenth of the ceiling back after about a second's worth of successes.
    const succeeded = Effect.sync(() => {
      if (s.rate === undefined || s.ceiling === undefined || s.rate >= s.ceiling) {
        s.streak = 0
        s.backoff = options.initialBackoffMillis
        return
      }
      s.streak++
      if (s.streak < Math.max(5, Math.ceil(s.rate))) return
      s.streak = 0
      s.rate = Math.min(s.ceiling, s.rate + s.ceiling / 10)
    })

    return { acquire, acquireNow, rateLimited, succeeded, snapshot: Effect.sync((): ThrottleState => ({ ...s })) }
  })
