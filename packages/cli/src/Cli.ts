/**
 * The `chatwoot-platform` command line: Chatwoot's Platform API users, accounts, account members and agent bots from
 * a shell, provisioning people into accounts (one, or a file of them as a sync), and a local emulator.
 *
 * @since 0.1.0
 */
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import * as User from "@chatwoot-effect/core/User"
import * as UserPayload from "@chatwoot-effect/core/UserPayload"
import * as PlatformUsersEmulator from "@chatwoot-effect/http/PlatformUsersEmulator"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Prompt from "@effect/cli/Prompt"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as BulkUpdate from "./BulkUpdate.js"
import * as ExitCode from "./ExitCode.js"
import { accountsCommand } from "./internal/accountsCommand.js"
import { accountUsersCommand } from "./internal/accountUsersCommand.js"
import { agentBotsCommand } from "./internal/agentBotsCommand.js"
import * as BulkCommand from "./internal/bulkCommand.js"
import * as CommandLine from "./internal/commandLine.js"
import * as Emulator from "./internal/emulator.js"
import * as Flags from "./internal/flags.js"
import * as ParserConsole from "./internal/parserConsole.js"
import { provisionCommand } from "./internal/provisionCommand.js"
import * as Render from "./internal/render.js"
import { print, root, services } from "./internal/root.js"
import { readPasswordStdin, Stdin } from "./internal/stdin.js"

/**
 * @since 0.1.0
 * @category Constants
 */
export const version = "0.1.0"

// =============================================================================
// users
// =============================================================================

const userId = Flags.idArg("id", "a Chatwoot user id", User.UserId)

const printUser = (user: User.User) =>
  Effect.flatMap(root, (global) => print(global.json ? Render.userJson(user) : Render.userText(user)))

const getCommand = Command.make("get", { id: userId }, ({ id }) =>
  Effect.gen(function*() {
    const users = yield* PlatformUsers.PlatformUsers
    yield* printUser(yield* users.get(id))
  })).pipe(Command.withDescription("Show a user"))

const deleteCommand = Command.make("delete", { id: userId }, ({ id }) =>
  Effect.gen(function*() {
    const users = yield* PlatformUsers.PlatformUsers
    const global = yield* root
    yield* users.delete(id)
    yield* print(
      global.json
        ? JSON.stringify({ id, deleted: true })
        : `Deleted user ${id} (Chatwoot removes the user in the background).`
    )
  })).pipe(Command.withDescription("Delete a user"))

const loginUrlCommand = Command.make("login-url", { id: userId }, ({ id }) =>
  Effect.gen(function*() {
    const users = yield* PlatformUsers.PlatformUsers
    const global = yield* root
    const link = yield* users.loginUrl(id)
    yield* print(global.json ? Render.ssoLinkJson(link) : link.url)
  })).pipe(Command.withDescription("Print a single-use SSO login link for the user (valid 5 minutes)"))

const tokenCommand = Command.make("token", { id: userId }, ({ id }) =>
  Effect.gen(function*() {
    const users = yield* PlatformUsers.PlatformUsers
    const global = yield* root
    const token = yield* users.token(id)
    yield* print(global.json ? Render.userTokenJson(token) : Render.userTokenText(token))
  })).pipe(Command.withDescription("Print the user's own API access token"))

// ---- payload flags ----------------------------------------------------------

const name = Options.text("name").pipe(Options.withDescription("The user's full name"))
const email = Options.text("email").pipe(Options.withDescription("The user's email (Chatwoot lowercases it)"))
const displayName = Options.text("display-name").pipe(Options.withDescription("The user's display name"))
const clearDisplayName = Options.boolean("clear-display-name").pipe(
  Options.withDescription("Remove the display name (sends display_name: null)")
)
const customAttribute = Options.text("custom-attribute").pipe(
  Options.withDescription("KEY=VALUE, repeatable; the value is a string. Merged into the user's custom attributes"),
  Options.repeated
)
const customAttributes = Options.text("custom-attributes").pipe(
  Options.withDescription("A JSON object, e.g. '{\"plan\":\"pro\"}'. Merged into the user's custom attributes"),
  Options.optional
)
const passwordStdin = Options.boolean("password-stdin").pipe(
  Options.withDescription("Read the password from the first line of standard input (never from argv)")
)

const promptPassword = (message: string) =>
  Prompt.password({ message }).pipe(
    Effect.catchTag("QuitException", () => new ExitCode.UsageError({ message: "Password prompt cancelled" }))
  )

// ---- create -----------------------------------------------------------------

const createCommand = Command.make("create", {
  name,
  email,
  displayName: Options.optional(displayName),
  customAttribute,
  customAttributes,
  passwordStdin
}, (flags) =>
  Effect.gen(function*() {
    const users = yield* PlatformUsers.PlatformUsers
    const attributes = yield* Flags.parseCustomAttributes(flags.customAttributes, flags.customAttribute)
    const stdin = yield* Stdin
    const password = flags.passwordStdin
      ? yield* readPasswordStdin
      : stdin.isTTY
      ? yield* promptPassword("Password for the new user")
      : yield* new ExitCode.UsageError({
        message: "No password: pipe it with --password-stdin, or run on a terminal to be prompted for it"
      })
    const payload = yield* Flags.validated(UserPayload.validateCreate({
      name: flags.name,
      email: flags.email,
      password,
      ...(Option.isSome(flags.displayName) ? { display_name: flags.displayName.value } : {}),
      ...(Option.isSome(attributes) ? { custom_attributes: attributes.value } : {})
    }))
    yield* printUser(yield* users.create(payload))
  })).pipe(
    Command.withDescription(
      "Create a user, or claim an existing one with the same email (Chatwoot returns it unchanged). " +
        "The password comes from --password-stdin or a hidden prompt, never from argv."
    )
  )

// ---- update -----------------------------------------------------------------

const bulkFlags = BulkCommand.flags({
  file: "Bulk update: an NDJSON (.ndjson/.jsonl) or CSV (.csv) file of records {id, name, email, ...}; one NDJSON " +
    "result line per record on stdout, a summary on stderr",
  inFlight: "updates"
})

const updateCommand = Command.make("update", {
  id: Args.optional(userId),
  name: Options.optional(name),
  email: Options.optional(email),
  displayName: Options.optional(displayName),
  clearDisplayName,
  customAttribute,
  customAttributes,
  passwordStdin,
  passwordPrompt: Options.boolean("password-prompt").pipe(
    Options.withDescription("Ask for a new password with a hidden prompt (needs a terminal)")
  ),
  ...bulkFlags
}, (flags) =>
  Effect.gen(function*() {
    const users = yield* PlatformUsers.PlatformUsers
    const single = Option.isSome(flags.name) || Option.isSome(flags.email) || Option.isSome(flags.displayName) ||
      flags.clearDisplayName || flags.customAttribute.length > 0 || Option.isSome(flags.customAttributes) ||
      flags.passwordStdin || flags.passwordPrompt
    if (Option.isSome(flags.file)) {
      if (Option.isSome(flags.id) || single) {
        return yield* new ExitCode.UsageError({
          message: "--file updates the users listed in the file: do not also pass an id or field flags"
        })
      }
      return yield* BulkCommand.run(flags.file.value, flags, BulkUpdate.run)
    }
    if (Option.isNone(flags.id)) {
      return yield* new ExitCode.UsageError({
        message: "Missing user id: users update ID --name ... (or --file FILE for a bulk update)"
      })
    }
    const id = flags.id.value
    if (Option.isSome(flags.displayName) && flags.clearDisplayName) {
      return yield* new ExitCode.UsageError({
        message: "--display-name and --clear-display-name contradict each other: pass one of them"
      })
    }
    if (flags.passwordStdin && flags.passwordPrompt) {
      return yield* new ExitCode.UsageError({
        message: "--password-stdin and --password-prompt contradict each other: pass one of them"
      })
    }
    const attributes = yield* Flags.parseCustomAttributes(flags.customAttributes, flags.customAttribute)
    const password = flags.passwordStdin
      ? Option.some(yield* readPasswordStdin)
      : flags.passwordPrompt
      ? Option.some(yield* promptPassword(`New password for user ${id}`))
      : Option.none()
    const payload: UserPayload.UpdateUserPayload = {
      ...(Option.isSome(flags.name) ? { name: flags.name.value } : {}),
      ...(Option.isSome(flags.displayName)
        ? { display_name: flags.displayName.value }
        : flags.clearDisplayName
        ? { display_name: null }
        : {}),
      ...(Option.isSome(flags.email) ? { email: flags.email.value } : {}),
      ...(Option.isSome(password) ? { password: password.value } : {}),
      ...(Option.isSome(attributes) ? { custom_attributes: attributes.value } : {})
    }
    if (Object.keys(payload).length === 0) {
      return yield* new ExitCode.UsageError({
        message: "Nothing to update: pass at least one of --name, --display-name, --clear-display-name, --email, " +
          "--custom-attribute, --custom-attributes, --password-stdin or --password-prompt (or --file FILE)"
      })
    }
    yield* printUser(yield* users.update(id, yield* Flags.validated(UserPayload.validateUpdate(payload))))
  })).pipe(
    Command.withDescription(
      "Update a user: only the fields given change; custom attributes are merged into the existing ones. " +
        "With --file, update many users from an NDJSON or CSV file."
    )
  )

// ---- the group ----------------------------------------------------------------

const usersCommand = Command.make("users").pipe(
  Command.withDescription("Get, create, update and delete users; print login links and user tokens"),
  Command.withSubcommands([getCommand, createCommand, updateCommand, deleteCommand, loginUrlCommand, tokenCommand]),
  Command.provide(services)
)

// =============================================================================
// emulator
// =============================================================================

const emulatorCommand = Command.make("emulator", {
  host: Options.text("host").pipe(
    Options.withDescription("Address to listen on (loopback by default)"),
    Options.withDefault("127.0.0.1")
  ),
  port: Options.integer("port").pipe(
    Options.withDescription("Port to listen on; 0 picks a free one"),
    Options.withDefault(3000)
  ),
  platformTokens: Options.text("platform-token").pipe(
    Options.withDescription(
      "A platform app token the emulator accepts (repeatable); by default one is made and printed"
    ),
    Options.repeated
  ),
  frontendUrl: Options.text("frontend-url").pipe(
    Options.withDescription("Chatwoot's FRONTEND_URL, the prefix of SSO login links"),
    Options.optional
  ),
  seed: Options.text("seed").pipe(
    Options.withDescription(
      "JSON file of apps, accounts, agent bots and users (with their memberships) to start with (see docs/seed.md)"
    ),
    Options.optional
  ),
  rateLimit: Options.integer("rate-limit").pipe(
    Options.withDescription("Answer 429 past this many requests a minute per client IP (off by default)"),
    Options.optional
  )
}, (flags) =>
  Effect.gen(function*() {
    if (flags.port < 0 || flags.port > 65535) {
      return yield* new ExitCode.UsageError({ message: `--port must be between 0 and 65535, got ${flags.port}` })
    }
    const seed = Option.isSome(flags.seed) ? yield* Emulator.loadSeed(flags.seed.value) : undefined
    const { emulator, url } = yield* PlatformUsersEmulator.serve({
      host: flags.host,
      port: flags.port,
      platformTokens: flags.platformTokens.length > 0 ? flags.platformTokens : undefined,
      frontendUrl: Option.getOrUndefined(flags.frontendUrl),
      seed,
      rateLimit: Option.getOrUndefined(flags.rateLimit)
    })
    // A token the emulator made up is a throwaway test token: showing it is the only way to use it.
    if (flags.platformTokens.length === 0 && (seed === undefined || seed.apps.length === 0)) {
      for (const token of emulator.tokens) yield* Console.log(`platform token: ${token}`)
    }
    yield* Console.log(`listening on ${url}`)
    return yield* Effect.never
  }).pipe(Effect.scoped)).pipe(
    Command.withDescription(
      "Serve an emulator of Chatwoot's Platform API (users, accounts, account users, agent bots) until " +
        "SIGINT/SIGTERM (in memory, nothing kept)"
    )
  )

// =============================================================================
// The program
// =============================================================================

/**
 * The whole command tree, with its requirements un-provided.
 *
 * @since 0.1.0
 * @category Commands
 */
export const command = root.pipe(
  Command.withSubcommands([
    usersCommand,
    accountsCommand,
    accountUsersCommand,
    agentBotsCommand,
    provisionCommand,
    emulatorCommand
  ]),
  Command.transformHandler(ParserConsole.commandConsole)
)

/**
 * Parses `argv` (including the leading `node script` entries) and runs the command. Fails with the command's typed
 * error; see {@link main} for the exit code.
 *
 * @since 0.1.0
 * @category Commands
 */
export const cli = Command.run(command, { name: "chatwoot-platform", version })

// Derived from `command` at the first command line that needs it. `undefined`: not derivable (see `grammarOf`).
let grammar: CommandLine.Grammar | undefined | null = null

const commandLine = (args: ReadonlyArray<string>): CommandLine.Normalized => {
  if (CommandLine.isPlain(args)) return { _tag: "Args", args }
  if (grammar === null) grammar = CommandLine.grammarOf(command.descriptor)
  return grammar === undefined ? { _tag: "Args", args } : CommandLine.normalize(grammar, args)
}

/**
 * Runs {@link cli} and reports any failure as one sentence on stderr; succeeds with the exit code (see `ExitCode`).
 * The command line is checked and put in order first (global options anywhere, see `internal/commandLine.ts`), and
 * @effect/cli's own output is made plain (see `internal/parserConsole.ts`).
 *
 * @since 0.1.0
 * @category Commands
 */
export const main = (argv: ReadonlyArray<string>) =>
  Effect.suspend(() => {
    const line = commandLine(argv.slice(2))
    if (line._tag === "Invalid") return new ExitCode.UsageError({ message: line.message })
    return Effect.flatMap(ParserConsole.colour, (colour) =>
      Console.consoleWith((console) =>
        Console.withConsole(cli([...argv.slice(0, 2), ...line.args]), ParserConsole.parserConsole(console, colour))
      ))
  }).pipe(
    Effect.as<ExitCode.ExitCode>(ExitCode.ExitCode.Ok),
    Effect.catchAll(ExitCode.report),
    Effect.catchAllDefect(ExitCode.report)
  )
