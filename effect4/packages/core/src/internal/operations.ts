// TODO(contract): move (contract Operations.ts). The operation names of the Platform API, plain data: the users
// resource keeps its first names, the others are `<resource>.<operation>`.
export const userOperations = ["create", "get", "update", "delete", "loginUrl", "token"] as const

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

export const resourceKinds = ["user", "account", "agent_bot"] as const

export type ResourceKind = typeof resourceKinds[number]

export const resourceLabels: { readonly [K in ResourceKind]: string } = {
  user: "user",
  account: "account",
  agent_bot: "agent bot"
}

// What an app may manage, and how it comes to manage it, per kind of record (PLATFORM.md §1).
export const permissionHints: { readonly [K in ResourceKind]: string } = {
  user: "An app may only manage users it created or claimed: create the user with this app (create with the same " +
    "email claims it).",
  account: "An app may only manage accounts it created: no endpoint grants an existing account to an app (a " +
    "console PlatformAppPermissible.create! does).",
  agent_bot: "An app may only manage agent bots it created: no endpoint grants an existing bot to an app."
}
