/**
 * The typed error of the `Provisioning` service, the outcomes of its steps and what the steps before a failure did.
 * None of them ever holds a password.
 *
 * @since 1.0.0
 */
import * as Provisioning from "@chatwoot-effect/contract/Provisioning"
import * as Schema from "effect/Schema"
import { PlatformUsersError } from "./PlatformUsersError.js"
import { UserId } from "./User.js"

/**
 * What provisioning did to the user record. `created`: the user came back from create with no account and exactly
 * the fields sent (Chatwoot cannot tell whether create found or made it; see `Provisioning.Service.provision`).
 * `claimed`: it already existed, needed no update and was not yet a member of the account. `updated`: one update
 * brought it to the wanted values. `unchanged`: it already was as wanted and already a member of the account.
 *
 * @since 1.0.0
 * @category Models
 */
export const UserOutcome = Schema.Literals(Provisioning.userOutcomes)

/**
 * @since 1.0.0
 * @category Models
 */
export type UserOutcome = typeof UserOutcome.Type

/**
 * What provisioning did to the membership: `added` (it was missing), `role_changed` (it had another role),
 * `unchanged`.
 *
 * @since 1.0.0
 * @category Models
 */
export const MembershipOutcome = Schema.Literals(Provisioning.membershipOutcomes)

/**
 * @since 1.0.0
 * @category Models
 */
export type MembershipOutcome = typeof MembershipOutcome.Type

/**
 * What deprovisioning did to the membership: `removed`, or `unchanged` (not a member, or no such user among the
 * members).
 *
 * @since 1.0.0
 * @category Models
 */
export const RemovalOutcome = Schema.Literals(Provisioning.removalOutcomes)

/**
 * @since 1.0.0
 * @category Models
 */
export type RemovalOutcome = typeof RemovalOutcome.Type

/**
 * The operation of the `Provisioning` service that failed.
 *
 * @since 1.0.0
 * @category Models
 */
export const ProvisioningOperation = Schema.Literals(Provisioning.operations)

/**
 * @since 1.0.0
 * @category Models
 */
export type ProvisioningOperation = typeof ProvisioningOperation.Type

/**
 * The step that failed. `input`: the input broke a rule, nothing was sent. Provision: `user` (create),
 * `update`, `membership` (account user add), `loginUrl`. Reads: `members` (the account's member list), `lookup` (a
 * member's user). Deprovision: `remove` (the membership), `deleteUser`.
 *
 * @since 1.0.0
 * @category Models
 */
export const ProvisioningStep = Schema.Literals(Provisioning.steps)

/**
 * @since 1.0.0
 * @category Models
 */
export type ProvisioningStep = typeof ProvisioningStep.Type

/**
 * What the steps before a failure did: the partial result. Each field is present once its step succeeded.
 *
 * @since 1.0.0
 * @category Models
 */
export class ProvisioningProgress extends Schema.Class<ProvisioningProgress>(
  "@chatwoot-effect/core/ProvisioningProgress"
)({
  /** The user's id, once known. */
  userId: Schema.optional(UserId),
  /** Provision: the user step's outcome (a failed update leaves `claimed`: the user existed, the app holds it). */
  user: Schema.optional(UserOutcome),
  /** Provision: the fields the update carried, once sent. */
  updated: Schema.optional(Schema.Array(Schema.String)),
  /** Provision: the membership step's outcome; deprovision: the removal's. */
  membership: Schema.optional(Schema.Union([MembershipOutcome, RemovalOutcome])),
  /** The requests sent, the failed one included. */
  requests: Schema.Int
}) {}

/**
 * A `Provisioning` operation failed: which operation, for whom, at which step, the underlying Platform API error
 * (`cause`: its `_tag` and message) and what the earlier steps already did (`done`). Never holds a password.
 *
 * @since 1.0.0
 * @category Errors
 */
export class ProvisioningError
  extends Schema.TaggedError<ProvisioningError>("@chatwoot-effect/core/ProvisioningError")("ProvisioningError", {
    operation: ProvisioningOperation,
    step: ProvisioningStep,
    /** The account, once the input is valid. */
    accountId: Schema.optional(Schema.Int),
    /** The person's email (normalised), once the input is valid and when given. */
    email: Schema.optional(Schema.String),
    cause: PlatformUsersError,
    done: ProvisioningProgress
  })
{
  get message(): string {
    return Provisioning.errorMessage(this)
  }
}
