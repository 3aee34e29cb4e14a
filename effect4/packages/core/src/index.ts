/**
 * The account as Chatwoot's Platform API sends it.
 *
 * @since 1.0.0
 */
export * as Account from "./Account.js"

/**
 * The request payloads of account create and update, their client-side validation and read-merge-write.
 *
 * @since 1.0.0
 */
export * as AccountPayload from "./AccountPayload.js"

/**
 * An account membership as the account users routes send it.
 *
 * @since 1.0.0
 */
export * as AccountUser from "./AccountUser.js"

/**
 * The request payload of adding an account user, and the checks of add and remove.
 *
 * @since 1.0.0
 */
export * as AccountUserPayload from "./AccountUserPayload.js"

/**
 * The agent bot as Chatwoot's Platform API sends it, its access token redacted.
 *
 * @since 1.0.0
 */
export * as AgentBot from "./AgentBot.js"

/**
 * The request payloads of agent bot create and update, and their client-side validation.
 *
 * @since 1.0.0
 */
export * as AgentBotPayload from "./AgentBotPayload.js"

/**
 * The Platform Accounts service.
 *
 * @since 1.0.0
 */
export * as PlatformAccounts from "./PlatformAccounts.js"

/**
 * The Platform Account Users service.
 *
 * @since 1.0.0
 */
export * as PlatformAccountUsers from "./PlatformAccountUsers.js"

/**
 * The Platform Agent Bots service.
 *
 * @since 1.0.0
 */
export * as PlatformAgentBots from "./PlatformAgentBots.js"

/**
 * Chatwoot's rules and vocabularies for accounts, account users and agent bots.
 *
 * @since 1.0.0
 */
export * as PlatformRules from "./PlatformRules.js"

/**
 * The Platform Users service, its models, payloads, rules, errors and wire contract.
 *
 * @since 1.0.0
 */
export * as PlatformUsers from "./PlatformUsers.js"

/**
 * The typed errors of the Platform Users API.
 *
 * @since 1.0.0
 */
export * as PlatformUsersError from "./PlatformUsersError.js"

/**
 * The wire contract shared by the live client and the emulator.
 *
 * @since 1.0.0
 */
export * as PlatformUsersWire from "./PlatformUsersWire.js"

/**
 * The user as Chatwoot's Platform API sends it.
 *
 * @since 1.0.0
 */
export * as User from "./User.js"

/**
 * The request payloads of create and update, and their client-side validation.
 *
 * @since 1.0.0
 */
export * as UserPayload from "./UserPayload.js"

/**
 * Chatwoot's own validation rules for users.
 *
 * @since 1.0.0
 */
export * as UserRules from "./UserRules.js"

/**
 * The Platform API services built from one function that calls a route of the wire table.
 *
 * @since 1.0.0
 */
export * as PlatformServices from "./PlatformServices.js"

/**
 * The wire contract of the whole Platform API: one declarative route table, the exact error bodies, the status-to-error
 * mapping.
 *
 * @since 1.0.0
 */
export * as PlatformWire from "./PlatformWire.js"

/**
 * The Provisioning service: a person joins an account with a role, safely and repeatably, over the Platform
 * services (provision, deprovision, and their dry runs from reads only).
 *
 * @since 1.0.0
 */
export * as Provisioning from "./Provisioning.js"

/**
 * The typed error of the Provisioning service, the outcomes of its steps and the partial result of a failure.
 *
 * @since 1.0.0
 */
export * as ProvisioningError from "./ProvisioningError.js"

/**
 * Chatwoot's Platform API in memory (users, accounts, account users, agent bots): the server semantics, a
 * seedable handle and a layer.
 *
 * @since 1.0.0
 */
export * as PlatformUsersMemory from "./PlatformUsersMemory.js"

/**
 * Every Platform API service in memory, over one seedable in-memory server.
 *
 * @since 1.0.0
 */
export * as PlatformMemory from "./PlatformMemory.js"
