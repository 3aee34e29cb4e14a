/**
 * The retry policy of the live client: which failures are worth another attempt and how long to wait before it.
 *
 * @internal
 */
import * as Wire from "@chatwoot-effect/contract/Wire"
import type { PlatformUsersError } from "@chatwoot-effect/core/PlatformUsersError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"

/**
 * Whether a route may be repeated: `unsafe` for a create that makes a new record each time.
 *
 * @internal
 */
export type Safety = "safe" | "unsafe"

/** @internal */
export interface Policy {
  /** Retries after the first attempt (0 = a single attempt). */
  readonly retries: number
  readonly baseMillis: number
  readonly capMillis: number
  readonly maxRetryAfterMillis: number
}

/** @internal */
export const defaults = {
  retries: 3,
  base: Duration.millis(250),
  cap: Duration.seconds(10),
  maxRetryAfter: Duration.seconds(60),
  timeout: Duration.seconds(30)
} as const

/** @internal */
export const makePolicy = (
  options:
    | {
      readonly retries?: number | undefined
      readonly base?: Duration.Input | undefined
      readonly cap?: Duration.Input | undefined
      readonly maxRetryAfter?: Duration.Input | undefined
    }
    | false
    | undefined
): Policy => {
  if (options === false) return { retries: 0, baseMillis: 0, capMillis: 0, maxRetryAfterMillis: 0 }
  const retries = options?.retries
  const toMillis = (input: Duration.Input | undefined, fallback: Duration.Duration) => {
    const millis = Duration.toMillis(input === undefined ? fallback : input)
    return Number.isFinite(millis) && millis >= 0 ? millis : Duration.toMillis(fallback)
  }
  return {
    retries: retries === undefined || !Number.isFinite(retries) ? defaults.retries : Math.max(0, Math.floor(retries)),
    baseMillis: toMillis(options?.base, defaults.base),
    capMillis: toMillis(options?.cap, defaults.cap),
    maxRetryAfterMillis: toMillis(options?.maxRetryAfter, defaults.maxRetryAfter)
  }
}

/**
 * A failed attempt: the typed error, plus what the retry loop needs to know about it.
 *
 * @internal
 */
export interface Failure {
  readonly error: PlatformUsersError
  /** The status of the answer, when there was one. */
  readonly status?: number | undefined
  /** The server's `Retry-After`, in milliseconds from now. */
  readonly retryAfterMillis?: number | undefined
  /** The connection failed before any byte of the request was sent (refused, unresolvable, unreachable). */
  readonly sentNothing?: boolean | undefined
}

/**
 * Network errors, timeouts, 429 and the gateway errors. Never a validation error, 401, 404, 422 or 500: those come
 * back the same way. An invalid URL does not heal either. On a route that is not safe to repeat (a create that makes
 * a new record each time), only what Chatwoot surely did not act on: a 429, or a connection that sent nothing.
 *
 * @internal
 */
export const isRetryable = (failure: Failure, safety: Safety = "safe"): boolean => {
  if (safety === "unsafe") return failure.status === 429 || failure.sentNothing === true
  if (failure.status !== undefined) return Wire.isRetryableStatus(failure.status)
  return failure.error._tag === "TransportError" && failure.error.reason !== "InvalidUrl"
}

/**
 * Exponential backoff (`base * 2^retry`) with ±20% jitter, capped at `capMillis`.
 *
 * @internal
 */
export const backoffMillis = (policy: Policy, retry: number): Effect.Effect<number> =>
  Effect.map(Random.nextBetween(0.8, 1.2), (jitter) => {
    const exponential = Math.min(policy.capMillis, policy.baseMillis * Math.pow(2, retry))
    return Math.min(policy.capMillis, Math.round(exponential * jitter))
  })

/**
 * Runs `attempt` until it succeeds, fails with something not worth retrying, or the retries are used up; then fails
 * with the typed error of the last attempt. A `Retry-After` longer than the policy allows is not waited for: the
 * error (a `RateLimited` carries the delay) goes back to the caller at once.
 *
 * @internal
 */
export const withRetries = <A>(
  policy: Policy,
  attempt: Effect.Effect<A, Failure>,
  safety: Safety = "safe"
): Effect.Effect<A, PlatformUsersError> => {
  const loop = (retry: number): Effect.Effect<A, PlatformUsersError> =>
    Effect.catch(attempt, (failure) => {
      if (retry >= policy.retries || !isRetryable(failure, safety)) return Effect.fail(failure.error)
      if (failure.retryAfterMillis !== undefined) {
        if (failure.retryAfterMillis > policy.maxRetryAfterMillis) return Effect.fail(failure.error)
        return Effect.andThen(
          Effect.sleep(Duration.millis(failure.retryAfterMillis)),
          Effect.suspend(() => loop(retry + 1))
        )
      }
      return backoffMillis(policy, retry).pipe(
        Effect.flatMap((millis) => Effect.sleep(Duration.millis(millis))),
        Effect.andThen(Effect.suspend(() => loop(retry + 1)))
      )
    })
  return loop(0)
}
