/**
 * Chatwoot's users endpoints as pure state transitions (BEHAVIOUR.md §2-§5): what the emulator and the in-memory
 * layer both run. Randomness (tokens) is passed in, so each transition is a plain function of its inputs.
 *
 * @since 0.1.0
 */
import type { Operation } from "./Operations.js"
import type * as PlatformRules from "./PlatformRules.js"
import type { Params } from "./RailsParams.js"
import { permitUserParams } from "./RailsParams.js"
import { jsonb, setOwn, toRailsJson, urlEncode } from "./RailsText.js"
import type { AccountSnapshot, AccountUserSnapshot } from "./Snapshots.js"
import * as UserRules from "./UserRules.js"
import type { ServerFailure } from "./Wire.js"

/**
 * @since 0.1.0
 */
export interface AppRow {
  readonly id: number
  readonly name: string
  readonly token: string
}

/**
 * @since 0.1.0
 */
export interface UserRow {
  readonly id: number
  readonly name: string
  readonly display_name: string | null
  readonly email: string
  readonly uid: string
  readonly provider: "email"
  readonly access_token: string
  readonly pubsub_token: string
  readonly password: string
  readonly confirmed: boolean
  readonly custom_attributes: Readonly<Record<string, unknown>>
  readonly ui_settings: Readonly<Record<string, unknown>>
  readonly message_signature: string | null
  readonly avatar_url: string
}

/**
 * An `accounts` row.
 *
 * @since 0.1.0
 */
export type AccountRow = Omit<AccountSnapshot, "apps" | "deletePending">

/**
 * An `account_users` row: every column, in `db/schema.rb` order. Times are ISO-8601 UTC with milliseconds.
 *
 * @since 0.1.0
 */
export type AccountUserRow = AccountUserSnapshot

/**
 * An attached avatar: what its validations look at.
 *
 * @since 0.1.0
 */
export interface AvatarRow {
  readonly byteSize: number
  readonly contentType: string
}

/**
 * An `agent_bots` row, with its access token and avatar.
 *
 * @since 0.1.0
 */
export interface AgentBotRow {
  readonly id: number
  readonly name: string | null
  readonly description: string | null
  readonly outgoing_url: string | null
  readonly account_id: number | null
  readonly access_token: string
  readonly avatar: AvatarRow | null
  /** URLs handed to `Avatar::AvatarFromUrlJob`, in order. The job (a download) is not run. */
  readonly avatar_url_jobs: ReadonlyArray<string>
}

/**
 * App id to the ids of the records of one kind it may manage, in the order the permission rows were created.
 *
 * @since 0.1.0
 */
export type Permissions = ReadonlyMap<number, ReadonlyArray<number>>

/**
 * @since 0.1.0
 */
export interface State {
  readonly apps: ReadonlyArray<AppRow>
  /** In insertion order. */
  readonly users: ReadonlyMap<number, UserRow>
  /** PlatformAppPermissible rows on users. */
  readonly permissions: Permissions
  /** In insertion order, as the other record maps. */
  readonly accounts: ReadonlyMap<number, AccountRow>
  /** The memberships, by row id. They feed the users' `account_id`, `role` and `accounts`. */
  readonly accountUsers: ReadonlyMap<number, AccountUserRow>
  readonly agentBots: ReadonlyMap<number, AgentBotRow>
  /** PlatformAppPermissible rows on accounts. They outlive a deleted account, as in Chatwoot (F3). */
  readonly accountPermissions: Permissions
  /** PlatformAppPermissible rows on agent bots; a bot's delete removes them (F2, fixed upstream). */
  readonly botPermissions: Permissions
  /** Accounts whose `DeleteObjectJob` is queued and has not run, in order. */
  readonly pendingAccountDeletes: ReadonlyArray<number>
  readonly nextUserId: number
  readonly nextAppId: number
  readonly nextAccountId: number
  readonly nextAccountUserId: number
  readonly nextAgentBotId: number
}

/**
 * @since 0.1.0
 */
export const emptyState: State = {
  apps: [],
  users: new Map(),
  permissions: new Map(),
  accounts: new Map(),
  accountUsers: new Map(),
  agentBots: new Map(),
  accountPermissions: new Map(),
  botPermissions: new Map(),
  pendingAccountDeletes: [],
  nextUserId: 1,
  nextAppId: 1,
  nextAccountId: 1,
  nextAccountUserId: 1,
  nextAgentBotId: 1
}

/**
 * Fresh random values a transition may need; drawn before it runs.
 *
 * @since 0.1.0
 */
export interface Entropy {
  readonly accessToken: string
  readonly pubsubToken: string
  readonly ssoToken: string
  /** A new agent bot's access token. */
  readonly botToken: string
  /** The clock, in epoch milliseconds (`created_at`, `updated_at`). */
  readonly now: number
}

/**
 * @since 0.1.0
 */
export type Request =
  | { readonly operation: "create"; readonly params: Params }
  | { readonly operation: "update"; readonly id: string; readonly params: Params }
  | { readonly operation: "get" | "delete" | "loginUrl" | "token"; readonly id: string }

/**
 * A success: the status is always 200; `body` is the JSON text to send ("" for delete).
 *
 * @since 0.1.0
 */
export interface Success {
  readonly operation: Operation
  readonly body: string
}

/**
 * @since 0.1.0
 */
export type Outcome = { readonly _tag: "Success"; readonly success: Success } | {
  readonly _tag: "Failure"
  readonly failure: ServerFailure
}

const fail = (failure: ServerFailure): [Outcome, undefined] => [{ _tag: "Failure", failure }, undefined]
const succeed = (operation: Operation, body: string, state?: State): [Outcome, State | undefined] => [
  { _tag: "Success", success: { operation, body } },
  state
]

// ---------------------------------------------------------------------------------------------------------------
// State helpers

/**
 * `AccessToken.find_by(token:) if token.present?`: a blank token finds nothing.
 *
 * @since 0.1.0
 */
export const findApp = (state: State, token: string): AppRow | undefined =>
  token.trim() === "" ? undefined : state.apps.find((app) => app.token === token)

/**
 * @since 0.1.0
 */
export const withUser = (state: State, user: UserRow): State => {
  const users = new Map(state.users)
  users.set(user.id, user)
  return { ...state, users, nextUserId: Math.max(state.nextUserId, user.id + 1) }
}

/**
 * @since 0.1.0
 */
export const withGrant = (permissions: Permissions, appId: number, id: number): Permissions => {
  const current = permissions.get(appId) ?? []
  if (current.includes(id)) return permissions
  const next = new Map(permissions)
  next.set(appId, [...current, id])
  return next
}

const withoutGrants = (permissions: Permissions, id: number): Permissions => {
  const next = new Map<number, ReadonlyArray<number>>()
  for (const [appId, ids] of permissions) next.set(appId, ids.filter((candidate) => candidate !== id))
  return next
}

/**
 * @since 0.1.0
 */
export const isGranted = (permissions: Permissions, appId: number, id: number): boolean =>
  (permissions.get(appId) ?? []).includes(id)

/**
 * @since 0.1.0
 */
export const withPermission = (state: State, appId: number, userId: number): State => {
  const permissions = withGrant(state.permissions, appId, userId)
  return permissions === state.permissions ? state : { ...state, permissions }
}

/**
 * @since 0.1.0
 */
export const withAccountPermission = (state: State, appId: number, accountId: number): State => {
  const accountPermissions = withGrant(state.accountPermissions, appId, accountId)
  return accountPermissions === state.accountPermissions ? state : { ...state, accountPermissions }
}

/**
 * @since 0.1.0
 */
export const withBotPermission = (state: State, appId: number, botId: number): State => {
  const botPermissions = withGrant(state.botPermissions, appId, botId)
  return botPermissions === state.botPermissions ? state : { ...state, botPermissions }
}

/**
 * @since 0.1.0
 */
export const withAccount = (state: State, account: AccountRow): State => {
  const accounts = new Map(state.accounts)
  // A new row is a new object: a permission row left by an earlier account with this id does not carry over.
  const accountPermissions = state.accounts.has(account.id)
    ? state.accountPermissions
    : withoutGrants(state.accountPermissions, account.id)
  accounts.set(account.id, account)
  return { ...state, accounts, accountPermissions, nextAccountId: Math.max(state.nextAccountId, account.id + 1) }
}

/**
 * `DeleteObjectJob` on an account: the account and its memberships go, users and permission rows stay.
 *
 * @since 0.1.0
 */
export const withoutAccount = (state: State, accountId: number): State => {
  if (!state.accounts.has(accountId)) return state
  const accounts = new Map(state.accounts)
  accounts.delete(accountId)
  const accountUsers = new Map(state.accountUsers)
  for (const [id, row] of state.accountUsers) if (row.account_id === accountId) accountUsers.delete(id)
  return { ...state, accounts, accountUsers }
}

/**
 * @since 0.1.0
 */
export const withAccountUser = (state: State, row: AccountUserRow): State => {
  const accountUsers = new Map(state.accountUsers)
  accountUsers.set(row.id, row)
  return { ...state, accountUsers, nextAccountUserId: Math.max(state.nextAccountUserId, row.id + 1) }
}

/**
 * @since 0.1.0
 */
export const withoutAccountUser = (state: State, rowId: number): State => {
  const accountUsers = new Map(state.accountUsers)
  accountUsers.delete(rowId)
  return { ...state, accountUsers }
}

/**
 * @since 0.1.0
 */
export const findAccountUser = (state: State, accountId: number, userId: number): AccountUserRow | undefined => {
  for (const row of state.accountUsers.values()) {
    if (row.account_id === accountId && row.user_id === userId) return row
  }
  return undefined
}

/**
 * @since 0.1.0
 */
export const accountUsersOf = (state: State, accountId: number): Array<AccountUserRow> =>
  Array.from(state.accountUsers.values()).filter((row) => row.account_id === accountId)

/**
 * @since 0.1.0
 */
export const membershipsOf = (state: State, userId: number): Array<AccountUserRow> =>
  Array.from(state.accountUsers.values()).filter((row) => row.user_id === userId && state.accounts.has(row.account_id))

/**
 * A new membership row with the column defaults (`agent`, `online`, `auto_offline`).
 *
 * @since 0.1.0
 */
export const newAccountUser = (
  state: State,
  fields: {
    readonly account_id: number
    readonly user_id: number
    readonly role: PlatformRules.Role | null
    readonly active_at: string | null
  },
  now: number
): AccountUserRow => {
  const at = new Date(now).toISOString()
  return {
    id: state.nextAccountUserId,
    account_id: fields.account_id,
    user_id: fields.user_id,
    role: fields.role,
    inviter_id: null,
    created_at: at,
    updated_at: at,
    active_at: fields.active_at,
    availability: "online",
    auto_offline: true,
    custom_role_id: null,
    agent_capacity_policy_id: null
  }
}

/**
 * @since 0.1.0
 */
export const withAgentBot = (state: State, bot: AgentBotRow): State => {
  const agentBots = new Map(state.agentBots)
  agentBots.set(bot.id, bot)
  return { ...state, agentBots, nextAgentBotId: Math.max(state.nextAgentBotId, bot.id + 1) }
}

/**
 * A bot's `destroy!`, with #14273's `dependent: :destroy` on its permission rows.
 *
 * @since 0.1.0
 */
export const withoutAgentBot = (state: State, botId: number): State => {
  const agentBots = new Map(state.agentBots)
  agentBots.delete(botId)
  return { ...state, agentBots, botPermissions: withoutGrants(state.botPermissions, botId) }
}

/**
 * @since 0.1.0
 */
export const withApp = (state: State, app: Omit<AppRow, "id">): [AppRow, State] => {
  const row: AppRow = { id: state.nextAppId, ...app }
  return [row, { ...state, apps: [...state.apps, row], nextAppId: state.nextAppId + 1 }]
}

const withoutUser = (state: State, userId: number): State => {
  const users = new Map(state.users)
  users.delete(userId)
  const accountUsers = new Map(state.accountUsers)
  for (const [id, row] of state.accountUsers) if (row.user_id === userId) accountUsers.delete(id)
  // The PlatformAppPermissible row stays, as in Chatwoot: the 404 comes first anyway.
  return { ...state, users, accountUsers }
}

const emailTaken = (state: State, email: string, exceptId?: number) => {
  for (const user of state.users.values()) {
    if (user.email === email && user.id !== exceptId) return true
  }
  return false
}

/**
 * `User.find(params[:id])`: ActiveModel's integer cast reads a leading integer ("12-abc" is 12), anything else is nil.
 *
 * @since 0.1.0
 */
export const parseRecordId = (raw: string): number | undefined => {
  const match = /^\s*([+-]?\d+(?:_\d+)*)/.exec(raw)
  if (match === null) return undefined
  const id = Number(match[1]!.replace(/_/g, ""))
  return Number.isSafeInteger(id) ? id : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

/** `active_account_user`: `account_users.order('active_at DESC NULLS LAST').first`. */
const activeMembership = (memberships: ReadonlyArray<AccountUserRow>): AccountUserRow | undefined => {
  let best: AccountUserRow | undefined
  for (const row of memberships) {
    const later = row.active_at !== null &&
      (best?.active_at === null || Date.parse(row.active_at) > Date.parse(best?.active_at ?? ""))
    if (best === undefined || later) best = row
  }
  return best
}

/**
 * `_user.json.jbuilder`, in its key order (BEHAVIOUR.md §5).
 *
 * @since 0.1.0
 */
export const userJson = (state: State, user: UserRow): Record<string, unknown> => {
  const memberships = membershipsOf(state, user.id)
  const active = activeMembership(memberships)
  const out: Record<string, unknown> = {}
  const put = (key: string, value: unknown) => setOwn(out, key, value)
  put("access_token", user.access_token)
  put("account_id", active?.account_id ?? null)
  put("available_name", user.display_name !== null && user.display_name.trim() !== "" ? user.display_name : user.name)
  put("avatar_url", user.avatar_url)
  put("confirmed", user.confirmed)
  put("display_name", user.display_name)
  put("message_signature", user.message_signature)
  put("email", user.email)
  put("id", user.id)
  put("name", user.name)
  put("provider", user.provider)
  put("pubsub_token", user.pubsub_token)
  if (Object.keys(user.custom_attributes).length > 0) put("custom_attributes", user.custom_attributes)
  put("role", active?.role ?? null)
  put("ui_settings", user.ui_settings)
  put("uid", user.uid)
  put(
    "accounts",
    memberships.map((row) => ({
      id: row.account_id,
      name: state.accounts.get(row.account_id)!.name,
      active_at: row.active_at,
      role: row.role
    }))
  )
  return out
}

const renderUser = (state: State, user: UserRow) => toRailsJson(userJson(state, user))

// ---------------------------------------------------------------------------------------------------------------
// Actions

const create = (state: State, app: AppRow, params: Params, entropy: Entropy): [Outcome, State | undefined] => {
  const permitted = permitUserParams(params)
  // `User.from_email`: `find_by(email: email&.downcase)`, no strip.
  const lookup = typeof permitted.email === "string" ? permitted.email.toLowerCase() : undefined
  const existing = lookup === undefined ? undefined : Array.from(state.users.values()).find((u) => u.email === lookup)
  if (existing !== undefined) {
    const confirmed: UserRow = { ...existing, confirmed: true }
    const next = withPermission(withUser(state, confirmed), app.id, confirmed.id)
    return succeed("create", renderUser(next, confirmed), next)
  }
  const email = UserRules.normalizeEmail(permitted.email ?? "")
  const violations = UserRules.recordInvalid({
    isNew: true,
    email,
    emailChanged: true,
    emailTaken: email !== "" && emailTaken(state, email),
    password: permitted.password ?? ""
  })
  if (violations.length > 0) return fail({ _tag: "RecordInvalid", violations })
  // Validations passed; the INSERT then hits `name NOT NULL`.
  if (permitted.name === undefined || permitted.name === null) return fail({ _tag: "InternalServerError" })
  const user: UserRow = {
    id: state.nextUserId,
    name: permitted.name,
    display_name: permitted.display_name ?? null,
    email,
    uid: email,
    provider: "email",
    access_token: entropy.accessToken,
    pubsub_token: entropy.pubsubToken,
    password: permitted.password ?? "",
    confirmed: true,
    custom_attributes: jsonb(permitted.custom_attributes ?? {}) as Record<string, unknown>,
    ui_settings: {},
    message_signature: null,
    avatar_url: ""
  }
  const next = withPermission(withUser(state, user), app.id, user.id)
  return succeed("create", renderUser(next, user), next)
}

const update = (state: State, user: UserRow, params: Params, entropy: Entropy): [Outcome, State | undefined] => {
  const permitted = permitUserParams(params)
  const emailSent = permitted.email !== undefined
  const email = emailSent ? UserRules.normalizeEmail(permitted.email ?? "") : user.email
  const emailChanged = email !== user.email
  const password = typeof permitted.password === "string" ? permitted.password : undefined
  const violations = UserRules.recordInvalid({
    isNew: false,
    email,
    emailChanged,
    emailTaken: emailChanged && email !== "" && emailTaken(state, email, user.id),
    password
  })
  if (violations.length > 0) return fail({ _tag: "RecordInvalid", violations })
  if (permitted.name === null) return fail({ _tag: "InternalServerError" })
  const custom = permitted.custom_attributes === undefined
    ? user.custom_attributes
    : jsonb({ ...user.custom_attributes, ...permitted.custom_attributes }) as Record<string, unknown>
  const updated: UserRow = {
    ...user,
    ...(permitted.name === undefined ? {} : { name: permitted.name }),
    ...(permitted.display_name === undefined ? {} : { display_name: permitted.display_name }),
    email,
    uid: email,
    custom_attributes: custom,
    ...(password === undefined ? {} : { password, pubsub_token: entropy.pubsubToken })
  }
  const next = withUser(state, updated)
  return succeed("update", renderUser(next, updated), next)
}

const loginUrl = (user: UserRow, frontendUrl: string, entropy: Entropy): string =>
  toRailsJson({ url: `${frontendUrl}/app/login?email=${urlEncode(user.email)}&sso_auth_token=${entropy.ssoToken}` })

const token = (user: UserRow): string =>
  toRailsJson({
    access_token: user.access_token,
    expiry: null,
    user: {
      id: user.id,
      name: user.name,
      display_name: user.display_name,
      email: user.email,
      pubsub_token: user.pubsub_token
    }
  })

/**
 * Runs one action for an authenticated platform app. Member actions check, in Chatwoot's before_action order, that
 * the record exists (404) and then that the app may manage it (401 Non permissible resource).
 *
 * @since 0.1.0
 */
export const run = (
  state: State,
  app: AppRow,
  request: Request,
  entropy: Entropy,
  options: { readonly frontendUrl: string }
): [Outcome, State | undefined] => {
  if (request.operation === "create") return create(state, app, request.params, entropy)
  const id = parseRecordId(request.id)
  const user = id === undefined ? undefined : state.users.get(id)
  if (user === undefined) return fail({ _tag: "NotFound" })
  if (!isGranted(state.permissions, app.id, user.id)) return fail({ _tag: "NonPermissible" })
  switch (request.operation) {
    case "get":
      return succeed("get", renderUser(state, user))
    case "update":
      return update(state, user, request.params, entropy)
    case "delete":
      return succeed("delete", "", withoutUser(state, user.id))
    case "loginUrl":
      return succeed("loginUrl", loginUrl(user, options.frontendUrl, entropy))
    case "token":
      return succeed("token", token(user))
  }
}
