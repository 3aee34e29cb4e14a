/**
 * The `PlatformAccounts` service: Chatwoot's Platform API accounts resource as typed Effects (PLATFORM.md §3).
 *
 * @since 1.0.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type { Account, AccountId } from "./Account.js"
import type { CreateAccountPayload, UpdateAccountPayload } from "./AccountPayload.js"
import type { CreateError, ListError, MemberError, UpdateError } from "./PlatformUsersError.js"

/**
 * @since 1.0.0
 * @category Models
 */
export interface Service {
  /**
   * `GET /accounts`: every account this platform app has a permission on (those it created), unordered and
   * unpaginated. On Chatwoot 4.9.1, once a deleted account's background job has run, the whole list is a 500
   * (F3, no fix known): a `ServerError` that lasts until the orphan permission row is removed, so never retry it.
   */
  readonly list: () => Effect.Effect<ReadonlyArray<Account>, ListError>
  /**
   * `POST /accounts`: creates the account with Chatwoot's default flags, then applies `features`, and grants this
   * app permission on it. No member is added. Not idempotent: every accepted create makes a new account, so after
   * a timeout or a 5xx reconcile through `list` (by a `custom_attributes` marker) rather than retrying.
   */
  readonly create: (payload: CreateAccountPayload) => Effect.Effect<Account, CreateError>
  /** `GET /accounts/{id}`. A suspended account is returned like any other. */
  readonly get: (id: AccountId) => Effect.Effect<Account, MemberError>
  /**
   * `PATCH /accounts/{id}`: sets the fields sent, then the flags sent. `custom_attributes` and `limits` are
   * **replaced whole** when sent (see `AccountPayload.mergeUpdate`). A failure changes nothing, earlier flags of
   * the same request included.
   */
  readonly update: (id: AccountId, payload: UpdateAccountPayload) => Effect.Effect<Account, UpdateError>
  /**
   * `DELETE /accounts/{id}`: schedules a background delete (memberships go, users stay). Until it has run, `get`
   * and another `delete` still succeed; afterwards they are a `NotFound`.
   */
  readonly delete: (id: AccountId) => Effect.Effect<void, MemberError>
}

/**
 * @since 1.0.0
 * @category Context
 */
export class PlatformAccounts
  extends Context.Service<PlatformAccounts, Service>()("@chatwoot-effect/core/PlatformAccounts")
{}
