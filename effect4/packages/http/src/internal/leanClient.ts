/**
 * What `PlatformHttp` knows of `ChatwootHttpClient`, apart from the client so that it can be used without loading
 * undici (a CLI loads undici at its first request only).
 *
 * @internal
 */
import type * as Effect from "effect/Effect"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import type * as Result from "effect/Result"

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
 * with one timer.
 *
 * @internal
 */
export const executeWithin: unique symbol = Symbol.for("@chatwoot-effect/http/ChatwootHttpClient/executeWithin")

/**
 * The keys of a lean response's synchronous readers: it holds the whole body (or why there is none) by the time it
 * is handed over, so reading it needs no step through Effect.
 *
 * @internal
 */
export const bodyText: unique symbol = Symbol.for("@chatwoot-effect/http/ChatwootHttpClient/bodyText")

/** @internal */
export const rawHeader: unique symbol = Symbol.for("@chatwoot-effect/http/ChatwootHttpClient/rawHeader")

/** @internal */
export interface LeanResponse extends HttpClientResponse.HttpClientResponse {
  /** The body as UTF-8 text, or the error `text` fails with. */
  readonly [bodyText]: () => Result.Result<string, HttpClientError.HttpClientError>
  /** One header as received (lowercase name), without building `headers`. */
  readonly [rawHeader]: (name: string) => string | undefined
}

/** @internal */
export interface LeanClient {
  readonly [executeWithin]: (
    request: HttpClientRequest.HttpClientRequest,
    timeoutMillis: number | undefined
  ) => Effect.Effect<LeanResponse, HttpClientError.HttpClientError | TimedOut>
}

/** @internal */
export const isLeanClient = (client: unknown): client is LeanClient =>
  typeof client === "object" && client !== null && executeWithin in client
