// Chatwoot's users endpoints as pure state transitions (BEHAVIOUR.md §2-§5): what the emulator and the in-memory
// layer both run. Randomness (tokens) is passed in, so each transition is a plain function of its inputs.
import type { Operation } from "../PlatformUsersError.js"
import type { ServerFailure } from "../PlatformUsersWire.js"
import * as UserRules from "../UserRules.js"
import type { Params } from "./railsParams.js"
import { permitUserParams } from "./railsParams.js"
import { jsonb, setOwn, toRailsJson, urlEncode } from "./railsText.js"

export interface AppRow {
  readonly id: number
  readonly name: string
  readonly token: string
}

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

export interface MembershipRow {
  readonly account_id: number
  readonly account_name: string
  readonly role: "agent" | "administrator"
  readonly active_at: string | null
}

export interface State {
  readonly apps: ReadonlyArray<AppRow>
  /** In insertion order. */
  readonly users: ReadonlyMap<number, UserRow>
  /** App id to the users it may manage, in the order the permission rows were created. */
  readonly permissions: ReadonlyMap<number, ReadonlyArray<number>>
  /** User id to its account memberships (account_users), in insertion order. */
  readonly memberships: ReadonlyMap<number, ReadonlyArray<MembershipRow>>
  readonly nextUserId: number
  readonly nextAppId: number
}

export const emptyState: State = {
  apps: [],
  users: new Map(),
  permissions: new Map(),
  memberships: new Map(),
  nextUserId: 1,
  nextAppId: 1
}

/** Fresh random values a transition may need; drawn before it runs. */
export interface Entropy {
  readonly accessToken: string
  readonly pubsubToken: string
  readonly ssoToken: string
}

export type Request =
  | { readonly operation: "create"; readonly params: Params }
  | { readonly operation: "update"; readonly id: string; readonly params: Params }
  | { readonly operation: "get" | "delete" | "loginUrl" | "token"; readonly id: string }

/** A success: the status is always 200; `body` is the JSON text to send ("" for delete). */
export interface Success {
  readonly operation: Operation
  readonly body: string
}

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

// `AccessToken.find_by(token:) if token.present?`: a blank token finds nothing.
export const findApp = (state: State, token: string): AppRow | undefined =>
  token.trim() === "" ? undefined : state.apps.find((app) => app.token === token)

export const withUser = (state: State, user: UserRow): State => {
  const users = new Map(state.users)
  users.set(user.id, user)
  return { ...state, users, nextUserId: Math.max(state.nextUserId, user.id + 1) }
}

export const withPermission = (state: State, appId: number, userId: number): State => {
  const current = state.permissions.get(appId) ?? []
  if (current.includes(userId)) return state
  const permissions = new Map(state.permissions)
  permissions.set(appId, [...current, userId])
  return { ...state, permissions }
}

export const withMembership = (state: State, userId: number, membership: MembershipRow): State => {
  const current = (state.memberships.get(userId) ?? []).filter((row) => row.account_id !== membership.account_id)
  const memberships = new Map(state.memberships)
  memberships.set(userId, [...current, membership])
  return { ...state, memberships }
}

export const withApp = (state: State, app: Omit<AppRow, "id">): [AppRow, State] => {
  const row: AppRow = { id: state.nextAppId, ...app }
  return [row, { ...state, apps: [...state.apps, row], nextAppId: state.nextAppId + 1 }]
}

const withoutUser = (state: State, userId: number): State => {
  const users = new Map(state.users)
  users.delete(userId)
  const memberships = new Map(state.memberships)
  memberships.delete(userId)
  // The PlatformAppPermissible row stays, as in Chatwoot: the 404 comes first anyway.
  return { ...state, users, memberships }
}

const emailTaken = (state: State, email: string, exceptId?: number) => {
  for (const user of state.users.values()) {
    if (user.email === email && user.id !== exceptId) return true
  }
  return false
}

// `User.find(params[:id])`: ActiveModel's integer cast reads a leading integer ("12-abc" is 12), anything else is nil.
export const parseRecordId = (raw: string): number | undefined => {
  const match = /^\s*([+-]?\d+(?:_\d+)*)/.exec(raw)
  if (match === null) return undefined
  const id = Number(match[1]!.replace(/_/g, ""))
  return Number.isSafeInteger(id) ? id : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

/** `active_account_user`: `account_users.order('active_at DESC NULLS LAST').first`. */
const activeMembership = (memberships: ReadonlyArray<MembershipRow>): MembershipRow | undefined => {
  let best: MembershipRow | undefined
  for (const row of memberships) {
    const later = row.active_at !== null &&
      (best?.active_at === null || Date.parse(row.active_at) > Date.parse(best?.active_at ?? ""))
    if (best === undefined || later) best = row
  }
  return best
}

/** `_user.json.jbuilder`, in its key order (BEHAVIOUR.md §5). */
export const userJson = (state: State, user: UserRow): Record<string, unknown> => {
  const memberships = state.memberships.get(user.id) ?? []
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
    memberships.map((row) => ({ id: row.account_id, name: row.account_name, active_at: row.active_at, role: row.role }))
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
  if (!(state.permissions.get(app.id) ?? []).includes(user.id)) return fail({ _tag: "NonPermissible" })
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
