/**
 * Reading an attempt's outcome: a 2xx answer decoded into the route's result, any other answer mapped to the route's
 * typed error by the wire contract, and a failed exchange to a `TransportError`. Texts from outside (bodies,
 * transport errors) have the call's secrets scrubbed before they become an error's detail.
 *
 * @internal
 */
import * as Retry from "@chatwoot-effect/contract/Retry"
import * as SafeDetail from "@chatwoot-effect/contract/SafeDetail"
import { TransportError, UnexpectedResponse } from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformWire from "@chatwoot-effect/core/PlatformWire"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as CompiledSchema from "./compiledSchema.js"
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

/**
 * Fails without recording the current span on the error, as `Effect.fail` does: the operation's span records it.
 *
 * @internal
 */
export const failPlain = <E>(error: E): Effect.Effect<never, E> => Effect.failCause(Cause.fail(error))

/**
 * How a 2xx body becomes a route's result, synchronously. Its failure (an answer that does not decode) carries no
 * status, so it is never retried.
 *
 * @internal
 */
export type Decode = (
  route: PlatformWire.AnyRoute,
  status: number,
  body: string
) => Either.Either<unknown, UnexpectedResponse>

// Compiled once per schema, and synchronous: an answer that decodes takes the compiled path, the others get
// Schema's own errors.
const decoders = new WeakMap<object, (input: unknown) => Either.Either<unknown, ParseResult.ParseError>>()
const decoderOf = (route: PlatformWire.AnyRoute) => {
  const schema = route.response!
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    decoder = CompiledSchema.decodeUnknownEither(schema, { errors: "all" })
    decoders.set(schema, decoder)
  }
  return decoder
}

/**
 * Compiles the decoders of these routes now, so that no call pays for it.
 *
 * @internal
 */
export const precompile = (routes: ReadonlyArray<PlatformWire.AnyRoute>): void => {
  for (const route of routes) if (route.response !== undefined) decoderOf(route)
}

/** @internal */
export const decode: Decode = (route, status, body) => {
  const unexpected = (detail: string) =>
    Either.left(new UnexpectedResponse({ operation: route.operation, reason: "Decode", status, detail }))
  if (route.response === undefined) {
    // `head :ok`: 200 with an empty body. Anything else is some other server.
    return body.trim() === ""
      ? Either.right(undefined)
      : unexpected(`expected an empty body, got ${body.length} characters: is the base URL right?`)
  }
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return unexpected(`the body is not JSON (${body.length} characters)`)
  }
  const decoded = decoderOf(route)(json)
  return Either.isRight(decoded) ? Either.right(decoded.right) : unexpected(DecodeDetail.parseErrorDetail(decoded.left))
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
    return Either.isRight(result) ? Effect.succeed(result.right) : failPlain({ error: result.left })
  }
  return Effect.flatMap(Clock.currentTimeMillis, (now) =>
    failPlain<RetryPolicy.Failure>({
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

const transportFailure = (call: Call, error: HttpClientError.HttpClientError): RetryPolicy.Failure => {
  const where = `${error.request.method} ${SafeDetail.describeUrl(error.request.url)}`
  const cause = SafeDetail.causeDetail(error.cause)
  const description = error.description === undefined ? "" : error.description
  const detail = SafeDetail.scrub(
    [`${where}: ${error.reason}`, description, cause].filter((part) => part !== "").join(": "),
    call.secrets()
  )
  return {
    error: new TransportError({
      operation: call.route.operation,
      reason: error._tag === "RequestError" && error.reason === "InvalidUrl" ? "InvalidUrl" : "Network",
      detail
    }),
    sentNothing: error._tag === "RequestError" && Retry.sentNothing(error.cause)
  }
}

const tooLarge = (call: Call, status: number, maxBytes: number): RetryPolicy.Failure => ({
  error: new UnexpectedResponse({
    operation: call.route.operation,
    reason: "Decode",
    status,
    detail: `the body is larger than ${maxBytes} bytes: reading stopped there`
  })
})

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
  if (error._tag === "ResponseError" && error.cause instanceof LeanClient.BodyTooLarge) {
    return tooLarge(call, error.response.status, error.cause.maxBytes)
  }
  return transportFailure(call, error)
}
