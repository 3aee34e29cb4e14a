/**
 * The request payloads of agent bot create and update, and their client-side validation (PLATFORM.md §5, §8.3).
 * Uploading an avatar file (multipart) is out of scope: `avatar_url` has Chatwoot fetch one.
 *
 * @since 0.2.0
 */
import * as PayloadChecks from "@chatwoot-effect/contract/PayloadChecks"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { AccountId } from "./Account.js"
import * as Rules from "./internal/payloadRules.js"
import type { Validation } from "./PlatformUsersError.js"

const fields = {
  name: Schema.optional(Schema.NullOr(Schema.String)),
  description: Schema.optional(Schema.NullOr(Schema.String)),
  /** The webhook URL. Chatwoot checks only its length (`"localhost"` passes). */
  outgoing_url: Schema.optional(Schema.NullOr(Schema.String)),
  /** Not checked by Chatwoot (any integer is stored); `null` or omitted makes a system bot, seen by every account. */
  account_id: Schema.optional(Schema.NullOr(AccountId)),
  /** An http(s) image URL Chatwoot fetches in the background (jpeg, png or gif, up to 15 MB); failures are silent. */
  avatar_url: Schema.optional(Schema.String)
}

/**
 * The body of `POST /agent_bots`. Chatwoot requires nothing (`{}` makes an all-null bot) and checks nothing for
 * uniqueness: every accepted create makes a new bot.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const CreateAgentBotPayload = Schema.Struct(fields).annotations({ identifier: "CreateAgentBotPayload" })

/**
 * @since 0.2.0
 * @category Models
 */
export type CreateAgentBotPayload = typeof CreateAgentBotPayload.Type

/**
 * The body of `PATCH /agent_bots/{id}`: only what is sent changes, and `null` clears a field.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const UpdateAgentBotPayload = Schema.Struct(fields).annotations({ identifier: "UpdateAgentBotPayload" })

/**
 * @since 0.2.0
 * @category Models
 */
export type UpdateAgentBotPayload = typeof UpdateAgentBotPayload.Type

const knownKeys = Object.keys(fields)

/**
 * Checks a create payload against PLATFORM.md §8.3: `name` and `description` at most 255 characters, `outgoing_url`
 * at most 2048, `account_id` a positive integer or `null`, `avatar_url` an http(s) URL. Returns the payload, or a
 * `Validation` (`agentBots.create`, source `client`) naming every broken rule.
 *
 * @since 0.2.0
 * @category Validation
 */
export const validateCreate = (payload: CreateAgentBotPayload): Either.Either<CreateAgentBotPayload, Validation> =>
  Rules.toEither("agentBots.create", PayloadChecks.agentBotIssues(payload), payload)

/**
 * Checks an update payload; see {@link validateCreate}.
 *
 * @since 0.2.0
 * @category Validation
 */
export const validateUpdate = (payload: UpdateAgentBotPayload): Either.Either<UpdateAgentBotPayload, Validation> =>
  Rules.toEither("agentBots.update", PayloadChecks.agentBotIssues(payload), payload)

/**
 * Decodes untrusted input (a JSON object from a file or the command line) into a checked create payload. Unknown
 * fields are rejected (`avatar`, `bot_type` and `bot_config` included: Chatwoot would drop them silently); messages
 * never quote the values.
 *
 * @since 0.2.0
 * @category Validation
 */
export const decodeCreate = (input: unknown): Either.Either<CreateAgentBotPayload, Validation> =>
  Rules.decodeObject("agentBots.create", input, knownKeys).pipe(
    Either.flatMap((object) => validateCreate(object as CreateAgentBotPayload))
  )

/**
 * Decodes untrusted input into a checked update payload; see {@link decodeCreate}.
 *
 * @since 0.2.0
 * @category Validation
 */
export const decodeUpdate = (input: unknown): Either.Either<UpdateAgentBotPayload, Validation> =>
  Rules.decodeObject("agentBots.update", input, knownKeys).pipe(
    Either.flatMap((object) => validateUpdate(object as UpdateAgentBotPayload))
  )
