/**
 * The live `PlatformUsers` layer over `@effect/platform`'s `HttpClient`.
 *
 * @since 0.1.0
 */
export * as PlatformUsersHttp from "./PlatformUsersHttp.js"
