/**
 * The Chatwoot Platform API contract in plain TypeScript, shared by both editions of chatwoot-effect.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as PlatformRules from "./PlatformRules.js"
/**
 * @since 0.1.0
 */
export * as RailsParams from "./RailsParams.js"
/**
 * @since 0.1.0
 */
export * as RailsText from "./RailsText.js"
/**
 * @since 0.1.0
 */
export * as UserRules from "./UserRules.js"
