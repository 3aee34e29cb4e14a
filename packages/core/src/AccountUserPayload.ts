/**
 * The request payloads of the account users routes, and their client-side validation (PLATFORM.md §4, §8.3).
 *
 * @since 0.2.0
 */
import * as PayloadChecks from "@chatwoot-effect/contract/PayloadChecks"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Rules from "./internal/payloadRules.js"
import * as PlatformRules from "./PlatformRules.js"
import type { Validation } from "./PlatformUsersError.js"
import { UserId } from "./User.js"

/**
 * The body of `POST /accounts/{account_id}/account_users`, an upsert: a new member gets `role` (`agent` when
 * omitted); an existing one gets the role when sent and keeps it otherwise.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const AddAccountUserPayload = Schema.Struct({
  user_id: UserId,
  role: Schema.optional(Schema.Literal(...PlatformRules.roles))
}).annotations({ identifier: "AddAccountUserPayload" })

/**
 * @since 0.2.0
 * @category Models
 */
export type AddAccountUserPayload = typeof AddAccountUserPayload.Type

/**
 * Checks an add payload: `user_id` a positive integer (Chatwoot answers 422 `User must exist` otherwise), `role`
 * `"agent"` or `"administrator"` when sent (anything else, `"admin"` included, is a 500). Returns the payload, or a
 * `Validation` (`accountUsers.add`, source `client`) naming every broken rule. Whether the user exists is for the
 * server to say.
 *
 * @since 0.2.0
 * @category Validation
 */
export const validateAdd = (payload: AddAccountUserPayload): Either.Either<AddAccountUserPayload, Validation> =>
  Rules.toEither("accountUsers.add", [
    ...PayloadChecks.userIdIssues(payload.user_id),
    ...PayloadChecks.roleIssues(payload.role)
  ], payload)

/**
 * Checks the `user_id` of a remove: a positive integer. Chatwoot answers 200 to a remove without one, removing
 * nobody, so a missing or broken id must fail here (`accountUsers.remove`, source `client`).
 *
 * @since 0.2.0
 * @category Validation
 */
export const validateRemove = (userId: UserId): Either.Either<UserId, Validation> =>
  Rules.toEither("accountUsers.remove", PayloadChecks.userIdIssues(userId), userId)

/**
 * Decodes untrusted input (a JSON object from a file or the command line) into a checked add payload. Unknown
 * fields are rejected; messages never quote the values.
 *
 * @since 0.2.0
 * @category Validation
 */
export const decodeAdd = (input: unknown): Either.Either<AddAccountUserPayload, Validation> =>
  Rules.decodeObject("accountUsers.add", input, Object.keys(AddAccountUserPayload.fields)).pipe(
    Either.flatMap((object) => validateAdd(object as AddAccountUserPayload))
  )

/**
 * Decodes an untrusted `user_id` for a remove; see {@link validateRemove}.
 *
 * @since 0.2.0
 * @category Validation
 */
export const decodeRemove = (userId: unknown): Either.Either<UserId, Validation> => validateRemove(userId as UserId)
