/**
 * One exchange with Chatwoot: a request sent, its whole answer read as text, within the attempt's time limit. This is
 * the one place where the client in use matters, so every other part of a call (request, retries, decoding, errors,
 * spans) is the same code for every `HttpClient`.
 *
 * - Over any `HttpClient`: the request runs with our settings (`requestSettings`) in a Scope of its own whose closing
 *   aborts the request's signal (`HttpClient.withScope`); the attempt is timed out by `Effect.timeoutOrElse` on the
 *   fiber's clock, which interrupts it (and so aborts the request).
 * - Over this package's lean client (the seam kept for speed): it already holds the whole body when it answers, times
 *   the exchange out with its own timer on the live clock, and reads none of the fiber's HTTP settings.
 *
 * @internal
 */
import type * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Result from "effect/Result"
import * as Scope from "effect/Scope"
import type * as Tracer from "effect/Tracer"
import * as LeanClient from "./leanClient.js"
import * as RequestSettings from "./requestSettings.js"
import * as ResponseBody from "./responseBody.js"
import * as Timeout from "./timeout.js"

/** @internal */
export interface RawAnswer {
  readonly status: number
  readonly body: string
  readonly retryAfter: string | undefined
}

/** @internal */
export type ExchangeError = HttpClientError.HttpClientError | ResponseBody.TooLarge | LeanClient.TimedOut

/** @internal */
export interface Exchange {
  (
    request: HttpClientRequest.HttpClientRequest,
    span: Tracer.Span | undefined,
    clock: Clock.Clock
  ): Effect.Effect<RawAnswer, ExchangeError>
}

const timedOut = new LeanClient.TimedOut()
const onTimeout = (): ExchangeError => timedOut

const leanExchange = (
  execute: LeanClient.LeanClient[typeof LeanClient.executeWithin],
  timeout: Duration.Duration | undefined
): Exchange => {
  const exchange = (request: HttpClientRequest.HttpClientRequest, millis: number | undefined) =>
    Effect.flatMap(execute(request, millis), (response): Effect.Effect<RawAnswer, ExchangeError> => {
      const body = response[LeanClient.bodyText]()
      return Result.isFailure(body)
        ? Effect.fail(body.failure)
        : Effect.succeed({
          status: response.status,
          body: body.success,
          retryAfter: response[LeanClient.rawHeader]("retry-after")
        })
    })
  if (timeout === undefined) return (request) => exchange(request, undefined)
  const millis = Duration.toMillis(timeout)
  return (request, _span, clock) =>
    Timeout.isPlainTimer(clock, millis)
      ? exchange(request, millis)
      : Timeout.timeoutFail(exchange(request, undefined), timeout, onTimeout)
}

const httpClientExchange = (
  client: HttpClient.HttpClient,
  timeout: Duration.Duration | undefined,
  maxResponseBytes: number
): Exchange => {
  // `withScope`: each request's AbortSignal is aborted when the Scope in its context closes.
  const scoped = HttpClient.withScope(client)
  const read = (request: HttpClientRequest.HttpClientRequest) =>
    Effect.flatMap(scoped.execute(request), (response) =>
      Effect.map(
        ResponseBody.text(response, maxResponseBytes),
        (body): RawAnswer => ({ status: response.status, body, retryAfter: response.headers["retry-after"] })
      ))
  // The whole body is read inside the attempt's Scope: closing it afterwards releases whatever is left.
  const attempt = (
    request: HttpClientRequest.HttpClientRequest,
    span: Tracer.Span | undefined
  ): Effect.Effect<RawAnswer, ExchangeError> =>
    Effect.acquireUseRelease(
      Scope.make(),
      (scope) => RequestSettings.withRequestSettings(span, scope, read(request)),
      (scope, exit) => Scope.close(scope, exit)
    )
  if (timeout === undefined) return (request, span) => attempt(request, span)
  return (request, span) => Timeout.timeoutFail(attempt(request, span), timeout, onTimeout)
}

/**
 * The exchange over `client`: the lean client's own when `client` is this package's lean client as it is, the
 * general one otherwise.
 *
 * @internal
 */
export const make = (
  client: HttpClient.HttpClient,
  options: {
    readonly timeout: Duration.Duration | undefined
    readonly maxResponseBytes: number
    /** A client changed by `transformClient` is not the lean client any more, whatever it wraps. */
    readonly transformed: boolean
  }
): Exchange =>
  !options.transformed && LeanClient.isLeanClient(client)
    ? leanExchange(client[LeanClient.executeWithin], options.timeout)
    : httpClientExchange(client, options.timeout, options.maxResponseBytes)
