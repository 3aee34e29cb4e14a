/**
 * `chatwoot-platform accounts ...`: Chatwoot's Platform API accounts (PLATFORM.md §3).
 *
 * @internal
 */
import * as Account from "@chatwoot-effect/core/Account"
import * as AccountPayload from "@chatwoot-effect/core/AccountPayload"
import * as PlatformAccounts from "@chatwoot-effect/core/PlatformAccounts"
import * as PlatformRules from "@chatwoot-effect/core/PlatformRules"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as ExitCode from "../ExitCode.js"
import * as Flags from "./flags.js"
import * as Render from "./render.js"
import { print, printEither, root, services } from "./root.js"

const accountId = Flags.idArg("id", "a Chatwoot account id", Account.AccountId)

const printAccount = (account: Account.Account) =>
  printEither({ json: () => Render.accountJson(account), text: () => Render.accountText(account) })

const listCommand = Command.make("list", {}, () =>
  Effect.gen(function*() {
    const accounts = yield* PlatformAccounts.PlatformAccounts
    const list = yield* accounts.list()
    yield* printEither({ json: () => Render.accountsJson(list), text: () => Render.accountsText(list) })
  })).pipe(
    Command.withDescription(
      "List the accounts this platform app may manage (those it created), one a line: id, name, status, locale"
    )
  )

const getCommand = Command.make("get", { id: accountId }, ({ id }) =>
  Effect.gen(function*() {
    const accounts = yield* PlatformAccounts.PlatformAccounts
    yield* printAccount(yield* accounts.get(id))
  })).pipe(Command.withDescription("Show an account (a suspended one too)"))

const deleteCommand = Command.make("delete", { id: accountId }, ({ id }) =>
  Effect.gen(function*() {
    const accounts = yield* PlatformAccounts.PlatformAccounts
    const global = yield* root
    yield* accounts.delete(id)
    yield* print(
      global.json
        ? JSON.stringify({ id, deleted: true })
        : `Deleted account ${id} (Chatwoot removes it and its memberships in the background; the users stay).`
    )
  })).pipe(
    Command.withDescription(
      "Delete an account: Chatwoot schedules it, removing its memberships (users stay); until the job has run, " +
        "get still shows it"
    )
  )

// ---- payload flags ----------------------------------------------------------

const flagsFor = (mode: "create" | "update") => {
  const replaced = (what: string) =>
    mode === "update"
      ? ` Replaces the account's ${what} whole (keys not given are removed, Chatwoot's own such as plan_name ` +
        "included) unless --merge is given."
      : ""
  return {
    locale: Options.text("locale").pipe(
      Options.withDescription(
        `One of Chatwoot's ${PlatformRules.locales.length} locale codes: ${PlatformRules.locales.join(" ")} ` +
          "(pt_BR, never pt-BR)"
      ),
      Options.optional
    ),
    domain: Options.text("domain").pipe(
      Options.withDescription(`The account's domain (at most ${PlatformRules.maxLengths.domain} characters)`),
      Options.optional
    ),
    supportEmail: Options.text("support-email").pipe(
      Options.withDescription(
        `The support email (at most ${PlatformRules.maxLengths.supportEmailColumn} characters); without one ` +
          "Chatwoot shows the installation's sender"
      ),
      Options.optional
    ),
    status: Options.choice("status", PlatformRules.statuses).pipe(
      Options.withDescription("active or suspended (a suspended account's agents and widget are locked out)"),
      Options.optional
    ),
    feature: Options.text("feature").pipe(
      Options.withDescription(
        "NAME=on or NAME=off (also true/false), repeatable: turns one of Chatwoot's feature flags on or off " +
          "(e.g. --feature help_center=on); flags not given keep their state" +
          (mode === "create" ? " (a new account starts with Chatwoot's default flags)" : "")
      ),
      Options.repeated
    ),
    limit: Options.text("limit").pipe(
      Options.withDescription(
        `KEY=N, repeatable: a limit (${PlatformRules.limitKeys.join(", ")}), N a non-negative integer.` +
          replaced("limits")
      ),
      Options.repeated
    ),
    customAttribute: Options.text("custom-attribute").pipe(
      Options.withDescription("KEY=VALUE, repeatable; the value is a string." + replaced("custom attributes")),
      Options.repeated
    ),
    customAttributes: Options.text("custom-attributes").pipe(
      Options.withDescription(
        "A JSON object, e.g. '{\"plan\":\"pro\"}'; each --custom-attribute goes on top of it." +
          replaced("custom attributes")
      ),
      Options.optional
    )
  }
}

type PayloadFlags = {
  readonly locale: Option.Option<string>
  readonly status: Option.Option<string>
  readonly feature: ReadonlyArray<string>
  readonly limit: ReadonlyArray<string>
  readonly customAttribute: ReadonlyArray<string>
  readonly customAttributes: Option.Option<string>
}

/** The fields every form of the payload shares, as untrusted input for the payload's decoder. */
const commonFields = (flags: PayloadFlags) =>
  Effect.gen(function*() {
    const features = yield* Flags.parseFeatures(flags.feature)
    const limits = yield* Flags.parseLimits(flags.limit)
    const attributes = yield* Flags.parseCustomAttributes(flags.customAttributes, flags.customAttribute)
    return {
      ...Flags.field("locale", flags.locale),
      ...Flags.field("status", flags.status),
      ...Flags.field("features", features),
      ...Flags.field("limits", limits),
      ...Flags.field("custom_attributes", attributes)
    }
  })

// ---- create -----------------------------------------------------------------

const createCommand = Command.make("create", {
  name: Options.text("name").pipe(
    Options.withDescription(`The account's name (1 to ${PlatformRules.maxLengths.name} characters)`)
  ),
  ...flagsFor("create")
}, (flags) =>
  Effect.gen(function*() {
    const accounts = yield* PlatformAccounts.PlatformAccounts
    const payload = yield* Flags.validated(AccountPayload.decodeCreate({
      name: flags.name,
      ...Flags.field("domain", flags.domain),
      ...Flags.field("support_email", flags.supportEmail),
      ...(yield* commonFields(flags))
    }))
    yield* printAccount(yield* accounts.create(payload))
  })).pipe(
    Command.withDescription(
      "Create an account (with Chatwoot's default feature flags, then the --feature flags on top); this platform " +
        "app may then manage it. No member is added: see account-users add. Every create makes a new account: " +
        "after a timeout, check accounts list before trying again."
    )
  )

// ---- update -----------------------------------------------------------------

const updateCommand = Command.make("update", {
  id: accountId,
  name: Options.text("name").pipe(
    Options.withDescription(`The account's name (1 to ${PlatformRules.maxLengths.name} characters)`),
    Options.optional
  ),
  ...flagsFor("update"),
  clearDomain: Options.boolean("clear-domain").pipe(Options.withDescription("Remove the domain (sends domain: null)")),
  clearSupportEmail: Options.boolean("clear-support-email").pipe(
    Options.withDescription("Remove the support email (sends support_email: null)")
  ),
  merge: Options.boolean("merge").pipe(
    Options.withDescription(
      "Keep the keys of custom attributes and limits that are not given: read the account, merge, then write " +
        "(a change another client makes in between is lost)"
    )
  )
}, (flags) =>
  Effect.gen(function*() {
    const accounts = yield* PlatformAccounts.PlatformAccounts
    const input = {
      ...Flags.field("name", flags.name),
      ...(yield* Flags.clearable("domain", "domain", flags.domain, flags.clearDomain)),
      ...(yield* Flags.clearable("support_email", "support-email", flags.supportEmail, flags.clearSupportEmail)),
      ...(yield* commonFields(flags))
    }
    if (Object.keys(input).length === 0) {
      return yield* new ExitCode.UsageError({
        message: "Nothing to update: pass at least one of --name, --locale, --domain, --clear-domain, " +
          "--support-email, --clear-support-email, --status, --feature, --limit, --custom-attribute or " +
          "--custom-attributes"
      })
    }
    // Checked before the read of --merge too: a bad flag sends nothing at all.
    const patch = yield* Flags.validated(AccountPayload.decodeUpdate(input))
    const merging = flags.merge && (patch.custom_attributes !== undefined || patch.limits !== undefined)
    const payload = merging
      ? yield* Flags.validated(AccountPayload.validateUpdate(
        AccountPayload.mergeUpdate(yield* accounts.get(flags.id), patch)
      ))
      : patch
    yield* printAccount(yield* accounts.update(flags.id, payload))
  })).pipe(
    Command.withDescription(
      "Update an account: only the fields given change, and flags not given keep their state. Custom attributes " +
        "and limits are replaced whole (Chatwoot's rule), unless --merge keeps the keys not given."
    )
  )

/** @internal */
export const accountsCommand = Command.make("accounts").pipe(
  Command.withDescription("List, create, show, update and delete accounts"),
  Command.withSubcommands([listCommand, createCommand, getCommand, updateCommand, deleteCommand]),
  Command.provide(services)
)
