/**
 * A lean `HttpClient` on undici for Chatwoot's small JSON answers.
 *
 * @since 1.0.0
 */
export * as ChatwootHttpClient from "./ChatwootHttpClient.js"

/**
 * The live Platform API: every service over effect/http's `HttpClient`.
 *
 * @since 1.0.0
 */
export * as PlatformHttp from "./PlatformHttp.js"

/**
 * The live `PlatformUsers` layer over effect/http's `HttpClient`.
 *
 * @since 1.0.0
 */
export * as PlatformUsersHttp from "./PlatformUsersHttp.js"
