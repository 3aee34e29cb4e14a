/**
 * Reading an attempt's outcome: a 2xx answer decoded into the route's result, any other answer mapped to the route's
 * typed error by the wire contract, and a failed exchange to a `TransportError`. This is the one place where
 * effect/http's `HttpClientError` reasons become the SDK's errors. Texts from outside (bodies, transport errors) have
 * the call's secrets scrubbed before they become an error's detail.
 *
 * @internal
 */
import * as Retry from "@chatwoot-effect/contract/Retry"
import * as SafeDetail from "@chatwoot-effect/contract/SafeDetail"
import { TransportError, UnexpectedResponse } from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformWire from "@chatwoot-effect/core/PlatformWire"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as HttpClientError from "effect/http/HttpClientError"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as DecodeDetail from "./decodeDetail.js"
import type * as Exchange from "./exchange.js"
import * as LeanClient from "./leanClient.js"
import type * as RetryPolicy from "./retryPolicy.js"

/**
 * One call of a route, as its attempts and their failures see it.
 *
 * @internal
 */
export interface Call {
  readonly route: PlatformWire.AnyRoute
  /** The record the call is about (the path parameter), on a member route. */
  readonly id: number | undefined
  readonly method: string
  readonly url: string
  /** The secrets this call's texts must not show: the token, and any `Redacted` the payload holds. */
  readonly secrets: () => ReadonlyArray<string>
}

// Effect 4 compiles a schema's parser once and caches it; the decoder function is kept per schema too.
const decoders = new WeakMap<object, (input: unknown) => Result.Result<unknown, Schema.SchemaError>>()
const decoderOf = (route: PlatformWire.AnyRoute) => {
  const schema = route.response!
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    decoder = Schema.decodeUnknownResult(schema as Schema.Codec<unknown, unknown>, { errors: "all" })
    decoders.set(schema, decoder)
  }
  return decoder
}

/**
 * How a 2xx body becomes a route's result, synchronously. Its failure (an answer that does not decode) carries no
 * status, so it is never retried.
 *
 * @internal
 */
export const decode = (
  route: PlatformWire.AnyRoute,
  status: number,
  body: string
): Result.Result<unknown, UnexpectedResponse> => {
  const unexpected = (detail: string) =>
    Result.fail(new UnexpectedResponse({ operation: route.operation, reason: "Decode", status, detail }))
  if (route.response === undefined) {
    // `head :ok`: 200 with an empty body. Anything else is some other server.
    return body.trim() === ""
      ? Result.succeed(undefined)
      : unexpected(`expected an empty body, got ${body.length} characters: is the base URL right?`)
  }
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return unexpected(`the body is not JSON (${body.length} characters)`)
  }
  const decoded = decoderOf(route)(json)
  return Result.isSuccess(decoded)
    ? Result.succeed(decoded.success)
    : unexpected(DecodeDetail.schemaErrorDetail(decoded.failure))
}

/**
 * A whole answer: a 2xx is the attempt's result, anything else its typed error (with what the retry loop needs).
 *
 * @internal
 */
export const read = (call: Call, answer: Exchange.RawAnswer): Effect.Effect<unknown, RetryPolicy.Failure> => {
  const { body, retryAfter, status } = answer
  if (status >= 200 && status < 300) {
    const result = decode(call.route, status, body)
    return Result.isSuccess(result) ? Effect.succeed(result.success) : Effect.fail({ error: result.failure })
  }
  return Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Effect.fail<RetryPolicy.Failure>({
      error: PlatformWire.errorFromResponse({
        route: call.route,
        id: call.id,
        status,
        body: SafeDetail.scrub(body, call.secrets()),
        retryAfter,
        now
      }),
      status,
      retryAfterMillis: PlatformWire.parseRetryAfter(retryAfter, now)
    }))
}

const tooLarge = (call: Call, status: number, maxBytes: number): RetryPolicy.Failure => ({
  error: new UnexpectedResponse({
    operation: call.route.operation,
    reason: "Decode",
    status,
    detail: `the body is larger than ${maxBytes} bytes: reading stopped there`
  })
})

// The reasons of effect/http's one HttpClientError, as the SDK's errors.
const httpClientFailure = (call: Call, error: HttpClientError.HttpClientError): RetryPolicy.Failure => {
  const reason = error.reason
  if (reason._tag === "DecodeError" && reason.cause instanceof LeanClient.BodyTooLarge) {
    return tooLarge(call, reason.response.status, reason.cause.maxBytes)
  }
  const where = `${reason.request.method} ${SafeDetail.describeUrl(reason.request.url)}`
  const detail = SafeDetail.scrub(
    [`${where}: ${reason._tag}`, reason.description ?? "", SafeDetail.causeDetail(reason.cause)]
      .filter((part) => part !== "").join(": "),
    call.secrets()
  )
  switch (reason._tag) {
    case "InvalidUrlError":
    case "TransportError":
    case "EncodeError":
      return {
        error: new TransportError({
          operation: call.route.operation,
          reason: reason._tag === "InvalidUrlError" ? "InvalidUrl" : "Network",
          detail
        }),
        // An invalid URL or a body that does not encode heals on no retry: only a connection that sent nothing.
        sentNothing: reason._tag === "TransportError" && Retry.sentNothing(reason.cause)
      }
    // The answer's body broke off (a reset, a bad chunk): the exchange failed, as a network error.
    case "DecodeError":
    case "EmptyBodyError":
      return { error: new TransportError({ operation: call.route.operation, reason: "Network", detail }) }
    // Only a client changed to filter statuses fails on one: it is the status Chatwoot answered.
    case "StatusCodeError":
      return {
        error: new UnexpectedResponse({
          operation: call.route.operation,
          reason: "Status",
          status: reason.response.status,
          detail
        }),
        status: reason.response.status
      }
  }
}

/**
 * A failed exchange as the attempt's failure. No status: the same request would get the same answer, so a body too
 * large is not retried.
 *
 * @internal
 */
export const exchangeFailure = (
  call: Call,
  error: Exchange.ExchangeError,
  timeout: Duration.Duration | undefined
): RetryPolicy.Failure => {
  if (error._tag === "TooLarge") return tooLarge(call, error.status, error.maxBytes)
  if (error._tag === "TimedOut") {
    return {
      error: new TransportError({
        operation: call.route.operation,
        reason: "Timeout",
        detail: `${call.method} ${SafeDetail.describeUrl(call.url)}: no complete answer within ${
          timeout === undefined ? "the time limit" : Duration.format(timeout)
        }`
      })
    }
  }
  return httpClientFailure(call, error)
}
