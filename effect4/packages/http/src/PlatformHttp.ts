/**
 * The live Platform API: every service (`PlatformUsers`, `PlatformAccounts`, `PlatformAccountUsers`,
 * `PlatformAgentBots`) over effect/http's `HttpClient`, with one machinery for all of them.
 *
 * Every call checks its payload with Chatwoot's own rules before anything is sent, sends the platform token in the
 * `api-access-token` header (or `api_access_token`, see {@link Options}' `tokenHeader`; both names are added to
 * `Headers.CurrentRedactedNames` for our requests, so spans and logs show `<redacted>`), reads the answer with the
 * shared wire contract (`PlatformWire`'s route table) and fails with the operation's typed error. Each call runs in a
 * span `<Service>.<operation>` (`PlatformUsers.update`, `PlatformAccounts.create`...) with the record's id as an
 * attribute (`chatwoot.user_id`, `chatwoot.account_id`, `chatwoot.agent_bot_id`); no trace headers are sent to
 * Chatwoot.
 *
 * **Retries.** Network errors, per-attempt timeouts, 429 and 502/503/504 are retried (3 retries by default, so at
 * most 4 attempts), honouring `Retry-After` when the server sends one, otherwise with exponential backoff and jitter.
 * Validation errors, 401, 404, 422 and 500 are never retried. `accounts.create` and `agentBots.create` make a new
 * record for each accepted request, so they are retried only on a 429 or when the connection failed before anything
 * was sent.
 *
 * **Timeouts.** Over this package's lean client, the client times the exchange out itself. Over any other
 * `HttpClient`, an attempt that runs past the timeout is interrupted (which aborts its request) and fails with
 * `TransportError` "Timeout". Under a `TestClock` attempts are timed by it.
 *
 * **Limits.** Redirects are never followed (a 3xx is an `UnexpectedResponse` "Status"): following one would send the
 * token, and the password being set, to wherever the `Location` points. A body larger than {@link defaults}'
 * `maxResponseBytes` (4 MiB) is not read further: the call fails with `UnexpectedResponse` "Decode", without a retry.
 *
 * @since 1.0.0
 */
import * as ClientConfig from "@chatwoot-effect/contract/ClientConfig"
import * as Wire from "@chatwoot-effect/contract/Wire"
import * as PlatformServices from "@chatwoot-effect/core/PlatformServices"
import type { Caller } from "@chatwoot-effect/core/PlatformServices"
import * as PlatformWire from "@chatwoot-effect/core/PlatformWire"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import type * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as ChatwootHttpClient from "./ChatwootHttpClient.js"
import * as Answer from "./internal/answer.js"
import * as Exchange from "./internal/exchange.js"
import * as RequestBuilder from "./internal/requestBuilder.js"
import * as RetryPolicy from "./internal/retryPolicy.js"
import * as Tracing from "./internal/tracing.js"

/**
 * How failed attempts are retried. Every field is optional; see {@link defaults}.
 *
 * @since 1.0.0
 * @category Models
 */
export interface RetryOptions {
  /** Retries after the first attempt; `0` means a single attempt. Default `3`. */
  readonly retries?: number | undefined
  /** The first backoff delay; each retry doubles it, with ±20% jitter. Default 250 millis. */
  readonly base?: Duration.Input | undefined
  /** The longest backoff delay. Default 10 seconds. */
  readonly cap?: Duration.Input | undefined
  /**
   * The longest `Retry-After` honoured. A server asking for a longer wait gets no retry: the error (a `RateLimited`
   * carries `retryAfterMillis`) goes back to the caller at once. Default 60 seconds.
   */
  readonly maxRetryAfter?: Duration.Input | undefined
}

/**
 * @since 1.0.0
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
  readonly timeout?: Duration.Input | false | undefined
  /** Applied last to the HTTP client, e.g. to add a proxy or logging. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /**
   * The name of the header that carries the token. Default `api-access-token`, which Chatwoot reads as it reads
   * `api_access_token` and which survives proxies (nginx drops headers with underscores unless told otherwise).
   */
  readonly tokenHeader?: PlatformWire.TokenHeader | undefined
}

/**
 * The defaults of {@link Options}: 3 retries, backoff from 250 millis doubling up to 10 seconds (±20% jitter),
 * `Retry-After` honoured up to 60 seconds, 30 seconds per attempt; answers of at most 4 MiB.
 *
 * @since 1.0.0
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
} = { ...RetryPolicy.defaults, maxResponseBytes: Wire.maxResponseBytes }

/**
 * Removes surrounding whitespace and trailing slashes: `https://example.org/chatwoot/` gives
 * `https://example.org/chatwoot`.
 *
 * @since 1.0.0
 * @category Utils
 */
export const normalizeBaseUrl: (baseUrl: string) => string = Wire.normalizeBaseUrl

// Secrets shorter than this are not scrubbed from texts: replacing "t" everywhere would only garble them.
const minScrubLength = 4

/**
 * The machinery every service shares, over the `HttpClient` in context: a {@link Caller} that runs one route of
 * `PlatformWire`'s table. Its parts: the request (`internal/requestBuilder`), one exchange (`internal/exchange`, the
 * only place where the client in use matters), the retry policy (`internal/retryPolicy`), reading the answer and
 * mapping effect/http's errors (`internal/answer`), scrubbing secrets (`@chatwoot-effect/contract/SafeDetail`) and the span
 * (`internal/tracing`).
 *
 * @since 1.0.0
 * @category Constructors
 */
export const makeCaller = (options: Options): Effect.Effect<Caller, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const baseUrl = normalizeBaseUrl(options.baseUrl)
    const token = options.apiAccessToken
    const policy = RetryPolicy.makePolicy(options.retry)
    const timeout = options.timeout === false
      ? undefined
      : Duration.fromInputUnsafe(options.timeout ?? defaults.timeout)
    const given = yield* HttpClient.HttpClient
    const exchange = Exchange.make(options.transformClient === undefined ? given : options.transformClient(given), {
      timeout,
      maxResponseBytes: defaults.maxResponseBytes,
      transformed: options.transformClient !== undefined
    })
    const build = RequestBuilder.make({
      baseUrl,
      token,
      tokenHeader: options.tokenHeader ?? PlatformWire.tokenHeader
    })

    // Read only when a text from outside (a body, a transport error) is about to become an error detail.
    const secretsOf = (payload: unknown) => () =>
      [String(Redacted.value(token)), ...RequestBuilder.secretsOf(payload)].filter((secret) =>
        secret.length >= minScrubLength
      )

    const call: Caller = (route, params, payload) => {
      const id = PlatformWire.subjectOf(route, params)
      return Tracing.traced(route, id, (span, clock) => {
        // Client-side validation comes first: on failure nothing is sent.
        let body: unknown = undefined
        if (route.payload !== undefined) {
          const encoded = RequestBuilder.encode(route, payload)
          if (Result.isFailure(encoded)) return Effect.fail(encoded.failure)
          body = encoded.success
        }
        const request = build(route, params, body)
        const attemptOf: Answer.Call = {
          route,
          id,
          method: request.method,
          url: request.url,
          secrets: secretsOf(payload)
        }
        const attempt = Effect.matchEffect(exchange(request, span, clock), {
          onFailure: (error) => Effect.fail(Answer.exchangeFailure(attemptOf, error, timeout)),
          onSuccess: (answer) => Answer.read(attemptOf, answer)
        })
        const result = RetryPolicy.withRetries(policy, attempt, route.retry)
        // A create's span learns the new record's id.
        return span === undefined || route.param !== undefined
          ? result
          : Effect.tap(result, (created) =>
            Effect.sync(() => {
              const createdId = (created as { readonly id?: unknown } | undefined)?.id
              if (typeof createdId === "number") {
                span.attribute(PlatformWire.subjectAttribute(route.resource), createdId)
              }
            }))
      }) as Effect.Effect<any, any>
    }
    return call
  })

/**
 * Every service, over the `HttpClient` in context.
 *
 * @since 1.0.0
 * @category Constructors
 */
export const make = (
  options: Options
): Effect.Effect<Context.Context<PlatformServices.Services>, never, HttpClient.HttpClient> =>
  Effect.map(makeCaller(options), PlatformServices.context)

/**
 * Every service over the `HttpClient` in context: for a client of your own (a proxy agent, your own
 * instrumentation, a test transport). {@link layer} is faster, on this package's lean client.
 *
 * @since 1.0.0
 * @category Layers
 */
export const layerWithHttpClient = (
  options: Options
): Layer.Layer<PlatformServices.Services, never, HttpClient.HttpClient> => Layer.effectContext(make(options))

/**
 * Every service on this package's lean client (`ChatwootHttpClient.layerUndici`), the fastest way to Chatwoot:
 * nothing else to provide.
 *
 * @since 1.0.0
 * @category Layers
 */
export const layer = (options: Options): Layer.Layer<PlatformServices.Services> =>
  Layer.provide(layerWithHttpClient(options), ChatwootHttpClient.layerUndici)

const invalid = (name: string, message: string) =>
  Effect.fail(new Config.ConfigError(new ConfigProvider.SourceError({ message: `${name}: ${message}` })))

/**
 * Reads a retry count: an integer `n >= 0` (`0` turns retries off, as do `off`, `false`, `none`). Missing: the
 * defaults.
 *
 * @since 1.0.0
 * @category Config
 */
export const retryConfig = (name = "CHATWOOT_RETRIES"): Config.Config<RetryOptions | false | undefined> =>
  Config.option(Config.String(name)).pipe(
    Config.mapEffect((value): Effect.Effect<RetryOptions | false | undefined, Config.ConfigError> => {
      if (Option.isNone(value)) return Effect.succeed(undefined)
      const parsed = ClientConfig.parseRetries(value.value)
      return parsed._tag === "Valid" ? Effect.succeed(parsed.value) : invalid(name, parsed.message)
    })
  )

/**
 * Reads a per-attempt timeout: a duration such as `30 seconds` or `500 millis`, or `off` / `false` / `0` for none.
 * Missing: the default (30 seconds).
 *
 * @since 1.0.0
 * @category Config
 */
export const timeoutConfig = (name = "CHATWOOT_TIMEOUT"): Config.Config<Duration.Input | false | undefined> =>
  Config.option(Config.String(name)).pipe(
    Config.mapEffect((value): Effect.Effect<Duration.Input | false | undefined, Config.ConfigError> => {
      if (Option.isNone(value)) return Effect.succeed(undefined)
      const text = ClientConfig.timeoutText(value.value)
      if (text === false) return Effect.succeed(false as const)
      const duration = /^\d+(\.\d+)?\s+[a-z]+$/.test(text)
        ? Duration.fromInput(text.replace(/\s+/, " ") as Duration.Input)
        : Option.none()
      return Option.isSome(duration)
        ? Effect.succeed(duration.value)
        : invalid(name, ClientConfig.invalidTimeoutMessage)
    })
  )

/**
 * Reads the name of the token header (see {@link Options}' `tokenHeader`): `api-access-token` or `api_access_token`,
 * in any case. Chatwoot reads no other name, so any other value is an error. Missing: the default.
 *
 * @since 1.0.0
 * @category Config
 */
export const tokenHeaderConfig = (
  name = "CHATWOOT_TOKEN_HEADER"
): Config.Config<PlatformWire.TokenHeader | undefined> =>
  Config.option(Config.String(name)).pipe(
    Config.mapEffect((value): Effect.Effect<PlatformWire.TokenHeader | undefined, Config.ConfigError> => {
      if (Option.isNone(value)) return Effect.succeed(undefined)
      const parsed = ClientConfig.parseTokenHeader(value.value)
      return parsed._tag === "Valid" ? Effect.succeed(parsed.value) : invalid(name, parsed.message)
    })
  )

/**
 * The configuration {@link layerConfig} and {@link layerConfigWithHttpClient} read (here and in `PlatformUsersHttp`).
 *
 * @since 1.0.0
 * @category Config
 */
export interface ConfigOptions {
  readonly baseUrl?: Config.Config<string> | undefined
  readonly apiAccessToken?: Config.Config<Redacted.Redacted> | undefined
  readonly retry?: Config.Config<RetryOptions | false | undefined> | undefined
  readonly timeout?: Config.Config<Duration.Input | false | undefined> | undefined
  readonly tokenHeader?: Config.Config<PlatformWire.TokenHeader | undefined> | undefined
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

/**
 * Reads the options from configuration: unless given other `Config`s, `CHATWOOT_URL` (the base URL),
 * `CHATWOOT_PLATFORM_TOKEN` (the platform app's token, as a redacted value), and the optional `CHATWOOT_RETRIES`
 * ({@link retryConfig}), `CHATWOOT_TIMEOUT` ({@link timeoutConfig}) and `CHATWOOT_TOKEN_HEADER`
 * ({@link tokenHeaderConfig}).
 *
 * @since 1.0.0
 * @category Config
 */
export const optionsConfig = (options: ConfigOptions = {}): Config.Config<Options> =>
  Config.map(
    Config.all({
      baseUrl: options.baseUrl ?? Config.String("CHATWOOT_URL"),
      apiAccessToken: options.apiAccessToken ?? Config.Redacted("CHATWOOT_PLATFORM_TOKEN"),
      retry: options.retry ?? retryConfig(),
      timeout: options.timeout ?? timeoutConfig(),
      tokenHeader: options.tokenHeader ?? tokenHeaderConfig()
    }),
    (configs): Options => ({ ...configs, transformClient: options.transformClient })
  )

/**
 * {@link layerWithHttpClient} from configuration ({@link optionsConfig}).
 *
 * @since 1.0.0
 * @category Layers
 */
export const layerConfigWithHttpClient = (
  options: ConfigOptions = {}
): Layer.Layer<PlatformServices.Services, Config.ConfigError, HttpClient.HttpClient> =>
  Layer.effectContext(Effect.flatMap(optionsConfig(options), make))

/**
 * {@link layer} from configuration ({@link optionsConfig}), on this package's lean client.
 *
 * @since 1.0.0
 * @category Layers
 */
export const layerConfig = (
  options: ConfigOptions = {}
): Layer.Layer<PlatformServices.Services, Config.ConfigError> =>
  Layer.provide(layerConfigWithHttpClient(options), ChatwootHttpClient.layerUndici)
