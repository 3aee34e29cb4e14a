/**
 * A lean `HttpClient` on undici for Chatwoot's small JSON answers.
 *
 * @since 0.1.0
 */
export * as ChatwootHttpClient from "./ChatwootHttpClient.js"

/**
 * The live `PlatformUsers` layer over `@effect/platform`'s `HttpClient`.
 *
 * @since 0.1.0
 */
export * as PlatformUsersHttp from "./PlatformUsersHttp.js"

/**
 * An emulator of Chatwoot's Platform API users endpoints: HTTP server, handler and in-process client.
 *
 * @since 0.1.0
 */
export * as PlatformUsersEmulator from "./PlatformUsersEmulator.js"
