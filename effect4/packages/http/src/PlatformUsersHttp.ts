/**
 * The live `PlatformUsers` layer alone: Chatwoot's Platform API users resource over effect/http's
 * `HttpClient`. It is `PlatformHttp`'s machinery (the same validation, token header, retries, timeouts, limits,
 * redaction and spans; see that module) with only the users service provided. `PlatformHttp.layer` gives every
 * service at once.
 *
 * @since 1.0.0
 */
import * as PlatformServices from "@chatwoot-effect/core/PlatformServices"
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import type * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as ChatwootHttpClient from "./ChatwootHttpClient.js"
import * as PlatformHttp from "./PlatformHttp.js"

export {
  /**
   * @since 1.0.0
   * @category Constants
   */
  defaults,
  /**
   * @since 1.0.0
   * @category Utils
   */
  normalizeBaseUrl,
  /**
   * @since 1.0.0
   * @category Config
   */
  retryConfig,
  /**
   * @since 1.0.0
   * @category Config
   */
  timeoutConfig,
  /**
   * @since 1.0.0
   * @category Config
   */
  tokenHeaderConfig
} from "./PlatformHttp.js"

export type {
  /**
   * @since 1.0.0
   * @category Config
   */
  ConfigOptions,
  /**
   * @since 1.0.0
   * @category Models
   */
  Options,
  /**
   * @since 1.0.0
   * @category Models
   */
  RetryOptions
} from "./PlatformHttp.js"

/**
 * Builds the service over the `HttpClient` in context.
 *
 * @since 1.0.0
 * @category Constructors
 */
export const make = (
  options: PlatformHttp.Options
): Effect.Effect<PlatformUsers.Service, never, HttpClient.HttpClient> =>
  Effect.map(PlatformHttp.makeCaller(options), PlatformServices.users)

/**
 * The service over the `HttpClient` in context: the advanced case, for a client of your own (a proxy agent, your own
 * instrumentation, a test transport). {@link layer} is faster, on this package's lean client.
 *
 * @since 1.0.0
 * @category Layers
 */
export const layerWithHttpClient = (
  options: PlatformHttp.Options
): Layer.Layer<PlatformUsers.PlatformUsers, never, HttpClient.HttpClient> =>
  Layer.effect(PlatformUsers.PlatformUsers, make(options))

/**
 * The service on this package's lean client (`ChatwootHttpClient.layerUndici`, undici's dispatcher driven directly),
 * the fastest way to Chatwoot: nothing else to provide. For another `HttpClient`, see {@link layerWithHttpClient}.
 *
 * @since 1.0.0
 * @category Layers
 */
export const layer = (options: PlatformHttp.Options): Layer.Layer<PlatformUsers.PlatformUsers> =>
  Layer.provide(layerWithHttpClient(options), ChatwootHttpClient.layerUndici)

/**
 * {@link layerWithHttpClient} from configuration (`PlatformHttp.optionsConfig`: `CHATWOOT_URL`,
 * `CHATWOOT_PLATFORM_TOKEN`, and the optional `CHATWOOT_RETRIES`, `CHATWOOT_TIMEOUT`, `CHATWOOT_TOKEN_HEADER`).
 *
 * @since 1.0.0
 * @category Layers
 */
export const layerConfigWithHttpClient = (
  options: PlatformHttp.ConfigOptions = {}
): Layer.Layer<PlatformUsers.PlatformUsers, Config.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(PlatformUsers.PlatformUsers, Effect.flatMap(PlatformHttp.optionsConfig(options), make))

/**
 * The layer from configuration, on this package's lean client (as {@link layer}). It reads what
 * {@link layerConfigWithHttpClient} reads.
 *
 * @since 1.0.0
 * @category Layers
 */
export const layerConfig = (
  options: PlatformHttp.ConfigOptions = {}
): Layer.Layer<PlatformUsers.PlatformUsers, Config.ConfigError> =>
  Layer.provide(layerConfigWithHttpClient(options), ChatwootHttpClient.layerUndici)
