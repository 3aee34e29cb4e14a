/**
 * The operations of the Platform API and the kinds of record they act on, as plain arrays and types: what errors name,
 * what spans are named after, what the route table is keyed by.
 *
 * @since 0.1.0
 */

/**
 * The operations of the users resource. They keep their first names (`create`, `update`...), without a prefix.
 *
 * @since 0.1.0
 * @category Constants
 */
export const userOperations = ["create", "get", "update", "delete", "loginUrl", "token"] as const

/**
 * @since 0.1.0
 * @category Models
 */
export type UserOperation = typeof userOperations[number]

/**
 * The operations of the accounts, account users and agent bots resources, named `<resource>.<operation>`.
 *
 * @since 0.1.0
 * @category Constants
 */
export const resourceOperations = [
  "accounts.list",
  "accounts.create",
  "accounts.get",
  "accounts.update",
  "accounts.delete",
  "accountUsers.list",
  "accountUsers.add",
  "accountUsers.remove",
  "agentBots.list",
  "agentBots.create",
  "agentBots.get",
  "agentBots.update",
  "agentBots.delete",
  "agentBots.deleteAvatar"
] as const

/**
 * @since 0.1.0
 * @category Models
 */
export type ResourceOperation = typeof resourceOperations[number]

/**
 * Every operation of the Platform API.
 *
 * @since 0.1.0
 * @category Constants
 */
export const operations = [...userOperations, ...resourceOperations] as const

/**
 * @since 0.1.0
 * @category Models
 */
export type Operation = UserOperation | ResourceOperation

/**
 * Whether an operation is one of the accounts, account users or agent bots resources' (`<resource>.<operation>`).
 *
 * @since 0.1.0
 * @category Guards
 */
export const isResourceOperation = (operation: Operation): operation is ResourceOperation => operation.includes(".")

/**
 * The kinds of record a member route acts on, as errors name them. Account users act on their **account**.
 *
 * @since 0.1.0
 * @category Constants
 */
export const resourceKinds = ["user", "account", "agent_bot"] as const

/**
 * @since 0.1.0
 * @category Models
 */
export type ResourceKind = typeof resourceKinds[number]

/**
 * How a message names each kind of record.
 *
 * @since 0.1.0
 * @category Constants
 */
export const resourceLabels: { readonly [K in ResourceKind]: string } = {
  user: "user",
  account: "account",
  agent_bot: "agent bot"
}

/**
 * What an app may manage, and how it comes to manage it, per kind of record (PLATFORM.md §1): the hint a
 * `NonPermissibleResource` error's message ends with.
 *
 * @since 0.1.0
 * @category Formatting
 */
export const permissionHints: { readonly [K in ResourceKind]: string } = {
  user: "An app may only manage users it created or claimed: create the user with this app (create with the same " +
    "email claims it).",
  account: "An app may only manage accounts it created: no endpoint grants an existing account to an app (a " +
    "console PlatformAppPermissible.create! does).",
  agent_bot: "An app may only manage agent bots it created: no endpoint grants an existing bot to an app."
}

/**
 * `user 5`, `account 7`, `agent bot 3`.
 *
 * @since 0.1.0
 * @category Formatting
 */
export const describeResource = (resource: ResourceKind, id: number): string => `${resourceLabels[resource]} ${id}`
