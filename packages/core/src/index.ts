/**
 * The Platform Users service, its models, payloads, rules, errors and wire contract.
 *
 * @since 0.1.0
 */
export * as PlatformUsers from "./PlatformUsers.js"

/**
 * Chatwoot's Platform API in memory (users, accounts, account users, agent bots): the server semantics, a
 * seedable handle and a layer.
 *
 * @since 0.1.0
 */
export * as PlatformUsersMemory from "./PlatformUsersMemory.js"

/**
 * The typed errors of the Platform Users API.
 *
 * @since 0.1.0
 */
export * as PlatformUsersError from "./PlatformUsersError.js"

/**
 * The wire contract shared by the live client and the emulator.
 *
 * @since 0.1.0
 */
export * as PlatformUsersWire from "./PlatformUsersWire.js"

/**
 * The user as Chatwoot's Platform API sends it.
 *
 * @since 0.1.0
 */
export * as User from "./User.js"

/**
 * The request payloads of create and update, and their client-side validation.
 *
 * @since 0.1.0
 */
export * as UserPayload from "./UserPayload.js"

/**
 * Chatwoot's own validation rules for users.
 *
 * @since 0.1.0
 */
export * as UserRules from "./UserRules.js"
