/**
 * The `PlatformAgentBots` service: Chatwoot's Platform API agent bots resource as typed Effects (PLATFORM.md §5).
 *
 * @since 1.0.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type { AgentBot, AgentBotId } from "./AgentBot.js"
import type { CreateAgentBotPayload, UpdateAgentBotPayload } from "./AgentBotPayload.js"
import type { CreateError, ListError, MemberError, UpdateError } from "./PlatformUsersError.js"

/**
 * @since 1.0.0
 * @category Models
 */
export interface Service {
  /**
   * `GET /agent_bots`: the bots this platform app has a permission on (those it created), unordered and
   * unpaginated. On Chatwoot 4.9.1, once any of them is deleted the whole list is a 500 (F2, fixed by #14273): a
   * `ServerError` that lasts until the orphan permission rows are removed, so never retry it.
   */
  readonly list: () => Effect.Effect<ReadonlyArray<AgentBot>, ListError>
  /**
   * `POST /agent_bots`: creates the bot (nothing is required; `account_id` omitted or `null` makes a system bot,
   * seen by every account), queues the `avatar_url` fetch and grants this app permission on it. The answer holds
   * the bot's new `access_token`. Not idempotent: after a timeout or a 5xx reconcile through `list` (by name)
   * rather than retrying.
   */
  readonly create: (payload: CreateAgentBotPayload) => Effect.Effect<AgentBot, CreateError>
  /** `GET /agent_bots/{id}`. */
  readonly get: (id: AgentBotId) => Effect.Effect<AgentBot, MemberError>
  /** `PATCH /agent_bots/{id}`: sets the fields sent (`null` clears one), then queues the `avatar_url` fetch. */
  readonly update: (id: AgentBotId, payload: UpdateAgentBotPayload) => Effect.Effect<AgentBot, UpdateError>
  /**
   * `DELETE /agent_bots/{id}`: deletes at once (a `get` right after is a `NotFound`). On 4.9.1 this breaks `list`
   * (F2).
   */
  readonly delete: (id: AgentBotId) => Effect.Effect<void, MemberError>
  /** `DELETE /agent_bots/{id}/avatar`: removes the avatar, if any, and returns the bot. */
  readonly deleteAvatar: (id: AgentBotId) => Effect.Effect<AgentBot, MemberError>
}

/**
 * @since 1.0.0
 * @category Context
 */
export class PlatformAgentBots
  extends Context.Service<PlatformAgentBots, Service>()("@chatwoot-effect/core/PlatformAgentBots")
{}
