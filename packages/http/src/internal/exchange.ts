/**
 * One exchange with Chatwoot: a request sent, its whole answer read as text, within the attempt's time limit. This is
 * the one place where the client in use matters, so every other part of a call (request, retries, decoding, errors,
 * spans) is the same code for every `HttpClient`.
 *
 * - Over any `HttpClient`: the request runs with our settings on the caller's fiber (`requestSettings`), in a Scope of
 *   its own whose closing aborts the request's signal; a live-clock timeout is one timer that closes it.
 * - Over this package's lean client (the seam kept for speed): it already holds the whole body when it answers, times
 *   the exchange out with its own timer, and reads none of the fiber's HTTP settings, so none are set.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
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

const leanExchange = (
  execute: LeanClient.LeanClient[typeof LeanClient.executeWithin],
  timeout: Duration.Duration | undefined
): Exchange => {
  const exchange = (request: HttpClientRequest.HttpClientRequest, millis: number | undefined) =>
    Effect.flatMap(execute(request, millis), (response): Effect.Effect<RawAnswer, ExchangeError> => {
      const body = response[LeanClient.bodyText]()
      return Either.isLeft(body)
        ? Effect.fail(body.left)
        : Effect.succeed({
          status: response.status,
          body: body.right,
          retryAfter: response[LeanClient.rawHeader]("retry-after")
        })
    })
  if (timeout === undefined) return (request) => exchange(request, undefined)
  const millis = Duration.toMillis(timeout)
  return (request, _span, clock) =>
    Timeout.isPlainTimer(clock, millis)
      ? exchange(request, millis)
      : Timeout.timeoutFail(exchange(request, undefined), timeout, () => timedOut)
}

const httpClientExchange = (
  client: HttpClient.HttpClient,
  timeout: Duration.Duration | undefined,
  maxResponseBytes: number
): Exchange => {
  // `withScope`: each request's AbortSignal is aborted when the Scope in its context closes.
  const scoped = HttpClient.withScope(client)
  const read = (request: HttpClientRequest.HttpClientRequest, isTimedOut: () => boolean) =>
    scoped.execute(request).pipe(
      Effect.flatMap((response) =>
        Effect.map(
          ResponseBody.text(response, maxResponseBytes),
          (body): RawAnswer => ({ status: response.status, body, retryAfter: response.headers["retry-after"] })
        )
      ),
      Effect.mapError((error): ExchangeError => isTimedOut() ? timedOut : error)
    )
  const never = () => false
  return (request, span, clock) =>
    Effect.flatMap(Scope.make(), (scope) => {
      const settled = (exit: Exit.Exit<unknown, unknown>) =>
        Exit.isInterrupted(exit) ? Scope.close(scope, exit) : Effect.void
      if (timeout === undefined) return RequestSettings.withRequestSettings(span, scope, read(request, never), settled)
      const millis = Duration.toMillis(timeout)
      // Under a TestClock (or any other clock) the attempt is timed by that clock, in a fiber of its own.
      if (!Timeout.isPlainTimer(clock, millis)) {
        return Timeout.timeoutFail(
          RequestSettings.withRequestSettings(span, scope, read(request, never), settled),
          timeout,
          () => timedOut
        )
      }
      // On the live clock, one timer that aborts the request (closing its Scope aborts its signal): the HTTP client
      // then fails the attempt, which becomes the timeout, with no fiber of its own.
      let expired = false
      const timer = setTimeout(() => {
        expired = true
        Effect.runFork(Scope.close(scope, Exit.void))
      }, millis)
      return RequestSettings.withRequestSettings(span, scope, read(request, () => expired), (exit) => {
        clearTimeout(timer)
        return settled(exit)
      })
    })
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
