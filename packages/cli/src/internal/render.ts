import * as Account from "@chatwoot-effect/core/Account"
import * as AccountUser from "@chatwoot-effect/core/AccountUser"
import * as AgentBot from "@chatwoot-effect/core/AgentBot"
import * as User from "@chatwoot-effect/core/User"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/**
 * The user as Chatwoot's JSON (what `--json` prints): `User` keeps Chatwoot's keys, nulls and key order, so encoding
 * it gives back what the server sent (fields the schema does not know are not kept).
 *
 * @internal
 */
export const userJson = (user: User.User): string => JSON.stringify(Schema.encodeSync(User.User)(user))

const line = (label: string, value: unknown) => `${(label + ":").padEnd(19)} ${value}`

/** The user for people: one field a line. @internal */
export const userText = (user: User.User): string => {
  const lines = [
    line("id", user.id),
    line("name", user.name),
    line("display name", user.display_name ?? "(none)"),
    line("email", user.email)
  ]
  if (user.confirmed !== undefined) lines.push(line("confirmed", user.confirmed ? "yes" : "no"))
  if (user.custom_attributes !== undefined && Object.keys(user.custom_attributes).length > 0) {
    lines.push(line("custom attributes", JSON.stringify(user.custom_attributes)))
  }
  if (user.accounts.length > 0) {
    lines.push(line(
      "accounts",
      user.accounts.map((account) => `${account.name} (#${account.id}${account.role ? `, ${account.role}` : ""})`).join(
        ", "
      )
    ))
  }
  return lines.join("\n")
}

/** @internal */
export const ssoLinkJson = (link: User.SsoLink): string => JSON.stringify(Schema.encodeSync(User.SsoLink)(link))

/** The token response with the user's own token in clear: printing it is what the command is for. @internal */
export const userTokenJson = (token: User.UserToken): string =>
  JSON.stringify({ ...Schema.encodeSync(User.UserToken)(token), access_token: Redacted.value(token.access_token) })

/** @internal */
export const userTokenText = (token: User.UserToken): string =>
  [
    line("access token", Redacted.value(token.access_token)),
    line("user", `${token.user.id} ${token.user.name} <${token.user.email}>`)
  ].join("\n")

// =============================================================================
// Accounts, account users, agent bots
// =============================================================================

const none = "(none)"

const orNone = (value: string | null | undefined) =>
  value === null || value === undefined || value === "" ? none : value

const hash = (value: Readonly<Record<string, unknown>> | undefined) =>
  value === undefined || Object.keys(value).length === 0 ? none : JSON.stringify(value)

/** Pads every column but the last to its widest cell: one aligned line per row. */
const table = (rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths: Array<number> = []
  for (const row of rows) row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, cell.length))
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n")
}

const encodeAccount = Schema.encodeSync(Account.Account)
const encodeAccounts = Schema.encodeSync(Schema.Array(Account.Account))

/** The account as Chatwoot's JSON: the model keeps its keys, `null`s and key order. @internal */
export const accountJson = (account: Account.Account): string => JSON.stringify(encodeAccount(account))

/** @internal */
export const accountsJson = (accounts: ReadonlyArray<Account.Account>): string =>
  JSON.stringify(encodeAccounts(accounts))

const statusText = (status: string | null | undefined) =>
  status === null ? "(none: Chatwoot treats the account as suspended)" : orNone(status)

/** The account for people: one field a line; the enabled feature flags by name. @internal */
export const accountText = (account: Account.Account): string => {
  const lines = [line("id", account.id), line("name", account.name)]
  if (account.status !== undefined) lines.push(line("status", statusText(account.status)))
  if (account.locale !== undefined) lines.push(line("locale", orNone(account.locale)))
  if (account.domain !== undefined) lines.push(line("domain", orNone(account.domain)))
  if (account.support_email !== undefined) lines.push(line("support email", orNone(account.support_email)))
  if (account.features !== undefined) {
    const enabled = Object.entries(account.features).flatMap(([name, on]) => on ? [name] : [])
    lines.push(line("features", enabled.length === 0 ? none : `${enabled.length} on: ${enabled.join(", ")}`))
  }
  if (account.limits !== undefined) lines.push(line("limits", hash(account.limits)))
  if (account.custom_attributes !== undefined) lines.push(line("custom attributes", hash(account.custom_attributes)))
  return lines.join("\n")
}

/** One line per account (id, name, status, locale), or a line that says there are none. @internal */
export const accountsText = (accounts: ReadonlyArray<Account.Account>): string =>
  accounts.length === 0
    ? "No accounts: this platform app sees only the accounts it created."
    : table(accounts.map((account) => [
      String(account.id),
      account.name,
      account.status === undefined ? "" : orNone(account.status),
      account.locale === undefined ? "" : orNone(account.locale)
    ]))

const encodeAccountUser = Schema.encodeSync(AccountUser.AccountUser)
const encodeAccountUsers = Schema.encodeSync(Schema.Array(AccountUser.AccountUser))

/** @internal */
export const accountUserJson = (member: AccountUser.AccountUser): string => JSON.stringify(encodeAccountUser(member))

/** @internal */
export const accountUsersJson = (members: ReadonlyArray<AccountUser.AccountUser>): string =>
  JSON.stringify(encodeAccountUsers(members))

const roleText = (role: string | null | undefined) => role === null ? "(none: acts as agent)" : orNone(role)

/** A membership for people. @internal */
export const accountUserText = (member: AccountUser.AccountUser): string => {
  const lines = [line("account", member.account_id), line("user", member.user_id), line("role", roleText(member.role))]
  if (member.availability !== undefined) lines.push(line("availability", member.availability))
  if (member.active_at !== undefined) lines.push(line("active at", member.active_at ?? "(never)"))
  if (member.created_at !== undefined) lines.push(line("member since", member.created_at))
  return lines.join("\n")
}

/** One line per member (user id, role, availability), or a line that says the account has none. @internal */
export const accountUsersText = (
  accountId: number,
  members: ReadonlyArray<AccountUser.AccountUser>
): string =>
  members.length === 0
    ? `No members in account ${accountId}.`
    : table(members.map((member) => [
      `user ${member.user_id}`,
      member.role === null ? "(no role: agent)" : member.role ?? "",
      member.availability ?? ""
    ]))

const encodeAgentBot = Schema.encodeSync(AgentBot.AgentBot)
const encodeAgentBots = Schema.encodeSync(Schema.Array(AgentBot.AgentBot))

/**
 * The bot as Chatwoot's JSON, its `access_token` in clear (the schema encodes the `Redacted` back): `--json` prints
 * the body as Chatwoot sent it.
 *
 * @internal
 */
export const agentBotJson = (bot: AgentBot.AgentBot): string => JSON.stringify(encodeAgentBot(bot))

/** @internal */
export const agentBotsJson = (bots: ReadonlyArray<AgentBot.AgentBot>): string => JSON.stringify(encodeAgentBots(bots))

const botAccount = (accountId: number | null | undefined) =>
  accountId === null || accountId === undefined ? "(none: a system bot, seen by every account)" : String(accountId)

/**
 * The bot for people. Its access token (the bot's own Application-API key) only with `showToken`.
 *
 * @internal
 */
export const agentBotText = (bot: AgentBot.AgentBot, showToken: boolean): string => {
  const lines = [line("id", bot.id), line("name", orNone(bot.name)), line("description", orNone(bot.description))]
  if (bot.outgoing_url !== undefined) {
    // F1 (PLATFORM.md §5.1): Chatwoot 4.9.1 renders the name in place of the URL.
    const f1 = bot.outgoing_url !== null && bot.outgoing_url !== "" && bot.outgoing_url === bot.name
      ? " (the bot's name: Chatwoot 4.9.1 sends the name here, not the stored URL)"
      : ""
    lines.push(line("outgoing url", orNone(bot.outgoing_url) + f1))
  }
  lines.push(line("account", botAccount(bot.account_id)))
  if (bot.access_token !== undefined) {
    lines.push(line("access token", showToken ? Redacted.value(bot.access_token) : "(hidden: --show-token prints it)"))
  }
  return lines.join("\n")
}

/** One line per bot (id, name, account), never a token; or a line that says there are none. @internal */
export const agentBotsText = (bots: ReadonlyArray<AgentBot.AgentBot>): string =>
  bots.length === 0
    ? "No agent bots: this platform app sees only the bots it created."
    : table(bots.map((bot) => [
      String(bot.id),
      orNone(bot.name),
      bot.account_id === null || bot.account_id === undefined ? "system bot" : `account ${bot.account_id}`
    ]))
