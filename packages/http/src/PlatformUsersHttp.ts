/**
 * The live `PlatformUsers` layer alone: Chatwoot's Platform API users resource over `@effect/platform`'s
 * `HttpClient`. It is `PlatformHttp`'s machinery (the same validation, token header, retries, timeouts, limits,
 * redaction and spans; see that module) with only the users service provided. `PlatformHttp.layer` gives every
 * service at once.
 *
 * @since 0.1.0
 */
import * as PlatformServices from "@chatwoot-effect/core/PlatformServices"
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as ChatwootHttpClient from "./ChatwootHttpClient.js"
import * as PlatformHttp from "./PlatformHttp.js"

export {
  /**
   * @since 0.1.0
   * @category Constants
   */
  defaults,
  /**
   * @since 0.1.0
   * @category Utils
   */
  normalizeBaseUrl,
  /**
   * @since 0.1.0
   * @category Config
   */
  retryConfig,
  /**
   * @since 0.1.0
   * @category Config
   */
  timeoutConfig,
  /**
   * @since 0.1.0
   * @category Config
   */
  tokenHeaderConfig
} from "./PlatformHttp.js"

export type {
  /**
   * @since 0.1.0
   * @category Config
   */
  ConfigOptions,
  /**
   * @since 0.1.0
   * @category Models
   */
  Options,
  /**
   * @since 0.1.0
   * @category Models
   */
  RetryOptions
} from "./PlatformHttp.js"

/**
 * Builds the service over the `HttpClient` in context.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (
  options: PlatformHttp.Options
): Effect.Effect<PlatformUsers.Service, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.map(PlatformHttp.makeCaller(options), PlatformServices.users)

/**
 * The service over the `HttpClient` in context: the advanced case, for a client of your own (a proxy agent, your own
 * instrumentation, a test transport). Over any `HttpClient` the layer adds little to what the client costs on its own
 * (see `bench/README.md`); {@link layer} is faster, on this package's lean client.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerWithHttpClient = (
  options: PlatformHttp.Options
): Layer.Layer<PlatformUsers.PlatformUsers, never, HttpClient.HttpClient> =>
  Layer.scoped(PlatformUsers.PlatformUsers, make(options))

/**
 * The service on this package's lean client (`ChatwootHttpClient.layerUndici`, undici's dispatcher driven directly),
 * the fastest way to Chatwoot: nothing else to provide. For another `HttpClient`, see {@link layerWithHttpClient}.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layer = (options: PlatformHttp.Options): Layer.Layer<PlatformUsers.PlatformUsers> =>
  Layer.provide(layerWithHttpClient(options), ChatwootHttpClient.layerUndici)

/**
 * {@link layerWithHttpClient} from configuration (`PlatformHttp.optionsConfig`: `CHATWOOT_URL`,
 * `CHATWOOT_PLATFORM_TOKEN`, and the optional `CHATWOOT_RETRIES`, `CHATWOOT_TIMEOUT`, `CHATWOOT_TOKEN_HEADER`).
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerConfigWithHttpClient = (
  options: PlatformHttp.ConfigOptions = {}
): Layer.Layer<PlatformUsers.PlatformUsers, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.scoped(PlatformUsers.PlatformUsers, Effect.flatMap(PlatformHttp.optionsConfig(options), make))

/**
 * The layer from configuration, on this package's lean client (as {@link layer}). It reads what
 * {@link layerConfigWithHttpClient} reads.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerConfig = (
  options: PlatformHttp.ConfigOptions = {}
): Layer.Layer<PlatformUsers.PlatformUsers, ConfigError.ConfigError> =>
  Layer.provide(layerConfigWithHttpClient(options), ChatwootHttpClient.layerUndici)
