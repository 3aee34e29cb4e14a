/**
 * `chatwoot-platform account-users ...`: the members of an account (PLATFORM.md §4).
 *
 * @internal
 */
import * as Account from "@chatwoot-effect/core/Account"
import * as AccountUserPayload from "@chatwoot-effect/core/AccountUserPayload"
import * as PlatformAccountUsers from "@chatwoot-effect/core/PlatformAccountUsers"
import * as PlatformRules from "@chatwoot-effect/core/PlatformRules"
import * as User from "@chatwoot-effect/core/User"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Flags from "./flags.js"
import * as Render from "./render.js"
import { print, printEither, root, services } from "./root.js"

const accountId = Flags.idArg("account-id", "a Chatwoot account id", Account.AccountId)

const user = Flags.idOption(
  "user",
  "a Chatwoot user id",
  User.UserId,
  "The user's id (a positive integer): any user of the installation, whichever app manages it"
)

const listCommand = Command.make("list", { accountId }, ({ accountId }) =>
  Effect.gen(function*() {
    const accountUsers = yield* PlatformAccountUsers.PlatformAccountUsers
    const members = yield* accountUsers.list(accountId)
    yield* printEither({
      json: () => Render.accountUsersJson(members),
      text: () => Render.accountUsersText(accountId, members)
    })
  })).pipe(Command.withDescription("List an account's members, one a line: user id, role, availability"))

const addCommand = Command.make("add", {
  accountId,
  user,
  role: Options.choice("role", PlatformRules.roles).pipe(
    Options.withDescription("agent or administrator; a new member is an agent by default, a member keeps their role"),
    Options.optional
  )
}, (flags) =>
  Effect.gen(function*() {
    const accountUsers = yield* PlatformAccountUsers.PlatformAccountUsers
    const payload = yield* Flags.validated(AccountUserPayload.validateAdd({
      user_id: flags.user,
      ...(Option.isSome(flags.role) ? { role: flags.role.value } : {})
    }))
    const member = yield* accountUsers.add(flags.accountId, payload)
    yield* printEither({ json: () => Render.accountUserJson(member), text: () => Render.accountUserText(member) })
  })).pipe(
    Command.withDescription(
      "Add a user to an account, or change a member's role (Chatwoot's add is an upsert: run it again with " +
        "another --role)"
    )
  )

const removeCommand = Command.make("remove", { accountId, user }, (flags) =>
  Effect.gen(function*() {
    const accountUsers = yield* PlatformAccountUsers.PlatformAccountUsers
    const global = yield* root
    const userId = yield* Flags.validated(AccountUserPayload.validateRemove(flags.user))
    yield* accountUsers.remove(flags.accountId, userId)
    yield* print(
      global.json
        ? JSON.stringify({ account_id: flags.accountId, user_id: userId, removed: true })
        : `Removed user ${userId} from account ${flags.accountId} (the user stays; Chatwoot gives the same answer ` +
          "when they were not a member)."
    )
  })).pipe(
    Command.withDescription(
      "Remove a user from an account (and from its teams and inboxes; the user stays). Succeeds for a non-member too."
    )
  )

/** @internal */
export const accountUsersCommand = Command.make("account-users").pipe(
  Command.withDescription("List an account's members, add one or change their role, remove one"),
  Command.withSubcommands([listCommand, addCommand, removeCommand]),
  Command.provide(services)
)
