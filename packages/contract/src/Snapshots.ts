/**
 * The records of the in-memory server as tests see them (snapshots): users, their memberships, accounts, account users
 * and agent bots. The secrets (an app's token, a bot's access token) are a type parameter, so each edition chooses its
 * own wrapper for them (`Redacted` in both).
 *
 * @since 0.1.0
 */
import type { AccountStatus, Locale, Role } from "./PlatformRules.js"

/**
 * A platform app of the in-memory server.
 *
 * @since 0.1.0
 * @category Models
 */
export interface AppInfoOf<Token> {
  readonly id: number
  readonly name: string
  readonly token: Token
}

/**
 * One of a user's memberships, as the user JSON's `accounts[]` shows it.
 *
 * @since 0.1.0
 * @category Models
 */
export interface MembershipSnapshot {
  readonly id: number
  readonly name: string
  readonly role: Role | null
  readonly active_at: string | null
}

/**
 * A user as stored, for assertions. The password is never exposed.
 *
 * @since 0.1.0
 * @category Models
 */
export interface UserSnapshot {
  readonly id: number
  readonly name: string
  readonly display_name: string | null
  readonly email: string
  readonly uid: string
  readonly provider: "email"
  readonly access_token: string
  readonly pubsub_token: string
  readonly confirmed: boolean
  readonly custom_attributes: Readonly<Record<string, unknown>>
  readonly accounts: ReadonlyArray<MembershipSnapshot>
  /** Names of the apps with permission on this user. */
  readonly apps: ReadonlyArray<string>
}

/**
 * An account as stored, for assertions.
 *
 * @since 0.1.0
 * @category Models
 */
export interface AccountSnapshot {
  readonly id: number
  readonly name: string
  readonly locale: Locale | null
  readonly domain: string | null
  /** The stored value (the JSON shows the fallback sender when it is blank). */
  readonly support_email: string | null
  readonly status: AccountStatus | null
  /** The enabled flags, in `config/features.yml` order. */
  readonly features: ReadonlyArray<string>
  /** As Postgres gives it back (jsonb key order). */
  readonly custom_attributes: Readonly<Record<string, unknown>>
  readonly limits: Readonly<Record<string, unknown>>
  /** Names of the apps with a permission row on this account (none for an unknown-flag orphan). */
  readonly apps: ReadonlyArray<string>
  /** Its delete is queued (`accountDelete: "deferred"`) and has not run. */
  readonly deletePending: boolean
}

/**
 * An `account_users` row, every column as the API renders it (times ISO-8601 UTC with milliseconds).
 *
 * @since 0.1.0
 * @category Models
 */
export interface AccountUserSnapshot {
  readonly id: number
  readonly account_id: number
  readonly user_id: number
  readonly role: Role | null
  readonly inviter_id: number | null
  readonly created_at: string
  readonly updated_at: string
  readonly active_at: string | null
  readonly availability: "online" | "offline" | "busy"
  readonly auto_offline: boolean
  readonly custom_role_id: number | null
  readonly agent_capacity_policy_id: number | null
}

/**
 * An agent bot as stored, for assertions; `Token` is how its access token (a secret) is held.
 *
 * @since 0.1.0
 * @category Models
 */
export interface AgentBotSnapshotOf<Token> {
  readonly id: number
  readonly name: string | null
  readonly description: string | null
  readonly outgoing_url: string | null
  readonly account_id: number | null
  readonly access_token: Token
  /** The attached avatar: its size and the content type sniffed from its bytes. */
  readonly avatar: { readonly byteSize: number; readonly contentType: string } | null
  /** The URLs given as `avatar_url`, in order (Chatwoot queues a download job for each; it is not run here). */
  readonly avatar_url_jobs: ReadonlyArray<string>
  /** Names of the apps with a permission row on this bot. */
  readonly apps: ReadonlyArray<string>
}
