/**
 * The agent bot as Chatwoot's Platform API sends it (PLATFORM.md §5.1).
 *
 * @since 1.0.0
 */
import * as Schema from "effect/Schema"
import { JsonObject } from "./User.js"

/**
 * A Chatwoot agent bot id: a positive integer.
 *
 * @since 1.0.0
 * @category Schemas
 */
export const AgentBotId = Schema.Int.check(Schema.isGreaterThan(0)).pipe(
  Schema.brand("@chatwoot-effect/core/AgentBotId")
)

/**
 * @since 1.0.0
 * @category Models
 */
export type AgentBotId = typeof AgentBotId.Type

/**
 * A Chatwoot agent bot (`_agent_bot.json.jbuilder`): the six keys Chatwoot sends, in its order, then the four the
 * published spec adds and Chatwoot never sends (`thumbnail`, `bot_type`, `bot_config`, `system_bot`).
 *
 * `outgoing_url` is passed through as sent. On Chatwoot 4.9.1 it holds the bot's **name** (F1: the partial reads
 * `resource.name`; the stored URL still drives the webhooks), fixed upstream by #13827; do not read it as a URL.
 *
 * `access_token` is the bot's own Application-API key, on every read. It is a secret, held as `Redacted`: printing,
 * logging or `JSON.stringify`-ing a bot shows `<redacted>`; encoding with the schema gives it back.
 *
 * `account_id` is a plain integer, not an `AccountId`: Chatwoot stores whatever it was given (a non-numeric string
 * becomes 0), and `null` marks a system bot.
 *
 * @since 1.0.0
 * @category Schemas
 */
export class AgentBot extends Schema.Class<AgentBot>("@chatwoot-effect/core/AgentBot")({
  id: AgentBotId,
  name: Schema.optional(Schema.NullOr(Schema.String)),
  description: Schema.optional(Schema.NullOr(Schema.String)),
  outgoing_url: Schema.optional(Schema.NullOr(Schema.String)),
  account_id: Schema.optional(Schema.NullOr(Schema.Int)),
  access_token: Schema.optional(Schema.RedactedFromValue(Schema.String)),
  thumbnail: Schema.optional(Schema.String),
  /** A string in the spec's `agent_bot`, an integer in its payload. */
  bot_type: Schema.optional(Schema.Union([Schema.String, Schema.Int])),
  bot_config: Schema.optional(JsonObject),
  system_bot: Schema.optional(Schema.Boolean)
}) {}
