/**
 * The Chatwoot Platform API contract in plain TypeScript, shared by both editions of chatwoot-effect.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as AccountsEngine from "./AccountsEngine.js"

/**
 * @since 0.1.0
 */
export * as AgentBotsEngine from "./AgentBotsEngine.js"

/**
 * @since 0.1.0
 */
export * as Engine from "./Engine.js"

/**
 * @since 0.1.0
 */
export * as Operations from "./Operations.js"

/**
 * @since 0.1.0
 */
export * as PlatformEngine from "./PlatformEngine.js"

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
export * as Snapshots from "./Snapshots.js"

/**
 * @since 0.1.0
 */
export * as UserRules from "./UserRules.js"

/**
 * @since 0.1.0
 */
export * as Wire from "./Wire.js"

/**
 * @since 0.1.0
 */
export * as ErrorMapping from "./ErrorMapping.js"

/**
 * @since 0.1.0
 */
export * as Routes from "./Routes.js"

/**
 * @since 0.1.0
 */
export * as Memory from "./Memory.js"

/**
 * @since 0.1.0
 */
export * as Provisioning from "./Provisioning.js"

/**
 * @since 0.1.0
 */
export * as PayloadChecks from "./PayloadChecks.js"

/**
 * @since 0.1.0
 */
export * as SeedChecks from "./SeedChecks.js"

/**
 * @since 0.1.0
 */
export * as SeedState from "./SeedState.js"

/**
 * @since 0.1.0
 */
export * as Json from "./Json.js"

/**
 * @since 0.1.0
 */
export * as SafeDetail from "./SafeDetail.js"

/**
 * @since 0.1.0
 */
export * as Retry from "./Retry.js"

/**
 * @since 0.1.0
 */
export * as ClientConfig from "./ClientConfig.js"
