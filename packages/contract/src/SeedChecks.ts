/**
 * The consistency checks of an in-memory server's seed and of records added at run time, as messages naming the entry
 * and the field (`users[3].email: Email is not an email`). Never quotes a token or a password: secrets are of the
 * edition's type `S`, read through `reveal` only to compare them.
 *
 * @since 0.1.0
 */
import { accountMessages } from "./AccountsEngine.js"
import { agentBotMessages } from "./AgentBotsEngine.js"
import * as Rules from "./PlatformRules.js"
import { rubyBlank } from "./RailsParams.js"
import * as Users from "./UserRules.js"

/**
 * What the checks read of an account entry.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SeedAccountFields {
  readonly id?: number | undefined
  readonly name: string
  readonly domain: string | null
  readonly support_email: string | null
  readonly features: Readonly<Record<string, boolean>>
  readonly apps: ReadonlyArray<string>
}

/**
 * What the checks read of an agent bot entry.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SeedAgentBotFields<S> {
  readonly id?: number | undefined
  readonly name: string | null
  readonly description: string | null
  readonly outgoing_url: string | null
  readonly access_token?: S | undefined
  readonly apps: ReadonlyArray<string>
}

/**
 * What the checks read of a membership entry.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SeedMembershipFields {
  readonly id: number
  readonly name?: string | undefined
}

/**
 * What the checks read of a user entry.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SeedUserFields<S> {
  readonly id?: number | undefined
  readonly email: string
  readonly password?: S | undefined
  readonly apps: ReadonlyArray<string>
  readonly accounts: ReadonlyArray<SeedMembershipFields>
}

/**
 * What the checks read of a seed.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SeedFields<S> {
  readonly apps: ReadonlyArray<{ readonly name: string; readonly token: S }>
  readonly accounts: ReadonlyArray<SeedAccountFields>
  readonly agent_bots: ReadonlyArray<SeedAgentBotFields<S>>
  readonly users: ReadonlyArray<SeedUserFields<S>>
}

const length = (text: string) => Array.from(text).length

/**
 * What an entry's references are checked against: the apps, the accounts known so far, the tokens in use.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SeedContext {
  readonly appNames: ReadonlySet<string>
  /** Account id to its name, for memberships. Grows as memberships create accounts. */
  readonly accountNames: Map<number, string>
  /** Every app and bot token so far (all are Chatwoot AccessToken rows, unique). */
  readonly tokens: Set<string>
}

const appRefIssues = (apps: ReadonlyArray<string>, at: string, context: SeedContext) =>
  apps.flatMap((name, j) =>
    context.appNames.has(name) ? [] : [`${at}.apps[${j}]: no app named ${JSON.stringify(name)} in apps`]
  )

/**
 * An account entry's issues: blank or long name, long domain or support email, unknown features, unknown apps.
 *
 * @since 0.1.0
 * @category Checks
 */
export const accountIssues = (account: SeedAccountFields, at: string, context: SeedContext): Array<string> => {
  const issues: Array<string> = []
  if (rubyBlank(account.name)) issues.push(`${at}.name: ${accountMessages.nameBlank}`)
  else if (length(account.name) > Rules.maxLengths.name) {
    issues.push(`${at}.name: ${accountMessages.nameTooLong}`)
  }
  if (account.domain !== null && length(account.domain) > Rules.maxLengths.domain) {
    issues.push(`${at}.domain: ${accountMessages.domainTooLong}`)
  }
  if (account.support_email !== null && length(account.support_email) > Rules.maxLengths.supportEmailColumn) {
    issues.push(
      `${at}.support_email: at most ${Rules.maxLengths.supportEmailColumn} characters (the column's size)`
    )
  }
  for (const name of Object.keys(account.features)) {
    if (!Rules.isFeature(name)) {
      issues.push(`${at}.features.${name}: no feature named ${JSON.stringify(name)} in config/features.yml`)
    }
  }
  issues.push(...appRefIssues(account.apps, at, context))
  return issues
}

/**
 * An agent bot entry's issues: long fields, a token already in use, unknown apps.
 *
 * @since 0.1.0
 * @category Checks
 */
export const agentBotIssues = <S>(
  bot: SeedAgentBotFields<S>,
  at: string,
  context: SeedContext,
  reveal: (secret: S) => string
): Array<string> => {
  const issues: Array<string> = []
  const check = (field: "name" | "description" | "outgoing_url", max: number, message: string) => {
    const value = bot[field]
    if (value !== null && length(value) > max) issues.push(`${at}.${field}: ${message}`)
  }
  check("name", Rules.botLimits.name, agentBotMessages.nameTooLong)
  check("description", Rules.botLimits.description, agentBotMessages.descriptionTooLong)
  check("outgoing_url", Rules.botLimits.outgoingUrl, agentBotMessages.outgoingUrlTooLong)
  if (bot.access_token !== undefined && context.tokens.has(reveal(bot.access_token))) {
    issues.push(`${at}.access_token: duplicate token (tokens of apps and bots are unique)`)
  }
  issues.push(...appRefIssues(bot.apps, at, context))
  return issues
}

/**
 * A membership names its account by id: the name must match a known account's, or create it (in `context`).
 *
 * @since 0.1.0
 * @category Checks
 */
export const membershipIssues = (membership: SeedMembershipFields, at: string, context: SeedContext): Array<string> => {
  const known = context.accountNames.get(membership.id)
  if (known === undefined) {
    if (membership.name === undefined) {
      return [`${at}.name: is missing, and there is no account ${membership.id} to take it from`]
    }
    context.accountNames.set(membership.id, membership.name)
    return []
  }
  return membership.name === undefined || membership.name === known
    ? []
    : [
      `${at}.name: ${JSON.stringify(membership.name)} conflicts with account ${membership.id}, named ${
        JSON.stringify(known)
      }`
    ]
}

/**
 * A user entry's issues: Chatwoot's email and password rules, unknown apps, duplicate or conflicting memberships.
 *
 * @since 0.1.0
 * @category Checks
 */
export const userIssues = <S>(
  user: SeedUserFields<S>,
  at: string,
  context: SeedContext,
  reveal: (secret: S) => string
): Array<string> => {
  const issues: Array<string> = []
  for (const violation of Users.emailViolations(Users.normalizeEmail(user.email))) {
    issues.push(`${at}.email: ${violation.message}`)
  }
  if (user.password !== undefined) {
    for (const violation of Users.passwordViolations(reveal(user.password))) {
      issues.push(`${at}.password: ${violation.message}`)
    }
  }
  issues.push(...appRefIssues(user.apps, at, context))
  const accountIds = new Set<number>()
  user.accounts.forEach((account, j) => {
    if (accountIds.has(account.id)) issues.push(`${at}.accounts[${j}].id: duplicate account ${account.id}`)
    accountIds.add(account.id)
    issues.push(...membershipIssues(account, `${at}.accounts[${j}]`, context))
  })
  return issues
}

/**
 * Whether a seed is consistent: unique app names, tokens (of apps and agent bots), ids of users, accounts and bots, and
 * emails; valid emails and passwords (Chatwoot's rules); accounts' and bots' lengths and feature names; `apps` naming
 * declared apps; memberships whose name agrees with their account's. `reveal` reads a secret of the seed.
 *
 * @since 0.1.0
 * @category Checks
 */
export const seedIssues = <S>(
  seed: SeedFields<S>,
  defaultFeatures: ReadonlyArray<string>,
  reveal: (secret: S) => string
): Array<string> => {
  const issues: Array<string> = []
  defaultFeatures.forEach((name, i) => {
    if (!Rules.isFeature(name)) {
      issues.push(`defaultFeatures[${i}]: no feature named ${JSON.stringify(name)} in config/features.yml`)
    }
  })
  const appNames = new Set<string>()
  const tokens = new Set<string>()
  seed.apps.forEach((app, i) => {
    if (appNames.has(app.name)) issues.push(`apps[${i}].name: duplicate app name ${JSON.stringify(app.name)}`)
    if (tokens.has(reveal(app.token))) issues.push(`apps[${i}].token: duplicate token`)
    appNames.add(app.name)
    tokens.add(reveal(app.token))
  })
  const context: SeedContext = { appNames, accountNames: new Map(), tokens }
  const accountIds = new Set<number>()
  seed.accounts.forEach((account, i) => {
    issues.push(...accountIssues(account, `accounts[${i}]`, context))
    if (account.id !== undefined) {
      if (accountIds.has(account.id)) issues.push(`accounts[${i}].id: duplicate id ${account.id}`)
      accountIds.add(account.id)
      context.accountNames.set(account.id, account.name)
    }
  })
  const botIds = new Set<number>()
  seed.agent_bots.forEach((bot, i) => {
    issues.push(...agentBotIssues(bot, `agent_bots[${i}]`, context, reveal))
    if (bot.access_token !== undefined) context.tokens.add(reveal(bot.access_token))
    if (bot.id !== undefined) {
      if (botIds.has(bot.id)) issues.push(`agent_bots[${i}].id: duplicate id ${bot.id}`)
      botIds.add(bot.id)
    }
  })
  const ids = new Set<number>()
  const emails = new Set<string>()
  seed.users.forEach((user, i) => {
    issues.push(...userIssues(user, `users[${i}]`, context, reveal))
    if (user.id !== undefined) {
      if (ids.has(user.id)) issues.push(`users[${i}].id: duplicate id ${user.id}`)
      ids.add(user.id)
    }
    const email = Users.normalizeEmail(user.email)
    if (emails.has(email)) issues.push(`users[${i}].email: duplicate email ${JSON.stringify(email)}`)
    emails.add(email)
  })
  return issues
}
