/**
 * An account membership as Chatwoot's Platform API account users routes send it (PLATFORM.md §4.1).
 *
 * @since 1.0.0
 */
import * as Schema from "effect/Schema"
import { AccountId } from "./Account.js"
import { UserId } from "./User.js"

/**
 * One user's membership of an account: the `account_users` row as Rails' `as_json` renders it, every column in
 * database order, times as ISO-8601 UTC strings with milliseconds, enums as strings.
 *
 * The published spec's `account_user` is only `{account_id, user_id, role}`, so every other key is optional. Chatwoot
 * adds columns without notice (they appear in the JSON at once): unknown keys are accepted and dropped. `role` and
 * `availability` are not checked against their enums, the server being the authority.
 *
 * @since 1.0.0
 * @category Schemas
 */
export class AccountUser extends Schema.Class<AccountUser>("@chatwoot-effect/core/AccountUser")({
  id: Schema.optional(Schema.Int),
  account_id: AccountId,
  user_id: UserId,
  /** `"agent"`, `"administrator"` or `null` (acts as agent). */
  role: Schema.optional(Schema.NullOr(Schema.String)),
  inviter_id: Schema.optional(Schema.NullOr(Schema.Int)),
  created_at: Schema.optional(Schema.String),
  updated_at: Schema.optional(Schema.String),
  /** `null` until the user was active in the account. */
  active_at: Schema.optional(Schema.NullOr(Schema.String)),
  /** `"online"` (the default), `"offline"` or `"busy"`. */
  availability: Schema.optional(Schema.String),
  auto_offline: Schema.optional(Schema.Boolean),
  custom_role_id: Schema.optional(Schema.NullOr(Schema.Int)),
  agent_capacity_policy_id: Schema.optional(Schema.NullOr(Schema.Int))
}) {}
