/**
 * The `PlatformAccountUsers` service: the members of an account through Chatwoot's Platform API (PLATFORM.md §4).
 * Every call checks the platform app's permission on the **account**; the user is never checked.
 *
 * @since 1.0.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type { AccountId } from "./Account.js"
import type { AccountUser } from "./AccountUser.js"
import type { AddAccountUserPayload } from "./AccountUserPayload.js"
import type { MemberError, UpdateError, Validation } from "./PlatformUsersError.js"
import type { UserId } from "./User.js"

/**
 * @since 1.0.0
 * @category Models
 */
export interface Service {
  /** `GET /accounts/{account_id}/account_users`: every member, whoever added them; unordered, unpaginated. */
  readonly list: (accountId: AccountId) => Effect.Effect<ReadonlyArray<AccountUser>, MemberError>
  /**
   * `POST /accounts/{account_id}/account_users`: an upsert. A new member gets the role sent (`agent` by default);
   * an existing one gets the role when sent and keeps it otherwise, with no other effect. Any user of the
   * installation can be added by id, and the agent limit is not checked. An unknown user is a server `Validation`
   * (`User must exist`). Safe to retry.
   */
  readonly add: (accountId: AccountId, payload: AddAccountUserPayload) => Effect.Effect<AccountUser, UpdateError>
  /**
   * `DELETE /accounts/{account_id}/account_users?user_id=…`: removes the membership and takes the user off the
   * account's teams and inboxes (the user stays). Chatwoot answers 200 even for a non-member, so removing a
   * non-member succeeds; a `user_id` that is not a positive integer fails with a client `Validation`, as Chatwoot
   * would silently remove nobody.
   */
  readonly remove: (accountId: AccountId, userId: UserId) => Effect.Effect<void, MemberError | Validation>
}

/**
 * @since 1.0.0
 * @category Context
 */
export class PlatformAccountUsers
  extends Context.Service<PlatformAccountUsers, Service>()("@chatwoot-effect/core/PlatformAccountUsers")
{}
