/**
 * The live `PlatformUsers` layer: Chatwoot's Platform API users resource over `@effect/platform`'s `HttpClient`.
 *
 * Every call checks its payload with Chatwoot's own rules before anything is sent, sends the platform token in the
 * `api-access-token` header (or `api_access_token`, see {@link Options}' `tokenHeader`; both names are registered as
 * redacted header names, so spans and logs show `<redacted>`), reads the answer with the shared wire contract
 * (`PlatformUsersWire`) and fails with the operation's typed error. Each call runs in a span
 * `PlatformUsers.<operation>` with the user id as `chatwoot.user_id`; no trace headers are sent to Chatwoot.
 *
 * **Retries.** Network errors, per-attempt timeouts, 429 and 502/503/504 are retried (3 retries by default, so at
 * most 4 attempts), honouring `Retry-After` when the server sends one, otherwise with exponential backoff and jitter.
 * Validation errors, 401, 404, 422 and 500 are never retried. Every operation is safe to repeat, even when a first
 * attempt reached Chatwoot but its answer was lost:
 * - `create` is find-or-create by email: a repeat finds the user the first attempt created and returns it unchanged.
 * - `update` sets absolute values (name, email, password), and the `custom_attributes` merge is idempotent: merging
 *   the same keys twice gives the same hash. (A repeated password change rotates `pubsub_token` once more, which is
 *   what a password change does anyway.)
 * - `delete` is idempotent: the user is gone either way (a repeat may see 404 once the deletion job has run).
 * - `get` and `token` are read-only; `loginUrl` mints a new single-use link each time, and older links simply expire
 *   after 5 minutes, so a repeat is harmless.
 *
 * **Timeouts.** Over this package's lean client, the client times the exchange out itself. Over any other `HttpClient`,
 * an attempt that runs past the timeout has its request's `AbortSignal` aborted (the signal `HttpClient.withScope`
 * controls, which every `@effect/platform` client honours), and fails with `TransportError` "Timeout"; an
 * `HttpClient` of your own must honour its signal to be timed out. Under a `TestClock` attempts are timed by it.
 *
 * **Limits.** Redirects are never followed (a 3xx is an `UnexpectedResponse` "Status"): following one would send the
 * token, and the password being set, to wherever the `Location` points. The fetch client's own redirect following is
 * turned off for our requests; a `transformClient` that adds `HttpClient.followRedirects` turns that protection off.
 * A body larger than {@link defaults}' `maxResponseBytes` (4 MiB; Chatwoot's answers are a few KB) is not read
 * further: the call fails with `UnexpectedResponse` "Decode", without a retry.
 *
 * @since 0.1.0
 */
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import type {
  CreateError,
  MemberError,
  PlatformUsersError,
  UpdateError,
  UserOperation
} from "@chatwoot-effect/core/PlatformUsersError"
import {
  TransportError,
  UnexpectedResponse,
  Validation,
  ValidationIssue
} from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformUsersWire from "@chatwoot-effect/core/PlatformUsersWire"
import type { User, UserId } from "@chatwoot-effect/core/User"
import * as UserPayload from "@chatwoot-effect/core/UserPayload"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Arr from "effect/Array"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as FiberRefs from "effect/FiberRefs"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Record from "effect/Record"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import * as Tracer from "effect/Tracer"
import * as ChatwootHttpClient from "./ChatwootHttpClient.js"
import * as CompiledSchema from "./internal/compiledSchema.js"
import * as LeanClient from "./internal/leanClient.js"
import * as ResponseBody from "./internal/responseBody.js"
import * as RetryPolicy from "./internal/retryPolicy.js"
import * as SafeDetail from "./internal/safeDetail.js"
import * as Timeout from "./internal/timeout.js"

/**
 * How failed attempts are retried. Every field is optional; see {@link defaults}.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RetryOptions {
  /** Retries after the first attempt; `0` means a single attempt. Default `3`. */
  readonly retries?: number | undefined
  /** The first backoff delay; each retry doubles it, with ±20% jitter. Default 250 millis. */
  readonly base?: Duration.DurationInput | undefined
  /** The longest backoff delay. Default 10 seconds. */
  readonly cap?: Duration.DurationInput | undefined
  /**
   * The longest `Retry-After` honoured. A server asking for a longer wait gets no retry: the error (a `RateLimited`
   * carries `retryAfterMillis`) goes back to the caller at once. Default 60 seconds.
   */
  readonly maxRetryAfter?: Duration.DurationInput | undefined
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface Options {
  /**
   * Where Chatwoot is installed, e.g. `https://app.chatwoot.com` or `https://example.org/chatwoot` for a sub-path
   * install. Trailing slashes are ignored; `/platform/api/v1` is appended.
   */
  readonly baseUrl: string
  /** The platform app's access token (Super Admin > Platform Apps). */
  readonly apiAccessToken: Redacted.Redacted
  /** Retry policy, or `false` for a single attempt. Default: see {@link defaults}. */
  readonly retry?: RetryOptions | false | undefined
  /** Timeout of each attempt (sending and reading the whole answer), or `false` for none. Default 30 seconds. */
  readonly timeout?: Duration.DurationInput | false | undefined
  /** Applied last to the HTTP client, e.g. to add a proxy or logging. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /**
   * The name of the header that carries the token. Default `api-access-token`, which Chatwoot reads as it reads
   * `api_access_token` and which survives proxies: nginx drops headers whose names contain underscores unless
   * `underscores_in_headers on` is set. `api_access_token` is for a setup in front of Chatwoot that passes only that
   * spelling.
   */
  readonly tokenHeader?: PlatformUsersWire.TokenHeader | undefined
}

/**
 * The defaults of {@link Options}: 3 retries, backoff from 250 millis doubling up to 10 seconds (±20% jitter),
 * `Retry-After` honoured up to 60 seconds, 30 seconds per attempt; answers of at most 4 MiB.
 *
 * @since 0.1.0
 * @category Constants
 */
export const defaults: {
  readonly retries: number
  readonly base: Duration.Duration
  readonly cap: Duration.Duration
  readonly maxRetryAfter: Duration.Duration
  readonly timeout: Duration.Duration
  /** The largest response body read; a larger one fails the call with `UnexpectedResponse`. */
  readonly maxResponseBytes: number
} = { ...RetryPolicy.defaults, maxResponseBytes: 4 * 1024 * 1024 }

// fetch follows redirects itself, carrying every header but `authorization` (so our token) and the body to any host.
// The operation's span, when there is one, is the parent of the HTTP client's span.
// The Scope is the attempt's own: closing it aborts the request (see `HttpClient.withScope`).
const requestContext = (span: Tracer.Span | undefined, scope: Scope.Scope) =>
(
  context: Context.Context<never>
): Context.Context<never> => {
  const init = Context.getOption(context, FetchHttpClient.RequestInit)
  const withInit = Context.add(context, FetchHttpClient.RequestInit, {
    ...Option.getOrElse(init, () => ({})),
    redirect: "manual"
  }).pipe(Context.add(Scope.Scope, scope))
  return span === undefined ? withInit : Context.add(withInit, Tracer.ParentSpan, span)
}

// Both spellings, whichever one is sent: a proxy may echo either back in a response header.
const appendTokenHeader = (names: ReadonlyArray<string | RegExp>) =>
  Arr.appendAll(names, PlatformUsersWire.TokenHeader.literals.filter((name) => !names.includes(name)))

// Response headers are the server's text: a proxy echoing the request can put the token or the password in any of
// them (even `location`). The HTTP spans of our requests show these headers' values, and `<redacted>` for the rest.
const shownHeaders = [
  "accept",
  "user-agent",
  "content-type",
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "date",
  "retry-after",
  "server",
  "via",
  "vary",
  "etag",
  "cache-control",
  "x-request-id",
  "x-runtime",
  "ratelimit-[a-z-]+",
  "x-ratelimit-[a-z-]+"
]
const unshownHeader = new RegExp(`^(?!(?:${shownHeaders.join("|")})$)`)

// The names in place are nearly always the same array from one call to the next: the answer is kept for it.
let redactedFor: ReadonlyArray<string | RegExp> | undefined
let redactedNames: ReadonlyArray<string | RegExp> = []
const redactForOurRequests = (names: ReadonlyArray<string | RegExp>) => {
  if (names !== redactedFor) {
    redactedNames = Arr.append(appendTokenHeader(names), unshownHeader)
    redactedFor = names
  }
  return redactedNames
}

// What our requests run with, on the fiber that sends them (which need not be the one that built the layer): no trace
// headers sent to Chatwoot, the token and every unknown response header redacted in the HTTP client's span (no such
// span under Effect's default tracer), no redirects followed by fetch, the operation's span as the parent, and the
// attempt's Scope. Set on the caller's fiber
// for the attempt and put back after it: two `locally`s and a fork per attempt were most of what the layer cost over
// the HTTP client.
const withRequestSettings = <A, E>(
  span: Tracer.Span | undefined,
  scope: Scope.Scope,
  effect: Effect.Effect<A, E, Scope.Scope>,
  onExit: (exit: Exit.Exit<A, E>) => Effect.Effect<void>
): Effect.Effect<A, E> =>
  Effect.withFiberRuntime((fiber) => {
    const id = fiber.id()
    const propagation = fiber.getFiberRef(HttpClient.currentTracerPropagation)
    const names = fiber.getFiberRef(Headers.currentRedactedNames)
    const context = fiber.getFiberRef(FiberRef.currentContext)
    const disabledWhen = fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)
    // The Scope the effect needs is in the context set here.
    const run = effect as Effect.Effect<A, E>
    const settings = (values: Settings) =>
      FiberRefs.updateManyAs(fiber.getFiberRefs(), {
        entries: [
          [HttpClient.currentTracerPropagation, [[id, values[0]]]],
          [Headers.currentRedactedNames, [[id, values[1]]]],
          [FiberRef.currentContext, [[id, values[2]]]],
          [HttpClient.currentTracerDisabledWhen, [[id, values[3]]]]
        ]
      })
    // No span of the operation: Effect's default tracer is in place, whose spans go nowhere, so the HTTP client's span
    // (its attributes, the redaction of every header) would be work for nobody.
    const ours: Settings = [
      false,
      redactForOurRequests(names),
      requestContext(span, scope)(context),
      span === undefined ? always : disabledWhen
    ]
    const theirs: Settings = [propagation, names, context, disabledWhen]
    const setter = fiber as unknown as Partial<FiberRefsSetter>
    if (typeof setter.setFiberRefs !== "function") {
      // Not the FiberRuntime this was written against: the same settings through the public, slower API.
      const set = (values: Settings) =>
        Effect.all([
          FiberRef.set(HttpClient.currentTracerPropagation, values[0]),
          FiberRef.set(Headers.currentRedactedNames, values[1]),
          FiberRef.set(FiberRef.currentContext, values[2]),
          FiberRef.set(HttpClient.currentTracerDisabledWhen, values[3])
        ], { discard: true })
      return Effect.zipRight(set(ours), Effect.onExit(run, (exit) => Effect.zipRight(set(theirs), onExit(exit))))
    }
    // All four in one copy of the fiber's refs each way (each `FiberRef.set` copies them all), and put back on top of
    // whatever else changed meanwhile (an interruption is recorded in a fiber ref too).
    setter.setFiberRefs(settings(ours))
    return Effect.onExit(run, (exit) => {
      setter.setFiberRefs!(settings(theirs))
      return onExit(exit)
    })
  })

type Settings = readonly [
  propagation: boolean,
  redactedNames: ReadonlyArray<string | RegExp>,
  context: Context.Context<never>,
  tracerDisabledWhen: (request: HttpClientRequest.HttpClientRequest) => boolean
]

const always = () => true

// A FiberRuntime sets its refs in one step (Effect's `setFiberRefs` sets them one by one).
interface FiberRefsSetter {
  readonly setFiberRefs: (fiberRefs: FiberRefs.FiberRefs) => void
}

/**
 * Removes surrounding whitespace and trailing slashes: `https://example.org/chatwoot/` gives
 * `https://example.org/chatwoot`.
 *
 * @since 0.1.0
 * @category Utils
 */
export const normalizeBaseUrl = (baseUrl: string): string => baseUrl.trim().replace(/\/+$/, "")

// One call of an operation, as its attempts and their failures see it.
interface Call {
  readonly operation: UserOperation
  readonly userId: UserId | undefined
  readonly request: HttpClientRequest.HttpClientRequest
  readonly password: Redacted.Redacted | undefined
  /** The operation's span, when one is recorded. */
  readonly span: Tracer.Span | undefined
  /** Makes the result of a 2xx answer. */
  readonly decode: (status: number, body: string) => Either.Either<unknown, UnexpectedResponse>
}

// Compiled once, and synchronous: `Schema.decodeUnknown`/`Schema.encode` per call went through Effect each time. An
// answer that decodes (a payload that encodes) takes the compiled path; the others get Schema's own errors.
const decoders = {
  create: CompiledSchema.decodeUnknownEither(PlatformUsersWire.responseBodies.create, { errors: "all" }),
  get: CompiledSchema.decodeUnknownEither(PlatformUsersWire.responseBodies.get, { errors: "all" }),
  update: CompiledSchema.decodeUnknownEither(PlatformUsersWire.responseBodies.update, { errors: "all" }),
  loginUrl: CompiledSchema.decodeUnknownEither(PlatformUsersWire.responseBodies.loginUrl, { errors: "all" }),
  token: CompiledSchema.decodeUnknownEither(PlatformUsersWire.responseBodies.token, { errors: "all" })
}
const encoders = {
  create: CompiledSchema.encodeEither(PlatformUsersWire.requestBodies.create),
  update: CompiledSchema.encodeEither(PlatformUsersWire.requestBodies.update)
}

// Effect's own tracer, in place unless the program installs one: its spans are recorded nowhere.
const defaultTracer: Tracer.Tracer = Effect.runSync(Effect.tracer)

// The operation's span records the typed error, as `Effect.fail` inside it would have.
const failInSpan = <E>(span: Tracer.Span, error: E): Effect.Effect<never, E> =>
  Effect.withParentSpan(Effect.fail(error), span)

const spanNames: { readonly [operation in UserOperation]: string } = {
  create: "PlatformUsers.create",
  get: "PlatformUsers.get",
  update: "PlatformUsers.update",
  delete: "PlatformUsers.delete",
  loginUrl: "PlatformUsers.loginUrl",
  token: "PlatformUsers.token"
}

// Fails without recording the current span on the error, as `Effect.fail` does: see `traced`.
const failPlain = <E>(error: E): Effect.Effect<never, E> => Effect.failCause(Cause.fail(error))

const utf8 = new TextEncoder()

// Secrets shorter than this are not scrubbed from texts: replacing "t" everywhere would only garble them.
const minScrubLength = 4

/**
 * Builds the service over the `HttpClient` in context.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (
  options: Options
): Effect.Effect<PlatformUsers.Service, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    yield* Effect.locallyScopedWith(Headers.currentRedactedNames, appendTokenHeader)
    const baseUrl = normalizeBaseUrl(options.baseUrl)
    const token = options.apiAccessToken
    const tokenHeader = options.tokenHeader ?? PlatformUsersWire.tokenHeader
    const policy = RetryPolicy.makePolicy(options.retry)
    const timeout = options.timeout === false ? undefined : Duration.decode(options.timeout ?? defaults.timeout)
    const given = yield* HttpClient.HttpClient
    // This package's own client, as it is: it times the whole exchange out itself, with one timer, and reads neither
    // the redacted header names (it records no span) nor fetch's options, so none of the per-request settings below
    // are needed.
    const lean = options.transformClient === undefined && LeanClient.isLeanClient(given)
      ? given[LeanClient.executeWithin]
      : undefined
    // `withScope`: each request's AbortSignal is aborted when the Scope in context closes, which times attempts out.
    const client = HttpClient.withScope(options.transformClient === undefined ? given : options.transformClient(given))

    // Read only when a text from outside (a body, a transport error) is about to become an error detail.
    const secretsOf = (call: Call): ReadonlyArray<string> =>
      [Redacted.value(token), ...(call.password === undefined ? [] : [Redacted.value(call.password)])].filter((
        secret
      ) => secret.length >= minScrubLength)

    // Each operation's method and headers are set once; a call adds its URL and body (two copies of the request, where
    // building it step by step made five).
    const templates = Record.map(
      PlatformUsersWire.routes,
      (route): HttpClientRequest.HttpClientRequest =>
        HttpClientRequest.make(route.method)(baseUrl, {
          headers: { accept: "application/json", [tokenHeader]: Redacted.value(token) }
        })
    )
    const buildRequest = (operation: UserOperation, userId: UserId | undefined, body: unknown) => {
      // Non-member routes (create) ignore the id.
      const path = (PlatformUsersWire.routes[operation].path as (id: UserId | undefined) => string)(userId)
      const url = `${baseUrl}${PlatformUsersWire.apiPrefix}${path}`
      if (body === undefined) return HttpClientRequest.setUrl(templates[operation], url)
      // The body as `bodyUnsafeJson` makes it (bytes, typed JSON), which every HttpClient reads.
      return HttpClientRequest.modify(templates[operation], {
        url,
        body: HttpBody.uint8Array(utf8.encode(JSON.stringify(body)), "application/json")
      })
    }

    const transportFailure = (call: Call, error: HttpClientError.HttpClientError): RetryPolicy.Failure => {
      const where = `${error.request.method} ${SafeDetail.describeUrl(error.request.url)}`
      const cause = SafeDetail.causeDetail(error.cause)
      const description = error.description === undefined ? "" : error.description
      const detail = SafeDetail.scrub(
        [`${where}: ${error.reason}`, description, cause].filter((part) => part !== "").join(": "),
        secretsOf(call)
      )
      return {
        error: new TransportError({
          operation: call.operation,
          reason: error._tag === "RequestError" && error.reason === "InvalidUrl" ? "InvalidUrl" : "Network",
          detail
        })
      }
    }

    const tooLarge = (operation: UserOperation, status: number, maxBytes: number): RetryPolicy.Failure => ({
      error: new UnexpectedResponse({
        operation,
        reason: "Decode",
        status,
        detail: `the body is larger than ${maxBytes} bytes: reading stopped there`
      })
    })

    const timeoutFailure = (call: Call): RetryPolicy.Failure => ({
      error: new TransportError({
        operation: call.operation,
        reason: "Timeout",
        detail: `${call.request.method} ${SafeDetail.describeUrl(call.request.url)}: no complete answer within ${
          Duration.format(timeout!)
        }`
      })
    })

    const readFailure = (call: Call, error: unknown): RetryPolicy.Failure => {
      const failure = error as HttpClientError.HttpClientError | ResponseBody.TooLarge | LeanClient.TimedOut
      // No status in the failure: the same request would get the same answer, so it is not retried.
      if (failure._tag === "TooLarge") return tooLarge(call.operation, failure.status, failure.maxBytes)
      if (failure._tag === "TimedOut") return timeoutFailure(call)
      if (failure._tag === "ResponseError" && failure.cause instanceof LeanClient.BodyTooLarge) {
        return tooLarge(call.operation, failure.response.status, failure.cause.maxBytes)
      }
      return transportFailure(call, failure)
    }

    // A whole answer: a 2xx is the attempt's result, anything else its typed error.
    const answer = (
      call: Call,
      status: number,
      body: string,
      retryAfter: string | undefined
    ): Effect.Effect<unknown, RetryPolicy.Failure> => {
      if (status >= 200 && status < 300) {
        const result = call.decode(status, body)
        return Either.isRight(result) ? Effect.succeed(result.right) : failPlain({ error: result.left })
      }
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const error = PlatformUsersWire.errorFromResponse({
          operation: call.operation,
          userId: call.userId,
          status,
          body: SafeDetail.scrub(body, secretsOf(call)),
          retryAfter,
          now
        })
        return failPlain<RetryPolicy.Failure>({
          error,
          status,
          retryAfterMillis: PlatformUsersWire.parseRetryAfter(retryAfter, now)
        })
      })
    }

    // One attempt: send, read the whole body as text, map a non-2xx answer to its typed error.
    const attempt = (call: Call, clock: Clock.Clock): Effect.Effect<unknown, RetryPolicy.Failure> => {
      if (lean !== undefined) {
        // The lean client has the whole body by the time it answers: one step from the exchange to the answer.
        const exchange = (millis: number | undefined) =>
          Effect.matchEffect(lean(call.request, millis), {
            onFailure: (error) => failPlain(readFailure(call, error)),
            onSuccess: (response) => {
              const body = response[LeanClient.bodyText]()
              return Either.isLeft(body)
                ? failPlain(readFailure(call, body.left))
                : answer(call, response.status, body.right, response[LeanClient.rawHeader]("retry-after"))
            }
          })
        if (timeout === undefined) return exchange(undefined)
        return Timeout.isPlainTimer(clock, Duration.toMillis(timeout))
          ? exchange(Duration.toMillis(timeout))
          : Timeout.timeoutFail(exchange(undefined), timeout, () => timeoutFailure(call))
      }
      const read = (timedOut: () => boolean) =>
        client.execute(call.request).pipe(
          Effect.flatMap((response) =>
            Effect.map(
              ResponseBody.text(response, defaults.maxResponseBytes),
              (body) => ({ status: response.status, body, retryAfter: response.headers["retry-after"] })
            )
          ),
          Effect.mapError((error) => timedOut() ? timeoutFailure(call) : readFailure(call, error)),
          Effect.flatMap(({ body, retryAfter, status }) => answer(call, status, body, retryAfter))
        )
      return Effect.flatMap(Scope.make(), (scope) => {
        const settled = (exit: Exit.Exit<unknown, RetryPolicy.Failure>) =>
          Exit.isInterrupted(exit) ? Scope.close(scope, exit) : Effect.void
        if (timeout === undefined) return withRequestSettings(call.span, scope, read(() => false), settled)
        const millis = Duration.toMillis(timeout)
        // Under a TestClock (or any other clock) the attempt is timed by that clock, in a fiber of its own.
        if (!Timeout.isPlainTimer(clock, millis)) {
          return Timeout.timeoutFail(
            withRequestSettings(call.span, scope, read(() => false), settled),
            timeout,
            () => timeoutFailure(call)
          )
        }
        // On the live clock, one timer that aborts the request (closing its Scope aborts its signal): the HTTP
        // client then fails the attempt, which becomes the timeout, with no fiber of its own.
        let timedOut = false
        const timer = setTimeout(() => {
          timedOut = true
          Effect.runFork(Scope.close(scope, Exit.void))
        }, millis)
        return withRequestSettings(call.span, scope, read(() => timedOut), (exit) => {
          clearTimeout(timer)
          return settled(exit)
        })
      })
    }

    // `clock` is the fiber's (the live one, or a `TestClock`), read once per call by `traced`.
    const send = <A>(
      operation: UserOperation,
      userId: UserId | undefined,
      body: unknown,
      password: Redacted.Redacted | undefined,
      span: Tracer.Span | undefined,
      clock: Clock.Clock,
      decode: (status: number, body: string) => Either.Either<A, UnexpectedResponse>
    ): Effect.Effect<A, PlatformUsersError> => {
      // Called when the operation runs (inside `traced`), so the request is built then.
      const call: Call = { operation, userId, request: buildRequest(operation, userId, body), password, span, decode }
      return RetryPolicy.withRetries(policy, attempt(call, clock)) as Effect.Effect<A, PlatformUsersError>
    }

    // How a 2xx answer becomes the operation's result, synchronously: it runs inside the attempt, and its failure
    // (an answer that does not decode) carries no status, so it is never retried.
    const decode =
      <A>(operation: UserOperation, decoder: (input: unknown) => Either.Either<A, ParseResult.ParseError>) =>
      (status: number, body: string): Either.Either<A, UnexpectedResponse> => {
        const unexpected = (detail: string) =>
          Either.left(new UnexpectedResponse({ operation, reason: "Decode", status, detail }))
        let json: unknown
        try {
          json = JSON.parse(body)
        } catch {
          return unexpected(`the body is not JSON (${body.length} characters)`)
        }
        const decoded = decoder(json)
        return Either.isRight(decoded)
          ? decoded as Either.Either<A, never>
          : unexpected(SafeDetail.parseErrorDetail(decoded.left))
      }

    const expectEmpty =
      (operation: UserOperation) => (status: number, body: string): Either.Either<void, UnexpectedResponse> =>
        body.trim() === ""
          ? Either.void
          : Either.left(
            new UnexpectedResponse({
              operation,
              reason: "Decode",
              status,
              detail: `expected an empty body, got ${body.length} characters: is the base URL right?`
            })
          )

    const encode = <A, I>(
      operation: UserOperation,
      encoder: (payload: A) => Either.Either<I, ParseResult.ParseError>,
      payload: A
    ): Either.Either<I, Validation> => {
      const encoded = encoder(payload)
      if (Either.isRight(encoded)) return encoded as Either.Either<I, never>
      // Only paths: a message would quote the value, which may be the password.
      const issues = ParseResult.ArrayFormatter.formatErrorSync(encoded.left).map((issue) =>
        new ValidationIssue({
          field: issue.path.length > 0 ? String(issue.path[0]) : "payload",
          rule: "type",
          message: "does not match the payload schema"
        })
      )
      return Either.left(
        new Validation({
          operation,
          source: "client",
          attributes: Array.from(new Set(issues.map((issue) => issue.field))),
          issues
        })
      )
    }
    const decodeCreate = decode("create", decoders.create)
    const decodeUpdate = decode("update", decoders.update)
    const decodeGet = decode("get", decoders.get)
    const decodeLoginUrl = decode("loginUrl", decoders.loginUrl)
    const decodeToken = decode("token", decoders.token)
    const expectEmptyDelete = expectEmpty("delete")

    const spanOptions = (operation: UserOperation, userId: UserId | undefined): Tracer.SpanOptions => ({
      kind: "client",
      // The call site is always this file: capturing a stack per request bought nothing and cost an Error.
      captureStackTrace: false,
      attributes: {
        "chatwoot.operation": operation,
        ...(userId === undefined ? {} : { "chatwoot.user_id": userId })
      }
    })

    // Each call runs in a span `PlatformUsers.<operation>`. Over the platform's clients it is the parent of their
    // `http.client` span, as `Effect.withSpan` makes it. Over the lean client nothing inside starts a span or logs,
    // and making it the current span (a context change each way) cost about a quarter of the CPU of a call: it is
    // only recorded on the typed error, as `Effect.fail` would have (the failures inside use `failPlain`). And with
    // Effect's default tracer, whose spans go nowhere, a call that succeeds makes none: only a failure does, for its
    // error (what `Cause.pretty` shows). `body` gets the fiber's clock, which decides how attempts are timed out.
    const traced = <A, E>(
      operation: UserOperation,
      userId: UserId | undefined,
      body: (span: Tracer.Span | undefined, clock: Clock.Clock) => Effect.Effect<A, E>
    ): Effect.Effect<A, E> => {
      const name = spanNames[operation]
      // The tracer and the clock in one read of the fiber's default services.
      return Effect.withFiberRuntime((fiber) => {
        const services = fiber.getFiberRef(DefaultServices.currentServices)
        const clock = Context.get(services, Clock.Clock)
        if (Context.get(services, Tracer.Tracer) === defaultTracer) {
          return Effect.catchAll(
            body(undefined, clock),
            (error) => Effect.useSpan(name, spanOptions(operation, userId), (span) => failInSpan(span, error))
          )
        }
        return Effect.useSpan(
          name,
          spanOptions(operation, userId),
          (span) => Effect.catchAll(body(span, clock), (error) => failInSpan(span, error))
        )
      })
    }

    const member = <A>(
      operation: "get" | "delete" | "loginUrl" | "token",
      userId: UserId,
      decodeAnswer: (status: number, body: string) => Either.Either<A, UnexpectedResponse>
    ): Effect.Effect<A, MemberError> =>
      traced(operation, userId, (span, clock) =>
        Effect.catchAll(
          send(operation, userId, undefined, undefined, span, clock, decodeAnswer),
          (error) => failPlain(PlatformUsersWire.asMemberError(error))
        ))

    // Client-side validation comes first: on failure nothing is sent.
    const create = (payload: UserPayload.CreateUserPayload): Effect.Effect<User, CreateError> =>
      traced("create", undefined, (span, clock): Effect.Effect<User, CreateError> => {
        const validated = UserPayload.validateCreate(payload)
        if (Either.isLeft(validated)) return failPlain(validated.left)
        const valid = validated.right
        const body = encode("create", encoders.create, valid)
        if (Either.isLeft(body)) return failPlain(body.left)
        return send("create", undefined, body.right, valid.password, span, clock, decodeCreate).pipe(
          Effect.catchAll((error) => failPlain(PlatformUsersWire.asCreateError(error))),
          Effect.tap((user) => Effect.sync(() => span?.attribute("chatwoot.user_id", user.id)))
        )
      })

    const update = (userId: UserId, payload: UserPayload.UpdateUserPayload): Effect.Effect<User, UpdateError> =>
      traced("update", userId, (span, clock): Effect.Effect<User, UpdateError> => {
        const validated = UserPayload.validateUpdate(payload)
        if (Either.isLeft(validated)) return failPlain(validated.left)
        const valid = validated.right
        const body = encode("update", encoders.update, valid)
        if (Either.isLeft(body)) return failPlain(body.left)
        return send("update", userId, body.right, valid.password, span, clock, decodeUpdate)
      })

    return PlatformUsers.PlatformUsers.of({
      create,
      update,
      get: (userId) => member("get", userId, decodeGet),
      delete: (userId) => member("delete", userId, expectEmptyDelete),
      loginUrl: (userId) => member("loginUrl", userId, decodeLoginUrl),
      token: (userId) => member("token", userId, decodeToken)
    })
  })

/**
 * The service over the `HttpClient` in context: the advanced case, for a client of your own (a proxy agent, your own
 * instrumentation, a test transport). Over any `HttpClient` the layer adds little to what the client costs on its own
 * (see `bench/README.md`); {@link layer} is faster, on this package's lean client.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerWithHttpClient = (
  options: Options
): Layer.Layer<PlatformUsers.PlatformUsers, never, HttpClient.HttpClient> =>
  Layer.scoped(PlatformUsers.PlatformUsers, make(options))

/**
 * The service on this package's lean client (`ChatwootHttpClient.layerUndici`, undici's dispatcher driven directly),
 * the fastest way to Chatwoot: nothing else to provide. For another `HttpClient`, see {@link layerWithHttpClient}.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layer = (options: Options): Layer.Layer<PlatformUsers.PlatformUsers> =>
  Layer.provide(layerWithHttpClient(options), ChatwootHttpClient.layerUndici)

const disabledWords = ["off", "false", "no", "none", "disabled"]

/**
 * Reads a retry count: an integer `n >= 0` (`0` turns retries off, as do `off`, `false`, `none`). Missing: the
 * defaults.
 *
 * @since 0.1.0
 * @category Config
 */
export const retryConfig = (name = "CHATWOOT_RETRIES"): Config.Config<RetryOptions | false | undefined> =>
  Config.option(Config.string(name)).pipe(
    Config.mapOrFail((value): Either.Either<RetryOptions | false | undefined, ConfigError.ConfigError> => {
      if (Option.isNone(value)) return Either.right(undefined)
      const text = value.value.trim().toLowerCase()
      if (disabledWords.includes(text)) return Either.right(false as const)
      if (!/^\d+$/.test(text)) {
        return Either.left(ConfigError.InvalidData([name], `Expected a retry count (0, 1, 2...) or "off"`))
      }
      const retries = Number(text)
      return Either.right(retries === 0 ? false as const : { retries })
    })
  )

/**
 * Reads a per-attempt timeout: a duration such as `30 seconds` or `500 millis`, or `off` / `false` / `0` for none.
 * Missing: the default (30 seconds).
 *
 * @since 0.1.0
 * @category Config
 */
export const timeoutConfig = (name = "CHATWOOT_TIMEOUT"): Config.Config<Duration.DurationInput | false | undefined> =>
  Config.option(Config.string(name)).pipe(
    Config.mapOrFail((value): Either.Either<Duration.DurationInput | false | undefined, ConfigError.ConfigError> => {
      if (Option.isNone(value)) return Either.right(undefined)
      const text = value.value.trim().toLowerCase()
      if (disabledWords.includes(text) || text === "0") return Either.right(false as const)
      return Option.match(Duration.decodeUnknown(text), {
        onNone: () => Either.left(ConfigError.InvalidData([name], `Expected a duration such as "30 seconds" or "off"`)),
        onSome: (duration) => Either.right(duration)
      })
    })
  )

/**
 * Reads the name of the token header (see {@link Options}' `tokenHeader`): `api-access-token` or `api_access_token`,
 * in any case. Chatwoot reads no other name, so any other value is an error. Missing: the default
 * (`api-access-token`).
 *
 * @since 0.1.0
 * @category Config
 */
export const tokenHeaderConfig = (
  name = "CHATWOOT_TOKEN_HEADER"
): Config.Config<PlatformUsersWire.TokenHeader | undefined> =>
  Config.option(Config.string(name)).pipe(
    Config.mapOrFail((value): Either.Either<PlatformUsersWire.TokenHeader | undefined, ConfigError.ConfigError> => {
      if (Option.isNone(value)) return Either.right(undefined)
      const text = value.value.trim().toLowerCase()
      return Schema.is(PlatformUsersWire.TokenHeader)(text)
        ? Either.right(text)
        : Either.left(
          ConfigError.InvalidData(
            [name],
            "Expected api-access-token (the default) or api_access_token, the header names Chatwoot reads"
          )
        )
    })
  )

/**
 * The configuration {@link layerConfig} and {@link layerConfigWithHttpClient} read.
 *
 * @since 0.1.0
 * @category Config
 */
export interface ConfigOptions {
  readonly baseUrl?: Config.Config<string> | undefined
  readonly apiAccessToken?: Config.Config<Redacted.Redacted> | undefined
  readonly retry?: Config.Config<RetryOptions | false | undefined> | undefined
  readonly timeout?: Config.Config<Duration.DurationInput | false | undefined> | undefined
  readonly tokenHeader?: Config.Config<PlatformUsersWire.TokenHeader | undefined> | undefined
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

/**
 * {@link layerWithHttpClient} from configuration: the service over the `HttpClient` in context. Reads what
 * {@link layerConfig} reads.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerConfigWithHttpClient = (
  options: ConfigOptions = {}
): Layer.Layer<PlatformUsers.PlatformUsers, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Config.all({
    baseUrl: options.baseUrl ?? Config.string("CHATWOOT_URL"),
    apiAccessToken: options.apiAccessToken ?? Config.redacted("CHATWOOT_PLATFORM_TOKEN"),
    retry: options.retry ?? retryConfig(),
    timeout: options.timeout ?? timeoutConfig(),
    tokenHeader: options.tokenHeader ?? tokenHeaderConfig()
  }).pipe(
    Effect.flatMap((configs) => make({ ...configs, transformClient: options.transformClient })),
    Layer.scoped(PlatformUsers.PlatformUsers)
  )

/**
 * The layer from configuration, on this package's lean client (as {@link layer}). Unless given other `Config`s, it reads `CHATWOOT_URL` (the base URL),
 * `CHATWOOT_PLATFORM_TOKEN` (the platform app's token, as a redacted value), and the optional `CHATWOOT_RETRIES`
 * ({@link retryConfig}), `CHATWOOT_TIMEOUT` ({@link timeoutConfig}) and `CHATWOOT_TOKEN_HEADER`
 * ({@link tokenHeaderConfig}).
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerConfig = (
  options: ConfigOptions = {}
): Layer.Layer<PlatformUsers.PlatformUsers, ConfigError.ConfigError> =>
  Layer.provide(layerConfigWithHttpClient(options), ChatwootHttpClient.layerUndici)
