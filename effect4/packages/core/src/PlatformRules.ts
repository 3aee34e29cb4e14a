/**
 * Re-exported from `@chatwoot-effect/contract`, where the rules are defined once for both editions (plain TypeScript).
 *
 * @since 1.0.0
 */
export * from "@chatwoot-effect/contract/PlatformRules"
