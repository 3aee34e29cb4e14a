/**
 * `chatwoot-platform agent-bots ...`: Chatwoot's Platform API agent bots (PLATFORM.md §5). A bot's access token (its
 * own Application-API key) is a secret: text output shows it only with `--show-token`; `--json` prints Chatwoot's
 * body as sent, the token included.
 *
 * @internal
 */
import * as Account from "@chatwoot-effect/core/Account"
import * as AgentBot from "@chatwoot-effect/core/AgentBot"
import * as AgentBotPayload from "@chatwoot-effect/core/AgentBotPayload"
import * as PlatformAgentBots from "@chatwoot-effect/core/PlatformAgentBots"
import * as PlatformRules from "@chatwoot-effect/core/PlatformRules"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ExitCode from "../ExitCode.js"
import * as Flags from "./flags.js"
import * as Render from "./render.js"
import { print, printEither, root, services } from "./root.js"

const botId = Flags.idArg("id", "a Chatwoot agent bot id", AgentBot.AgentBotId)

const showToken = Options.boolean("show-token").pipe(
  Options.withDescription(
    "Also print the bot's access token (its own Application-API key, a secret) in the text output; --json always " +
      "includes it"
  )
)

const printBot = (bot: AgentBot.AgentBot, showToken: boolean) =>
  printEither({ json: () => Render.agentBotJson(bot), text: () => Render.agentBotText(bot, showToken) })

const listCommand = Command.make("list", {}, () =>
  Effect.gen(function*() {
    const bots = yield* PlatformAgentBots.PlatformAgentBots
    const list = yield* bots.list()
    yield* printEither({ json: () => Render.agentBotsJson(list), text: () => Render.agentBotsText(list) })
  })).pipe(
    Command.withDescription(
      "List the agent bots this platform app may manage (those it created), one a line: id, name, account " +
        "(never a token in text; --json prints Chatwoot's bodies, tokens included)"
    )
  )

const getCommand = Command.make("get", { id: botId, showToken }, ({ id, showToken }) =>
  Effect.gen(function*() {
    const bots = yield* PlatformAgentBots.PlatformAgentBots
    yield* printBot(yield* bots.get(id), showToken)
  })).pipe(Command.withDescription("Show an agent bot (its access token only with --show-token or --json)"))

const deleteCommand = Command.make("delete", { id: botId }, ({ id }) =>
  Effect.gen(function*() {
    const bots = yield* PlatformAgentBots.PlatformAgentBots
    const global = yield* root
    yield* bots.delete(id)
    yield* print(global.json ? JSON.stringify({ id, deleted: true }) : `Deleted agent bot ${id}.`)
  })).pipe(Command.withDescription("Delete an agent bot (at once)"))

const deleteAvatarCommand = Command.make(
  "delete-avatar",
  { id: botId, showToken },
  ({ id, showToken }) =>
    Effect.gen(function*() {
      const bots = yield* PlatformAgentBots.PlatformAgentBots
      yield* printBot(yield* bots.deleteAvatar(id), showToken)
    })
).pipe(Command.withDescription("Remove an agent bot's avatar, if it has one, and show the bot"))

// ---- payload flags ----------------------------------------------------------

const flags = (mode: "create" | "update") => ({
  description: Options.text("description").pipe(
    Options.withDescription(`What the bot does (at most ${PlatformRules.botLimits.description} characters)`),
    Options.optional
  ),
  outgoingUrl: Options.text("outgoing-url").pipe(
    Options.withDescription(
      `The webhook URL Chatwoot posts the bot's events to (at most ${PlatformRules.botLimits.outgoingUrl} ` +
        "characters; Chatwoot checks no format)"
    ),
    Options.optional
  ),
  account: Flags.idOption(
    "account",
    "a Chatwoot account id",
    Account.AccountId,
    mode === "create"
      ? "The account the bot belongs to; without it the bot is a system bot, which every account sees"
      : "The account the bot belongs to (see --clear-account)"
  ).pipe(Options.optional),
  avatarUrl: Options.text("avatar-url").pipe(
    Options.withDescription(
      "An http(s) URL of a jpeg, png or gif image (at most 15 MB) that Chatwoot fetches in the background; a " +
        "failed fetch is silent"
    ),
    Options.optional
  ),
  showToken
})

const nameDescription = `The bot's name (at most ${PlatformRules.botLimits.name} characters)`

const createCommand = Command.make("create", {
  name: Options.text("name").pipe(Options.withDescription(nameDescription)),
  ...flags("create")
}, (flags) =>
  Effect.gen(function*() {
    const bots = yield* PlatformAgentBots.PlatformAgentBots
    const payload = yield* Flags.validated(AgentBotPayload.decodeCreate({
      name: flags.name,
      ...Flags.field("description", flags.description),
      ...Flags.field("outgoing_url", flags.outgoingUrl),
      ...Flags.field("account_id", flags.account),
      ...Flags.field("avatar_url", flags.avatarUrl)
    }))
    yield* printBot(yield* bots.create(payload), flags.showToken)
  })).pipe(
    Command.withDescription(
      "Create an agent bot; this platform app may then manage it. Chatwoot makes its access token, printed only " +
        "with --show-token or --json. Every create makes a new bot: after a timeout, check agent-bots list " +
        "before trying again."
    )
  )

const updateCommand = Command.make("update", {
  id: botId,
  name: Options.text("name").pipe(Options.withDescription(nameDescription), Options.optional),
  ...flags("update"),
  clearDescription: Options.boolean("clear-description").pipe(
    Options.withDescription("Remove the description (sends description: null)")
  ),
  clearOutgoingUrl: Options.boolean("clear-outgoing-url").pipe(
    Options.withDescription("Remove the webhook URL (sends outgoing_url: null)")
  ),
  clearAccount: Options.boolean("clear-account").pipe(
    Options.withDescription("Make the bot a system bot, which every account sees (sends account_id: null)")
  )
}, (flags) =>
  Effect.gen(function*() {
    const bots = yield* PlatformAgentBots.PlatformAgentBots
    if (Option.isSome(flags.account) && flags.clearAccount) {
      return yield* new ExitCode.UsageError({
        message: "--account and --clear-account contradict each other: pass one of them"
      })
    }
    const input = {
      ...Flags.field("name", flags.name),
      ...(yield* Flags.clearable("description", "description", flags.description, flags.clearDescription)),
      ...(yield* Flags.clearable("outgoing_url", "outgoing-url", flags.outgoingUrl, flags.clearOutgoingUrl)),
      ...(flags.clearAccount ? { account_id: null } : Flags.field("account_id", flags.account)),
      ...Flags.field("avatar_url", flags.avatarUrl)
    }
    if (Object.keys(input).length === 0) {
      return yield* new ExitCode.UsageError({
        message: "Nothing to update: pass at least one of --name, --description, --clear-description, " +
          "--outgoing-url, --clear-outgoing-url, --account, --clear-account or --avatar-url"
      })
    }
    const payload = yield* Flags.validated(AgentBotPayload.decodeUpdate(input))
    yield* printBot(yield* bots.update(flags.id, payload), flags.showToken)
  })).pipe(Command.withDescription("Update an agent bot: only the fields given change"))

/** @internal */
export const agentBotsCommand = Command.make("agent-bots").pipe(
  Command.withDescription(
    "List, create, show, update and delete agent bots, remove their avatars (a bot's token is printed only on " +
      "request)"
  ),
  Command.withSubcommands([
    listCommand,
    createCommand,
    getCommand,
    updateCommand,
    deleteCommand,
    deleteAvatarCommand
  ]),
  Command.provide(services)
)
