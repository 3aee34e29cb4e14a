/**
 * The request payloads of account create and update, and their client-side validation (PLATFORM.md §3.2, §3.3,
 * §8.3): each rule stops a request Chatwoot would answer with a 500, or accept with a surprise.
 *
 * @since 0.2.0
 */
import * as PayloadChecks from "@chatwoot-effect/contract/PayloadChecks"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { Account } from "./Account.js"
import { Features } from "./Account.js"
import * as Rules from "./internal/payloadRules.js"
import * as PlatformRules from "./PlatformRules.js"
import type { Validation } from "./PlatformUsersError.js"
import { JsonObject } from "./User.js"

const NonNegativeInt = Schema.Int.pipe(Schema.nonNegative())

/**
 * An account's `limits`, enforced by the Application API (EE). Chatwoot in EE mode rejects any other key.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const AccountLimits = Schema.Struct({
  inboxes: Schema.optional(NonNegativeInt),
  agents: Schema.optional(NonNegativeInt),
  captain_responses: Schema.optional(NonNegativeInt),
  captain_documents: Schema.optional(NonNegativeInt)
}).annotations({ identifier: "AccountLimits" })

/**
 * @since 0.2.0
 * @category Models
 */
export type AccountLimits = typeof AccountLimits.Type

const fields = {
  locale: Schema.optional(Schema.Literal(...PlatformRules.locales)),
  domain: Schema.optional(Schema.NullOr(Schema.String)),
  support_email: Schema.optional(Schema.NullOr(Schema.String)),
  status: Schema.optional(Schema.Literal(...PlatformRules.statuses)),
  /** Applied pair by pair after the other fields: `true` enables a flag, `false` disables it, others are kept. */
  features: Schema.optional(Features),
  limits: Schema.optional(AccountLimits),
  custom_attributes: Schema.optional(JsonObject)
}

/**
 * The body of `POST /accounts`: `name` is required. Chatwoot turns on its default flags first, then applies
 * `features` on top.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const CreateAccountPayload = Schema.Struct({ name: Schema.String, ...fields }).annotations({
  identifier: "CreateAccountPayload"
})

/**
 * @since 0.2.0
 * @category Models
 */
export type CreateAccountPayload = typeof CreateAccountPayload.Type

/**
 * The body of `PATCH /accounts/{id}`: every field optional, only what is sent changes. `custom_attributes` and
 * `limits` are **replaced whole** when sent (`{}` wipes them, Chatwoot's own keys such as `plan_name` included):
 * use {@link mergeUpdate} to keep the keys not sent.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const UpdateAccountPayload = Schema.Struct({ name: Schema.optional(Schema.String), ...fields }).annotations({
  identifier: "UpdateAccountPayload"
})

/**
 * @since 0.2.0
 * @category Models
 */
export type UpdateAccountPayload = typeof UpdateAccountPayload.Type

const knownKeys = Object.keys(CreateAccountPayload.fields)

/**
 * Checks a create payload against every rule of PLATFORM.md §8.3: `name` 1 to 255 characters and not blank;
 * `locale` one of the 39 enabled codes; `domain` at most 100 characters; `support_email` at most 100; `status`
 * `"active"` or `"suspended"`; `features` keys among the 59 flags with JSON boolean values; `limits` keys among the
 * four with non-negative integer values; `custom_attributes` and `limits` JSON objects. Returns the payload, or a
 * `Validation` (`accounts.create`, source `client`) naming every broken rule.
 *
 * @since 0.2.0
 * @category Validation
 */
export const validateCreate = (payload: CreateAccountPayload): Either.Either<CreateAccountPayload, Validation> =>
  Rules.toEither("accounts.create", PayloadChecks.accountIssues(payload, true), payload)

/**
 * Checks an update payload; see {@link validateCreate}. `name` is optional, but when sent it must not be blank.
 *
 * @since 0.2.0
 * @category Validation
 */
export const validateUpdate = (payload: UpdateAccountPayload): Either.Either<UpdateAccountPayload, Validation> =>
  Rules.toEither("accounts.update", PayloadChecks.accountIssues(payload, false), payload)

/**
 * Decodes untrusted input (a JSON object from a file or the command line) into a checked create payload. Unknown
 * fields are rejected, so a typo never turns into a silent no-op; messages never quote the values.
 *
 * @since 0.2.0
 * @category Validation
 */
export const decodeCreate = (input: unknown): Either.Either<CreateAccountPayload, Validation> =>
  Rules.decodeObject("accounts.create", input, knownKeys).pipe(
    Either.flatMap((object) => validateCreate(object as CreateAccountPayload))
  )

/**
 * Decodes untrusted input into a checked update payload; see {@link decodeCreate}.
 *
 * @since 0.2.0
 * @category Validation
 */
export const decodeUpdate = (input: unknown): Either.Either<UpdateAccountPayload, Validation> =>
  Rules.decodeObject("accounts.update", input, knownKeys).pipe(
    Either.flatMap((object) => validateUpdate(object as UpdateAccountPayload))
  )

/**
 * Read-merge-write for the two hashes Chatwoot replaces whole: the update payload that shallow-merges `patch`'s
 * `custom_attributes` and `limits` into those of `current` (a fresh read of the account; the patch's keys win).
 * A hash the patch does not send stays absent, which Chatwoot keeps as stored. Keys cannot be removed this way:
 * send the whole hash instead. Without a lock, a concurrent writer's change made between the read and the write is
 * lost. The result still goes through {@link validateUpdate} (a `limits` key stored by a CE server fails it).
 *
 * @since 0.2.0
 * @category Constructors
 */
export const mergeUpdate = (current: Account, patch: UpdateAccountPayload): UpdateAccountPayload =>
  PayloadChecks.mergeAccountUpdate(current, patch)
