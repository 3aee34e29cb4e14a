/**
 * What `PlatformUsersHttp` knows of `ChatwootHttpClient`, apart from the client so that it can be used without loading
 * undici (the CLI loads undici at its first request only).
 *
 * @internal
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as Effect from "effect/Effect"

/** @internal */
export class BodyTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the body is larger than ${maxBytes} bytes: reading stopped there`)
    this.name = "BodyTooLarge"
  }
}

/**
 * The exchange (request, headers and the whole body) did not end within its time limit: the request was aborted.
 *
 * @internal
 */
export class TimedOut {
  readonly _tag = "TimedOut"
}

/**
 * The key of the lean client's own `execute`, which also takes a time limit for the whole exchange and enforces it
 * with one timer (instead of a forked fiber racing a timer).
 *
 * @internal
 */
export const executeWithin: unique symbol = Symbol.for("@chatwoot-effect/http/ChatwootHttpClient/executeWithin")

/** @internal */
export interface LeanClient {
  readonly [executeWithin]: (
    request: HttpClientRequest.HttpClientRequest,
    timeoutMillis: number | undefined
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError | TimedOut>
}

/** @internal */
export const isLeanClient = (client: unknown): client is LeanClient =>
  typeof client === "object" && client !== null && executeWithin in client
