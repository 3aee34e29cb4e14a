/**
 * Chatwoot's accounts and account_users endpoints as pure state transitions (PLATFORM.md §3, §4). The caller has
 * authenticated the app; member actions look the account up (404) and then check the app's permission on it.
 *
 * @since 0.1.0
 */
import type { AccountRow, AccountUserRow, AppRow, Entropy, Outcome, State } from "./Engine.js"
import * as Engine from "./Engine.js"
import type { ResourceOperation } from "./Operations.js"
import * as PlatformRules from "./PlatformRules.js"
import type { Params, Scalar } from "./RailsParams.js"
import { castEnum, castInteger, permitAccountParams, permitAccountUserParams, rubyBlank } from "./RailsParams.js"
import { jsonb, setOwn, toRailsJson } from "./RailsText.js"
import type { RuleViolation } from "./UserRules.js"
import type { ServerFailure } from "./Wire.js"

/**
 * @since 0.1.0
 */
export interface AccountOptions {
  /** The flags `ACCOUNT_LEVEL_FEATURE_DEFAULTS` enables on a new account. */
  readonly defaultFeatures: ReadonlyArray<string>
  /** What `support_email` shows when the stored one is blank (`MAILER_SENDER_EMAIL`, ...); `null` if unset. */
  readonly supportEmailFallback: string | null
  /** `validate_limit_keys` runs only with the enterprise code loaded. */
  readonly eeMode: boolean
  /** `DeleteObjectJob` runs at once, or waits for the handle to run the queued deletes. */
  readonly accountDelete: "immediate" | "deferred"
}

/**
 * @since 0.1.0
 */
export const accountMessages = {
  nameBlank: "Name can't be blank",
  nameTooLong: `Name is too long (maximum is ${PlatformRules.maxLengths.name} characters)`,
  supportEmailTooLong:
    `Support email is too long (maximum is ${PlatformRules.maxLengths.supportEmailValidation} characters)`,
  domainTooLong: `Domain is too long (maximum is ${PlatformRules.maxLengths.domain} characters)`,
  // The space before the colon is Chatwoot's: `errors.add(:limits, ': Invalid data')`.
  limitsInvalid: "Limits : Invalid data",
  userMustExist: "User must exist"
} as const

type Result = [Outcome, State | undefined]

const fail = (failure: ServerFailure, state?: State): Result => [{ _tag: "Failure", failure }, state]
const internalError = (state?: State): Result => fail({ _tag: "InternalServerError" }, state)
const succeed = (operation: ResourceOperation, body: string, state?: State): Result => [
  { _tag: "Success", success: { operation, body } },
  state
]

// Ruby's String#length: characters, not UTF-16 units.
const length = (text: string) => Array.from(text).length

// ---------------------------------------------------------------------------------------------------------------
// Accounts

/**
 * The enabled flags of a set, in `features.yml` order (the order `enabled_features` renders them in).
 *
 * @since 0.1.0
 */
export const orderFeatures = (enabled: Iterable<string>): ReadonlyArray<string> => {
  const set = new Set(enabled)
  return PlatformRules.features.filter((name) => set.has(name))
}

/**
 * `update_resource_features`: each pair in order, `value.present?` enables and anything blank disables. `flags` is
 * the bitmask column itself (`true` is 1, only `inbound_emails`). `undefined` for any other unknown key, a
 * `NoMethodError` in Chatwoot.
 *
 * @since 0.1.0
 */
export const applyFeatures = (
  enabled: ReadonlyArray<string>,
  features: Readonly<Record<string, unknown>>
): ReadonlyArray<string> | undefined => {
  let set = new Set(enabled)
  for (const [name, value] of Object.entries(features)) {
    const on = !rubyBlank(value)
    if (name === "flags") set = new Set(on ? ["inbound_emails"] : [])
    else if (!PlatformRules.isFeature(name)) return undefined
    else if (on) set.add(name)
    else set.delete(name)
  }
  return orderFeatures(set)
}

type AccountDraft = Omit<AccountRow, "name"> & { readonly name: string | null }

/**
 * The 422s of a save, in Chatwoot's order: the generic length check, `validate_limit_keys`, then the validators.
 *
 * @since 0.1.0
 */
export const accountViolations = (account: AccountDraft, eeMode: boolean): Array<RuleViolation> => {
  const violations: Array<RuleViolation> = []
  if (account.name !== null && length(account.name) > PlatformRules.maxLengths.name) {
    violations.push({ field: "name", rule: "max_length", message: accountMessages.nameTooLong })
  }
  if (
    account.support_email !== null && length(account.support_email) > PlatformRules.maxLengths.supportEmailValidation
  ) {
    violations.push({ field: "support_email", rule: "max_length", message: accountMessages.supportEmailTooLong })
  }
  const limitKeys: ReadonlyArray<string> = PlatformRules.limitKeys
  if (eeMode && Object.keys(account.limits).some((key) => !limitKeys.includes(key))) {
    violations.push({ field: "limits", rule: "limit_keys", message: accountMessages.limitsInvalid })
  }
  if (rubyBlank(account.name)) violations.push({ field: "name", rule: "required", message: accountMessages.nameBlank })
  if (account.domain !== null && length(account.domain) > PlatformRules.maxLengths.domain) {
    violations.push({ field: "domain", rule: "max_length", message: accountMessages.domainTooLong })
  }
  return violations
}

// Past validation, the INSERT or UPDATE still fails on `support_email varchar(100)`.
const overflowsColumns = (account: AccountDraft) =>
  account.support_email !== null && length(account.support_email) > PlatformRules.maxLengths.supportEmailColumn

/**
 * `_account.json.jbuilder`, in its key order. `hashes` are the in-memory values after a write (the order sent);
 * without them the stored ones (jsonb order), as a read gives them.
 *
 * @since 0.1.0
 */
export const accountJson = (
  account: AccountRow,
  options: AccountOptions,
  hashes?: {
    readonly custom_attributes: Readonly<Record<string, unknown>>
    readonly limits: Readonly<Record<string, unknown>>
  }
): Record<string, unknown> => {
  const features: Record<string, unknown> = {}
  for (const name of account.features) setOwn(features, name, true)
  return {
    id: account.id,
    name: account.name,
    locale: account.locale,
    domain: account.domain,
    support_email: rubyBlank(account.support_email) ? options.supportEmailFallback : account.support_email,
    features,
    custom_attributes: hashes?.custom_attributes ?? account.custom_attributes,
    limits: hashes?.limits ?? account.limits,
    status: account.status
  }
}

const castLocale = (value: Scalar | undefined, current: PlatformRules.Locale | null) =>
  value === undefined
    ? { _tag: "Ok" as const, value: current }
    // Numeric codes are not modelled: their indices in languages.rb are not part of the contract.
    : castEnum(PlatformRules.locales, value, { numeric: false })

const castStatus = (value: Scalar | undefined, current: PlatformRules.AccountStatus | null) =>
  value === undefined ? { _tag: "Ok" as const, value: current } : castEnum(PlatformRules.statuses, value)

const createAccount = (
  state: State,
  app: AppRow,
  params: Params,
  options: AccountOptions
): Result => {
  const permitted = permitAccountParams(params)
  // Assignment casts the enums first: an ArgumentError there saves nothing.
  const locale = castLocale(permitted.locale, "en")
  const status = castStatus(permitted.status, "active")
  if (locale._tag === "Invalid" || status._tag === "Invalid") return internalError()
  const custom = permitted.custom_attributes ?? {}
  const limits = permitted.limits ?? {}
  const draft: AccountDraft = {
    id: state.nextAccountId,
    name: permitted.name ?? null,
    locale: locale.value,
    domain: permitted.domain ?? null,
    support_email: permitted.support_email ?? null,
    status: status.value,
    features: orderFeatures(options.defaultFeatures),
    custom_attributes: jsonb(custom) as Record<string, unknown>,
    limits: jsonb(limits) as Record<string, unknown>
  }
  const violations = accountViolations(draft, options.eeMode)
  if (violations.length > 0) return fail({ _tag: "RecordInvalid", violations })
  if (overflowsColumns(draft)) return internalError()
  // `Account.create!` has committed: from here on a failure leaves this account behind, with no permission row.
  let account: AccountRow = { ...draft, name: draft.name ?? "" }
  let next = Engine.withAccount(state, account)
  if (permitted.features !== undefined && Object.keys(permitted.features).length > 0) {
    const features = applyFeatures(account.features, permitted.features)
    if (features === undefined) return internalError(next)
    account = { ...account, features }
    next = Engine.withAccount(next, account)
  }
  next = Engine.withAccountPermission(next, app.id, account.id)
  return succeed(
    "accounts.create",
    toRailsJson(accountJson(account, options, { custom_attributes: custom, limits })),
    next
  )
}

const updateAccount = (state: State, account: AccountRow, params: Params, options: AccountOptions): Result => {
  const permitted = permitAccountParams(params)
  const locale = castLocale(permitted.locale, account.locale)
  const status = castStatus(permitted.status, account.status)
  if (locale._tag === "Invalid" || status._tag === "Invalid") return internalError()
  let features = account.features
  if (permitted.features !== undefined && Object.keys(permitted.features).length > 0) {
    const applied = applyFeatures(account.features, permitted.features)
    if (applied === undefined) return internalError()
    features = applied
  }
  const draft: AccountDraft = {
    ...account,
    ...(permitted.name === undefined ? {} : { name: permitted.name }),
    locale: locale.value,
    ...(permitted.domain === undefined ? {} : { domain: permitted.domain }),
    ...(permitted.support_email === undefined ? {} : { support_email: permitted.support_email }),
    status: status.value,
    features,
    // Replaced whole when sent, unlike a user's custom_attributes.
    ...(permitted.custom_attributes === undefined ?
      {} :
      { custom_attributes: jsonb(permitted.custom_attributes) as Record<string, unknown> }),
    ...(permitted.limits === undefined ? {} : { limits: jsonb(permitted.limits) as Record<string, unknown> })
  }
  const violations = accountViolations(draft, options.eeMode)
  if (violations.length > 0) return fail({ _tag: "RecordInvalid", violations })
  if (overflowsColumns(draft)) return internalError()
  const updated: AccountRow = { ...draft, name: draft.name ?? "" }
  return succeed(
    "accounts.update",
    toRailsJson(accountJson(updated, options, {
      custom_attributes: permitted.custom_attributes ?? account.custom_attributes,
      limits: permitted.limits ?? account.limits
    })),
    Engine.withAccount(state, updated)
  )
}

/**
 * Runs every queued `DeleteObjectJob` on accounts, in order; returns the ids of the accounts it deleted.
 *
 * @since 0.1.0
 */
export const runPendingAccountDeletes = (state: State): [ReadonlyArray<number>, State] => {
  const deleted: Array<number> = []
  let next: State = state
  for (const id of state.pendingAccountDeletes) {
    // A job queued twice finds its record gone the second time (an ActiveJob deserialization error): no effect.
    if (next.accounts.has(id)) {
      deleted.push(id)
      next = Engine.withoutAccount(next, id)
    }
  }
  return [deleted, { ...next, pendingAccountDeletes: [] }]
}

const deleteAccount = (state: State, account: AccountRow, options: AccountOptions): Result =>
  succeed(
    "accounts.delete",
    "",
    options.accountDelete === "immediate"
      ? Engine.withoutAccount(state, account.id)
      : { ...state, pendingAccountDeletes: [...state.pendingAccountDeletes, account.id] }
  )

/**
 * `platform_app_permissibles.where(permissible_type: 'Account')...map(&:permissible)`, skipping the rows whose
 * account is gone (F3: on 4.9.1 they make the whole index a 500).
 */
const listAccounts = (state: State, app: AppRow, options: AccountOptions): Result =>
  succeed(
    "accounts.list",
    toRailsJson(
      (state.accountPermissions.get(app.id) ?? []).flatMap((id) => {
        const account = state.accounts.get(id)
        return account === undefined ? [] : [accountJson(account, options)]
      })
    )
  )

// ---------------------------------------------------------------------------------------------------------------
// Account users

/**
 * `render json: record`: every column in DB order.
 *
 * @since 0.1.0
 */
export const accountUserJson = (row: AccountUserRow): Record<string, unknown> => ({
  id: row.id,
  account_id: row.account_id,
  user_id: row.user_id,
  role: row.role,
  inviter_id: row.inviter_id,
  created_at: row.created_at,
  updated_at: row.updated_at,
  active_at: row.active_at,
  availability: row.availability,
  auto_offline: row.auto_offline,
  custom_role_id: row.custom_role_id,
  agent_capacity_policy_id: row.agent_capacity_policy_id
})

const listAccountUsers = (state: State, account: AccountRow): Result =>
  succeed("accountUsers.list", toRailsJson(Engine.accountUsersOf(state, account.id).map(accountUserJson)))

/**
 * `account_users.find_or_initialize_by(user_id:)`, then `update!(user_id:, role:)`: the role cast first (500 on a
 * bad one), then `belongs_to :user` (422). The user is never permission-checked.
 */
const addAccountUser = (state: State, account: AccountRow, params: Params, entropy: Entropy): Result => {
  const permitted = permitAccountUserParams(params)
  const userId = permitted.user_id === undefined ? null : castInteger(permitted.user_id)
  const role = permitted.role === undefined ? undefined : castEnum(PlatformRules.roles, permitted.role)
  if (role?._tag === "Invalid") return internalError()
  if (typeof userId !== "number" || !state.users.has(userId)) {
    return fail({
      _tag: "RecordInvalid",
      violations: [{ field: "user", rule: "required", message: accountMessages.userMustExist }]
    })
  }
  const existing = Engine.findAccountUser(state, account.id, userId)
  let row: AccountUserRow
  if (existing === undefined) {
    row = Engine.newAccountUser(state, {
      account_id: account.id,
      user_id: userId,
      role: role === undefined ? "agent" : role.value,
      active_at: null
    }, entropy.now)
  } else {
    // Rails touches updated_at only when something changed.
    const changed = role !== undefined && role.value !== existing.role
    row = changed ? { ...existing, role: role.value, updated_at: new Date(entropy.now).toISOString() } : existing
  }
  return succeed("accountUsers.add", toRailsJson(accountUserJson(row)), Engine.withAccountUser(state, row))
}

/** `find_by(user_id:)&.destroy!`: 200 with an empty body whether or not there was such a member. */
const removeAccountUser = (state: State, account: AccountRow, params: Params): Result => {
  const permitted = permitAccountUserParams(params)
  const userId = permitted.user_id === undefined ? null : castInteger(permitted.user_id)
  const existing = typeof userId === "number" ? Engine.findAccountUser(state, account.id, userId) : undefined
  return succeed(
    "accountUsers.remove",
    "",
    existing === undefined ? state : Engine.withoutAccountUser(state, existing.id)
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Dispatch

/**
 * @since 0.1.0
 */
export type AccountOperation =
  | "accounts.list"
  | "accounts.create"
  | "accounts.get"
  | "accounts.update"
  | "accounts.delete"
  | "accountUsers.list"
  | "accountUsers.add"
  | "accountUsers.remove"

/**
 * Runs one accounts or account-users action. `accountId` is the raw `:id` (accounts) or `:account_id` (account
 * users) path segment.
 *
 * @since 0.1.0
 */
export const runAccounts = (
  state: State,
  app: AppRow,
  request: {
    readonly operation: AccountOperation
    readonly accountId: string | undefined
    readonly params: Params
  },
  entropy: Entropy,
  options: AccountOptions
): Result => {
  switch (request.operation) {
    case "accounts.list":
      return listAccounts(state, app, options)
    case "accounts.create":
      return createAccount(state, app, request.params, options)
  }
  const id = request.accountId === undefined ? undefined : Engine.parseRecordId(request.accountId)
  const account = id === undefined ? undefined : state.accounts.get(id)
  if (account === undefined) return fail({ _tag: "NotFound" })
  if (!Engine.isGranted(state.accountPermissions, app.id, account.id)) return fail({ _tag: "NonPermissible" })
  switch (request.operation) {
    case "accounts.get":
      return succeed("accounts.get", toRailsJson(accountJson(account, options)))
    case "accounts.update":
      return updateAccount(state, account, request.params, options)
    case "accounts.delete":
      return deleteAccount(state, account, options)
    case "accountUsers.list":
      return listAccountUsers(state, account)
    case "accountUsers.add":
      return addAccountUser(state, account, request.params, entropy)
    case "accountUsers.remove":
      return removeAccountUser(state, account, request.params)
  }
}
