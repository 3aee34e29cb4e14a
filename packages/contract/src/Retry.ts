/**
 * The live clients' retry policy as numbers: the defaults, which failed attempts are worth another one, how long to
 * wait before it, and which connection failures surely sent nothing. Each edition runs it with its own Effect
 * (the sleeping, the random jitter, the typed errors).
 *
 * @since 0.1.0
 */
import type { Route } from "./Routes.js"
import { isRetryableStatus } from "./Wire.js"

/**
 * The client defaults: 3 retries, backoff from 250 millis doubling up to 10 seconds (±20% jitter), `Retry-After`
 * honoured up to 60 seconds, 30 seconds per attempt.
 *
 * @since 0.1.0
 * @category Constants
 */
export const defaults = {
  retries: 3,
  baseMillis: 250,
  capMillis: 10_000,
  maxRetryAfterMillis: 60_000,
  timeoutMillis: 30_000
} as const

/**
 * @since 0.1.0
 * @category Models
 */
export interface Policy {
  /** Retries after the first attempt (0 = a single attempt). */
  readonly retries: number
  readonly baseMillis: number
  readonly capMillis: number
  readonly maxRetryAfterMillis: number
}

/**
 * A policy from the caller's options (durations already in millis), or a single attempt for `false`. A missing or
 * non-finite count of retries is the default one; a missing, negative or non-finite delay is the default delay.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const makePolicy = (
  options:
    | {
      readonly retries?: number | undefined
      readonly baseMillis?: number | undefined
      readonly capMillis?: number | undefined
      readonly maxRetryAfterMillis?: number | undefined
    }
    | false
    | undefined
): Policy => {
  if (options === false) return { retries: 0, baseMillis: 0, capMillis: 0, maxRetryAfterMillis: 0 }
  const retries = options?.retries
  const millisOr = (millis: number | undefined, fallback: number) =>
    millis !== undefined && Number.isFinite(millis) && millis >= 0 ? millis : fallback
  return {
    retries: retries === undefined || !Number.isFinite(retries) ? defaults.retries : Math.max(0, Math.floor(retries)),
    baseMillis: millisOr(options?.baseMillis, defaults.baseMillis),
    capMillis: millisOr(options?.capMillis, defaults.capMillis),
    maxRetryAfterMillis: millisOr(options?.maxRetryAfterMillis, defaults.maxRetryAfterMillis)
  }
}

/**
 * What deciding on a retry needs to know of a failed attempt.
 *
 * @since 0.1.0
 * @category Models
 */
export interface AttemptFailure {
  /** The typed error's tag and, for a `TransportError`, its reason. */
  readonly error: { readonly _tag: string; readonly reason?: unknown }
  /** The status of the answer, when there was one. */
  readonly status?: number | undefined
  /** The connection failed before any byte of the request was sent (refused, unresolvable, unreachable). */
  readonly sentNothing?: boolean | undefined
}

/**
 * Network errors, timeouts, 429 and the gateway errors. Never a validation error, 401, 404, 422 or 500: those come
 * back the same way. An invalid URL does not heal either. On a route that is not safe to repeat (a create that makes
 * a new record each time), only what Chatwoot surely did not act on: a 429, or a connection that sent nothing.
 *
 * @since 0.1.0
 * @category Predicates
 */
export const isRetryable = (failure: AttemptFailure, safety: Route["retry"] = "safe"): boolean => {
  if (safety === "unsafe") return failure.status === 429 || failure.sentNothing === true
  if (failure.status !== undefined) return isRetryableStatus(failure.status)
  return failure.error._tag === "TransportError" && failure.error.reason !== "InvalidUrl"
}

/**
 * The bounds of the backoff's jitter factor (±20%), drawn uniformly by each edition's `Random`.
 *
 * @since 0.1.0
 * @category Constants
 */
export const jitter = { min: 0.8, max: 1.2 } as const

/**
 * Exponential backoff (`base * 2^retry`) times the drawn `jitterFactor`, capped at `capMillis`.
 *
 * @since 0.1.0
 * @category Backoff
 */
export const backoffMillis = (policy: Policy, retry: number, jitterFactor: number): number => {
  const exponential = Math.min(policy.capMillis, policy.baseMillis * Math.pow(2, retry))
  return Math.min(policy.capMillis, Math.round(exponential * jitterFactor))
}

// Codes of a connection that failed before any byte of the request went out: Chatwoot cannot have acted on it.
const notSentCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT"
])

/**
 * Whether a transport failure's cause (its chain of `cause`s, five deep) says that no byte of the request went out:
 * a refused, unresolvable or unreachable connection, or an `AggregateError` of every address tried (happy eyeballs)
 * where none took the connection.
 *
 * @since 0.1.0
 * @category Predicates
 */
export const sentNothing = (cause: unknown): boolean => {
  for (let current = cause, depth = 0; current !== null && typeof current === "object" && depth < 5; depth++) {
    const code = (current as { readonly code?: unknown }).code
    if (typeof code === "string" && notSentCodes.has(code)) return true
    const errors = (current as { readonly errors?: unknown }).errors
    // `AggregateError` of every address tried (happy eyeballs): nothing was sent if no address took the connection.
    if (Array.isArray(errors) && errors.length > 0 && errors.every(sentNothing)) return true
    current = (current as { readonly cause?: unknown }).cause
  }
  return false
}
