/**
 * The retry policy of the live client: which failures are worth another attempt and how long to wait before it.
 *
 * @internal
 */
import * as Retry from "@chatwoot-effect/contract/Retry"
import type { PlatformUsersError } from "@chatwoot-effect/core/PlatformUsersError"
import type * as PlatformWire from "@chatwoot-effect/core/PlatformWire"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"

/** @internal */
export type Policy = Retry.Policy

/** @internal */
export const defaults = {
  retries: Retry.defaults.retries,
  base: Duration.millis(Retry.defaults.baseMillis),
  cap: Duration.millis(Retry.defaults.capMillis),
  maxRetryAfter: Duration.millis(Retry.defaults.maxRetryAfterMillis),
  timeout: Duration.millis(Retry.defaults.timeoutMillis)
} as const

const toMillis = (input: Duration.DurationInput | undefined): number | undefined =>
  input === undefined ? undefined : Duration.toMillis(Duration.decode(input))

/** @internal */
export const makePolicy = (
  options:
    | {
      readonly retries?: number | undefined
      readonly base?: Duration.DurationInput | undefined
      readonly cap?: Duration.DurationInput | undefined
      readonly maxRetryAfter?: Duration.DurationInput | undefined
    }
    | false
    | undefined
): Policy =>
  Retry.makePolicy(
    options === false || options === undefined ? options : {
      retries: options.retries,
      baseMillis: toMillis(options.base),
      capMillis: toMillis(options.cap),
      maxRetryAfterMillis: toMillis(options.maxRetryAfter)
    }
  )

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
 * {@link Retry.backoffMillis} with a jitter factor drawn from the fiber's `Random`.
 *
 * @internal
 */
export const backoffMillis = (policy: Policy, retry: number): Effect.Effect<number> =>
  Effect.map(
    Random.nextRange(Retry.jitter.min, Retry.jitter.max),
    (factor) => Retry.backoffMillis(policy, retry, factor)
  )

/**
 * Runs `attempt` until it succeeds, fails with something not worth retrying, or the retries are used up; then fails
 * with the typed error of the last attempt (without recording the current span on it: the caller does). A
 * `Retry-After` longer than the policy allows is not waited for: the error (a `RateLimited` carries the delay) goes
 * back to the caller at once.
 *
 * @internal
 */
export const withRetries = <A>(
  policy: Policy,
  attempt: Effect.Effect<A, Failure>,
  safety: PlatformWire.AnyRoute["retry"] = "safe"
): Effect.Effect<A, PlatformUsersError> => {
  const loop = (retry: number): Effect.Effect<A, PlatformUsersError> =>
    Effect.catchAll(attempt, (failure) => {
      if (retry >= policy.retries || !Retry.isRetryable(failure, safety)) {
        return Effect.failCause(Cause.fail(failure.error))
      }
      if (failure.retryAfterMillis !== undefined) {
        if (failure.retryAfterMillis > policy.maxRetryAfterMillis) return Effect.failCause(Cause.fail(failure.error))
        return Effect.zipRight(
          Effect.sleep(Duration.millis(failure.retryAfterMillis)),
          Effect.suspend(() => loop(retry + 1))
        )
      }
      return backoffMillis(policy, retry).pipe(
        Effect.flatMap((millis) => Effect.sleep(Duration.millis(millis))),
        Effect.zipRight(Effect.suspend(() => loop(retry + 1)))
      )
    })
  return loop(0)
}
