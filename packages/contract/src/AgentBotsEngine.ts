/**
 * Chatwoot's agent_bots endpoints as pure state transitions (PLATFORM.md §5), with the upstream fixes the emulator
 * follows: `outgoing_url` shows the stored URL (F1, #13827) and a delete removes the bot's permission rows (F2,
 * #14273), so the index is never a 500.
 *
 * @since 0.1.0
 */
import type { AgentBotRow, AppRow, AvatarRow, Entropy, Outcome, State } from "./Engine.js"
import * as Engine from "./Engine.js"
import type { ResourceOperation } from "./Operations.js"
import * as PlatformRules from "./PlatformRules.js"
import type { AgentBotParams, Params } from "./RailsParams.js"
import { castInteger, isUploadedFile, permitAgentBotParams, rubyBlank } from "./RailsParams.js"
import { toRailsJson } from "./RailsText.js"
import type { RuleViolation } from "./UserRules.js"
import type { ServerFailure } from "./Wire.js"

/**
 * @since 0.1.0
 */
export const agentBotMessages = {
  nameTooLong: `Name is too long (maximum is ${PlatformRules.botLimits.name} characters)`,
  descriptionTooLong: `Description is too long (maximum is ${PlatformRules.botLimits.description} characters)`,
  avatarTooBig: "Avatar is too big",
  avatarFiletype: "Avatar filetype not supported",
  outgoingUrlTooLong: `Outgoing url is too long (maximum is ${PlatformRules.botLimits.outgoingUrl} characters)`
} as const

type Result = [Outcome, State | undefined]

const fail = (failure: ServerFailure): Result => [{ _tag: "Failure", failure }, undefined]
const succeed = (operation: ResourceOperation, body: string, state?: State): Result => [
  { _tag: "Success", success: { operation, body } },
  state
]

const length = (text: string) => Array.from(text).length

/**
 * `_agent_bot.json.jbuilder`, in its key order, with the stored `outgoing_url` (F1 fixed).
 *
 * @since 0.1.0
 */
export const agentBotJson = (bot: AgentBotRow): Record<string, unknown> => ({
  id: bot.id,
  name: bot.name,
  description: bot.description,
  outgoing_url: bot.outgoing_url,
  account_id: bot.account_id,
  access_token: bot.access_token
})

const startsWith = (bytes: Uint8Array, prefix: ReadonlyArray<number>) =>
  bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte)

const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0))

/**
 * The content type Active Storage identifies from the bytes, for the three types `Avatarable` accepts.
 *
 * @since 0.1.0
 */
export const sniffImage = (bytes: Uint8Array): string | undefined =>
  startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    ? "image/png"
    : startsWith(bytes, [0xff, 0xd8, 0xff])
    ? "image/jpeg"
    : startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))
    ? "image/gif"
    : undefined

const acceptedAvatarTypes: ReadonlyArray<string> = ["image/jpeg", "image/png", "image/gif"]

/**
 * The 422s of a save, in Chatwoot's order (§5.5).
 *
 * @since 0.1.0
 */
export const agentBotViolations = (bot: AgentBotRow): Array<RuleViolation> => {
  const violations: Array<RuleViolation> = []
  if (bot.name !== null && length(bot.name) > PlatformRules.botLimits.name) {
    violations.push({ field: "name", rule: "max_length", message: agentBotMessages.nameTooLong })
  }
  if (bot.description !== null && length(bot.description) > PlatformRules.botLimits.description) {
    violations.push({ field: "description", rule: "max_length", message: agentBotMessages.descriptionTooLong })
  }
  if (bot.avatar !== null) {
    if (bot.avatar.byteSize > PlatformRules.botLimits.avatarBytes) {
      violations.push({ field: "avatar", rule: "max_bytes", message: agentBotMessages.avatarTooBig })
    }
    if (!acceptedAvatarTypes.includes(bot.avatar.contentType)) {
      violations.push({ field: "avatar", rule: "content_type", message: agentBotMessages.avatarFiletype })
    }
  }
  if (bot.outgoing_url !== null && length(bot.outgoing_url) > PlatformRules.botLimits.outgoingUrl) {
    violations.push({ field: "outgoing_url", rule: "max_length", message: agentBotMessages.outgoingUrlTooLong })
  }
  return violations
}

type Assigned = { readonly _tag: "Ok"; readonly bot: AgentBotRow } | { readonly _tag: "Error" }

/**
 * `assign_attributes` of the permitted params (`avatar_url` excepted). An avatar is a multipart file; `nil` or `""`
 * detaches it; any other value is read as a signed blob id, which raises. An `account_id` beyond bigint fails on
 * write.
 */
const assign = (bot: AgentBotRow, permitted: AgentBotParams): Assigned => {
  let next: AgentBotRow = {
    ...bot,
    ...(permitted.name === undefined ? {} : { name: permitted.name }),
    ...(permitted.description === undefined ? {} : { description: permitted.description }),
    ...(permitted.outgoing_url === undefined ? {} : { outgoing_url: permitted.outgoing_url })
  }
  if (permitted.account_id !== undefined) {
    const accountId = castInteger(permitted.account_id)
    if (accountId === "unsafe") return { _tag: "Error" }
    next = { ...next, account_id: accountId }
  }
  if (permitted.avatar !== undefined) {
    const avatar = permitted.avatar
    if (isUploadedFile(avatar)) {
      const row: AvatarRow = {
        byteSize: avatar.bytes.length,
        contentType: sniffImage(avatar.bytes) ?? "application/octet-stream"
      }
      next = { ...next, avatar: row }
    } else if (avatar === null || avatar === "") {
      next = { ...next, avatar: null }
    } else {
      return { _tag: "Error" }
    }
  }
  return { _tag: "Ok", bot: next }
}

// `Avatar::AvatarFromUrlJob.perform_later(bot, url) if params[:avatar_url].present?`
const queueAvatarJob = (bot: AgentBotRow, permitted: AgentBotParams): AgentBotRow =>
  permitted.avatar_url === undefined || rubyBlank(permitted.avatar_url)
    ? bot
    : { ...bot, avatar_url_jobs: [...bot.avatar_url_jobs, String(permitted.avatar_url)] }

// `save!` / `update!`, then the avatar job: the saved bot, or the failure (nothing saved).
const save = (bot: AgentBotRow, permitted: AgentBotParams): Result | AgentBotRow => {
  const assigned = assign(bot, permitted)
  if (assigned._tag === "Error") return fail({ _tag: "InternalServerError" })
  const violations = agentBotViolations(assigned.bot)
  if (violations.length > 0) return fail({ _tag: "RecordInvalid", violations })
  return queueAvatarJob(assigned.bot, permitted)
}

const createAgentBot = (state: State, app: AppRow, params: Params, entropy: Entropy): Result => {
  const permitted = permitAgentBotParams(params)
  const blank: AgentBotRow = {
    id: state.nextAgentBotId,
    name: null,
    description: null,
    outgoing_url: null,
    account_id: null,
    access_token: entropy.botToken,
    avatar: null,
    avatar_url_jobs: []
  }
  const saved = save(blank, permitted)
  if (Array.isArray(saved)) return saved
  const next = Engine.withBotPermission(Engine.withAgentBot(state, saved), app.id, saved.id)
  return succeed("agentBots.create", toRailsJson(agentBotJson(saved)), next)
}

const updateAgentBot = (state: State, bot: AgentBotRow, params: Params): Result => {
  const saved = save(bot, permitAgentBotParams(params))
  if (Array.isArray(saved)) return saved
  return succeed("agentBots.update", toRailsJson(agentBotJson(saved)), Engine.withAgentBot(state, saved))
}

/** The bots this app holds a permission row on. A deleted bot leaves none (F2 fixed); a stray one is skipped. */
const listAgentBots = (state: State, app: AppRow): Result =>
  succeed(
    "agentBots.list",
    toRailsJson(
      (state.botPermissions.get(app.id) ?? []).flatMap((id) => {
        const bot = state.agentBots.get(id)
        return bot === undefined ? [] : [agentBotJson(bot)]
      })
    )
  )

/**
 * @since 0.1.0
 */
export type AgentBotOperation =
  | "agentBots.list"
  | "agentBots.create"
  | "agentBots.get"
  | "agentBots.update"
  | "agentBots.delete"
  | "agentBots.deleteAvatar"

/**
 * Runs one agent-bots action; `botId` is the raw `:id` path segment.
 *
 * @since 0.1.0
 */
export const runAgentBots = (
  state: State,
  app: AppRow,
  request: {
    readonly operation: AgentBotOperation
    readonly botId: string | undefined
    readonly params: Params
  },
  entropy: Entropy
): Result => {
  switch (request.operation) {
    case "agentBots.list":
      return listAgentBots(state, app)
    case "agentBots.create":
      return createAgentBot(state, app, request.params, entropy)
  }
  const id = request.botId === undefined ? undefined : Engine.parseRecordId(request.botId)
  const bot = id === undefined ? undefined : state.agentBots.get(id)
  if (bot === undefined) return fail({ _tag: "NotFound" })
  if (!Engine.isGranted(state.botPermissions, app.id, bot.id)) return fail({ _tag: "NonPermissible" })
  switch (request.operation) {
    case "agentBots.get":
      return succeed("agentBots.get", toRailsJson(agentBotJson(bot)))
    case "agentBots.update":
      return updateAgentBot(state, bot, request.params)
    case "agentBots.delete":
      return succeed("agentBots.delete", "", Engine.withoutAgentBot(state, bot.id))
    case "agentBots.deleteAvatar": {
      const purged: AgentBotRow = { ...bot, avatar: null }
      return succeed("agentBots.deleteAvatar", toRailsJson(agentBotJson(purged)), Engine.withAgentBot(state, purged))
    }
  }
}
