/**
 * How a seed's entries become rows of the in-memory server's state: implicit accounts, permissions, memberships,
 * generated tokens and passwords. Secrets are of the edition's type `S`, read through `reveal`.
 *
 * @since 0.1.0
 */
import { applyFeatures, orderFeatures } from "./AccountsEngine.js"
import type { AccountRow, AccountUserRow, AgentBotRow, Entropy, State, UserRow } from "./Engine.js"
import {
  findAccountUser,
  newAccountUser,
  withAccount,
  withAccountPermission,
  withAccountUser,
  withAgentBot,
  withBotPermission,
  withPermission,
  withUser
} from "./Engine.js"
import type { ResourceOptions } from "./PlatformEngine.js"
import type { AccountStatus, Locale, Role } from "./PlatformRules.js"
import { jsonb, secureToken } from "./RailsText.js"
import type {
  SeedAccountFields,
  SeedAgentBotFields,
  SeedContext,
  SeedMembershipFields,
  SeedUserFields
} from "./SeedChecks.js"
import { normalizeEmail } from "./UserRules.js"

/**
 * What seeding reads of the server's options.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SeedOptions {
  readonly resources: ResourceOptions
}

/**
 * An account entry, its defaults applied.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SeedAccountEntry extends SeedAccountFields {
  readonly locale: Locale | null
  readonly status: AccountStatus | null
  readonly custom_attributes?: Readonly<Record<string, unknown>> | undefined
  readonly limits?: Readonly<Record<string, unknown>> | undefined
}

/**
 * An agent bot entry, its defaults applied.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SeedAgentBotEntry<S> extends SeedAgentBotFields<S> {
  readonly account_id: number | null
}

/**
 * A membership entry, its defaults applied.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SeedMembershipEntry extends SeedMembershipFields {
  readonly role: Role | null
  readonly active_at: string | null
}

/**
 * A user entry, its defaults applied.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SeedUserEntry<S> extends SeedUserFields<S> {
  readonly name: string
  readonly display_name?: string | null | undefined
  readonly custom_attributes?: Readonly<Record<string, unknown>> | undefined
  readonly accounts: ReadonlyArray<SeedMembershipEntry>
}

/**
 * Grants the named apps (those that exist) a permission, through `grant`.
 *
 * @since 0.1.0
 * @category Seeding
 */
export const grantApps = (
  state: State,
  apps: ReadonlyArray<string>,
  grant: (state: State, appId: number) => State
): State =>
  apps.reduce((next, name) => {
    const app = next.apps.find((candidate) => candidate.name === name)
    return app === undefined ? next : grant(next, app.id)
  }, state)

/**
 * An implicit account (from a membership): the column defaults and the default flags.
 *
 * @since 0.1.0
 * @category Seeding
 */
export const implicitAccount = (id: number, name: string, options: SeedOptions): AccountRow => ({
  id,
  name,
  locale: "en",
  domain: null,
  support_email: null,
  status: "active",
  features: orderFeatures(options.resources.defaultFeatures),
  custom_attributes: {},
  limits: {}
})

/**
 * Seeds one account with its id and the apps holding it.
 *
 * @since 0.1.0
 * @category Seeding
 */
export const seedAccount = (
  state: State,
  account: SeedAccountEntry,
  id: number,
  options: SeedOptions
): [AccountRow, State] => {
  const row: AccountRow = {
    ...implicitAccount(id, account.name, options),
    locale: account.locale,
    domain: account.domain,
    support_email: account.support_email,
    status: account.status,
    features: applyFeatures(orderFeatures(options.resources.defaultFeatures), account.features) ??
      [],
    custom_attributes: jsonb(account.custom_attributes ?? {}) as Record<string, unknown>,
    limits: jsonb(account.limits ?? {}) as Record<string, unknown>
  }
  const next = grantApps(
    withAccount(state, row),
    account.apps,
    (current, appId) => withAccountPermission(current, appId, id)
  )
  return [row, next]
}

/**
 * Seeds one agent bot (its token given, or drawn from `entropy`); `reveal` reads a given token.
 *
 * @since 0.1.0
 * @category Seeding
 */
export const seedAgentBot = <S>(
  state: State,
  bot: SeedAgentBotEntry<S>,
  id: number,
  entropy: Entropy,
  reveal: (secret: S) => string
): [AgentBotRow, State] => {
  const row: AgentBotRow = {
    id,
    name: bot.name,
    description: bot.description,
    outgoing_url: bot.outgoing_url,
    account_id: bot.account_id,
    access_token: bot.access_token === undefined ? entropy.botToken : reveal(bot.access_token),
    avatar: null,
    avatar_url_jobs: []
  }
  const next = grantApps(
    withAgentBot(state, row),
    bot.apps,
    (current, appId) => withBotPermission(current, appId, id)
  )
  return [row, next]
}

/**
 * An upsert of the (account, user) row; the account is created first when a membership is all that names it.
 *
 * @since 0.1.0
 * @category Seeding
 */
export const seedMembership = (
  state: State,
  userId: number,
  membership: SeedMembershipEntry,
  now: number,
  options: SeedOptions
): State => {
  let next = state
  if (!next.accounts.has(membership.id)) {
    next = withAccount(next, implicitAccount(membership.id, membership.name ?? "", options))
  }
  const activeAt = membership.active_at === null ? null : new Date(membership.active_at).toISOString()
  const existing = findAccountUser(next, membership.id, userId)
  const row: AccountUserRow = existing === undefined
    ? newAccountUser(next, {
      account_id: membership.id,
      user_id: userId,
      role: membership.role,
      active_at: activeAt
    }, now)
    : { ...existing, role: membership.role, active_at: activeAt, updated_at: new Date(now).toISOString() }
  return withAccountUser(next, row)
}

/**
 * Seeds one user (a random password when none is given); explicit ids were reserved beforehand so automatic ones skip them.
 *
 * @since 0.1.0
 * @category Seeding
 */
export const seedUser = <S>(
  state: State,
  user: SeedUserEntry<S>,
  id: number,
  entropy: Entropy,
  options: SeedOptions,
  reveal: (secret: S) => string
): [UserRow, State] => {
  const email = normalizeEmail(user.email)
  const row: UserRow = {
    id,
    name: user.name,
    display_name: user.display_name ?? null,
    email,
    uid: email,
    provider: "email",
    access_token: entropy.accessToken,
    pubsub_token: entropy.pubsubToken,
    password: user.password === undefined ? `${secureToken(20)}aA1!` : reveal(user.password),
    confirmed: true,
    custom_attributes: jsonb(user.custom_attributes ?? {}) as Record<string, unknown>,
    ui_settings: {},
    message_signature: null,
    avatar_url: ""
  }
  let next = grantApps(
    withUser(state, row),
    user.apps,
    (current, appId) => withPermission(current, appId, row.id)
  )
  for (const account of user.accounts) next = seedMembership(next, row.id, account, entropy.now, options)
  return [row, next]
}

/**
 * What a runtime addition is checked against: the current apps, accounts and tokens.
 *
 * @since 0.1.0
 * @category Seeding
 */
export const liveContext = (state: State): SeedContext => ({
  appNames: new Set(state.apps.map((app) => app.name)),
  accountNames: new Map(Array.from(state.accounts.values(), (account) => [account.id, account.name])),
  tokens: new Set([
    ...state.apps.map((app) => app.token),
    ...Array.from(state.agentBots.values(), (bot) => bot.access_token)
  ])
})

/**
 * The lowest ids not taken: ids given explicitly anywhere in the seed are reserved first.
 *
 * @since 0.1.0
 * @category Seeding
 */
export const idAllocator = (reserved: ReadonlySet<number>) => {
  let next = 1
  return (explicit: number | undefined): number => {
    if (explicit !== undefined) return explicit
    while (reserved.has(next)) next++
    return next++
  }
}
