/**
 * `chatwoot-platform provision ...`: one person into an account with a role (`Provisioning.provision`), or a whole
 * file of them with the bulk engine (`BulkProvision`), optionally as a sync (`--prune`). See docs/provisioning.md.
 *
 * @internal
 */
import * as Account from "@chatwoot-effect/core/Account"
import * as PlatformRules from "@chatwoot-effect/core/PlatformRules"
import * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as Provisioning from "@chatwoot-effect/core/Provisioning"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as BulkProvision from "../BulkProvision.js"
import * as ExitCode from "../ExitCode.js"
import * as BulkCommand from "./bulkCommand.js"
import * as Flags from "./flags.js"
import { printEither, services } from "./root.js"
import { readPasswordStdin } from "./stdin.js"

const line = (label: string, value: unknown) => `${(label + ":").padEnd(19)} ${value}`

const membershipText = (membership: string, role: string, accountId: number) => {
  switch (membership) {
    case "added":
      return `added: ${role} of account ${accountId}`
    case "role_changed":
      return `role changed: now ${role} of account ${accountId}`
    default:
      return `unchanged: already ${role} of account ${accountId}`
  }
}

const userText = (result: Provisioning.ProvisionResult, passwordGiven: boolean) => {
  const who = `user ${result.userId} (${result.email})`
  switch (result.user) {
    case "created":
      return `created: ${who}${
        passwordGiven
          ? ""
          : `; its password is random and was never shown: sign in through ${
            result.loginUrl === undefined ? "an SSO link (--login-url)" : "the login link below"
          }`
      }`
    case "claimed":
      return `claimed: ${who} already existed, as wanted; this platform app may now manage it`
    case "updated":
      return `updated: ${who}: ${result.updated.join(", ")}`
    case "unchanged":
      return `unchanged: ${who} already as wanted`
  }
}

/**
 * What provision did, step by step, for people.
 *
 * @internal
 */
export const resultText = (result: Provisioning.ProvisionResult, passwordGiven: boolean): string =>
  [
    line("user", userText(result, passwordGiven)),
    line("membership", membershipText(result.membership, result.role, result.accountId)),
    ...(result.loginUrl !== undefined ? [line("login url", `${result.loginUrl.url} (single use, 5 minutes)`)] : []),
    line("requests", result.requests)
  ].join("\n")

/**
 * What provision did, as one JSON line: the status word a bulk run's result line would say, then the same fields,
 * the login link's URL when asked. Never the password.
 *
 * @internal
 */
export const resultJson = (result: Provisioning.ProvisionResult): string =>
  JSON.stringify({
    status: BulkProvision.statusOf(result),
    email: result.email,
    ...BulkProvision.provisionFields(result, result.requests),
    ...(result.loginUrl !== undefined ? { login_url: result.loginUrl.url } : {})
  })

/**
 * A dry run's plan for people.
 *
 * @internal
 */
export const planText = (plan: Provisioning.ProvisionPlan): string => {
  if (plan._tag === "Undecided") {
    return [
      line("dry run", "nothing sent"),
      line("undecided", plan.reason),
      line("requests", `at most ${plan.maxRequests}`)
    ].join("\n")
  }
  const who = `user ${plan.userId} (${plan.email})`
  return [
    line("dry run", "nothing sent"),
    line("user", plan.user === "updated" ? `would update ${who}: ${plan.updated.join(", ")}` : `unchanged: ${who}`),
    line(
      "membership",
      plan.membership === "role_changed"
        ? `would change the role: ${plan.role} of account ${plan.accountId}`
        : `unchanged: already ${plan.role} of account ${plan.accountId}`
    ),
    line("requests", plan.requests)
  ].join("\n")
}

/**
 * A dry run's plan as one JSON line, as a bulk dry run's result line would say it.
 *
 * @internal
 */
export const planJson = (plan: Provisioning.ProvisionPlan): string =>
  JSON.stringify(
    plan._tag === "Undecided"
      ? {
        status: "undecided",
        email: plan.email,
        account_id: plan.accountId,
        role: plan.role,
        membership: "added",
        reason: plan.reason,
        max_requests: plan.maxRequests,
        dryRun: true
      }
      : {
        status: BulkProvision.statusOf(plan),
        email: plan.email,
        user_id: plan.userId,
        account_id: plan.accountId,
        role: plan.role,
        user: plan.user,
        membership: plan.membership,
        updated: plan.updated,
        requests: plan.requests,
        dryRun: true
      }
  )

// The core's checks name the input's fields; the command's are the flags.
const flagOf: Readonly<Record<string, string>> = {
  email: "--email",
  name: "--name",
  displayName: "--display-name",
  customAttributes: "--custom-attribute",
  password: "--password-stdin",
  accountId: "--account",
  role: "--role",
  loginUrl: "--login-url"
}

const bulkFlags = BulkCommand.flags({
  file: "Provision the people of an NDJSON (.ndjson/.jsonl) or CSV (.csv) file: email, name, display_name, " +
    "account_id, role, custom_attributes, action (provision or deprovision); one NDJSON result line per record on " +
    "stdout, a summary on stderr",
  inFlight: "people"
})

const usage = (message: string) => new ExitCode.UsageError({ message })

/** @internal */
export const provisionCommand = Command.make("provision", {
  email: Options.text("email").pipe(
    Options.withDescription("The person's email: their user is found by it, or created (Chatwoot lowercases it)"),
    Options.optional
  ),
  name: Options.text("name").pipe(Options.withDescription("The user's full name"), Options.optional),
  account: Flags.idOption(
    "account",
    "a Chatwoot account id",
    Account.AccountId,
    "The account the person joins (a positive integer)"
  ).pipe(Options.optional),
  role: Options.choice("role", PlatformRules.roles).pipe(
    Options.withDescription(
      "agent or administrator; without it a new member is an agent and an existing one keeps its role"
    ),
    Options.optional
  ),
  displayName: Options.text("display-name").pipe(
    Options.withDescription("The user's display name"),
    Options.optional
  ),
  customAttribute: Options.text("custom-attribute").pipe(
    Options.withDescription("KEY=VALUE, repeatable; the value is a string. Only the keys given are compared and set"),
    Options.repeated
  ),
  customAttributes: Options.text("custom-attributes").pipe(
    Options.withDescription("A JSON object, e.g. '{\"team\":\"support\"}'; only its keys are compared and set"),
    Options.optional
  ),
  passwordStdin: Options.boolean("password-stdin").pipe(
    Options.withDescription(
      "A new user's password, from the first line of standard input (never from argv); without it a new user " +
        "gets a random one nobody sees (they sign in through SSO). An existing user's password is never changed"
    )
  ),
  loginUrl: Options.boolean("login-url").pipe(
    Options.withDescription("Also print a single-use SSO login link for the person (valid 5 minutes)")
  ),
  ...bulkFlags,
  prune: Flags.idOption(
    "prune",
    "a Chatwoot account id",
    Account.AccountId,
    "With --file: also remove the members of this account the file does not list (the membership only; never an " +
      "administrator unless --prune-administrators)"
  ).pipe(Options.optional),
  pruneAdministrators: Options.boolean("prune-administrators").pipe(
    Options.withDescription("With --prune: administrators the file does not list are removed too")
  )
}, (flags) =>
  Effect.gen(function*() {
    const single = Option.isSome(flags.email) || Option.isSome(flags.name) || Option.isSome(flags.account) ||
      Option.isSome(flags.role) || Option.isSome(flags.displayName) || flags.customAttribute.length > 0 ||
      Option.isSome(flags.customAttributes) || flags.passwordStdin || flags.loginUrl
    if (flags.pruneAdministrators && Option.isNone(flags.prune)) {
      return yield* usage("--prune-administrators needs --prune ACCOUNT_ID (and --file FILE)")
    }
    if (Option.isSome(flags.file)) {
      if (single) {
        return yield* usage(
          "--file provisions the people listed in the file: do not also pass --email, --name, --account, --role, " +
            "--display-name, --custom-attribute(s), --password-stdin or --login-url"
        )
      }
      const prune = Option.getOrUndefined(flags.prune)
      return yield* BulkCommand.run(
        flags.file.value,
        flags,
        (options) => BulkProvision.run({ ...options, prune, pruneAdministrators: flags.pruneAdministrators })
      )
    }
    if (Option.isSome(flags.prune)) return yield* usage("--prune needs --file FILE: it removes who the file omits")
    const bulkOnly = [
      Option.isSome(flags.format) ? "--format" : undefined,
      Option.isSome(flags.rate) ? "--rate" : undefined,
      Option.isSome(flags.journal) ? "--journal" : undefined
    ].filter((flag) => flag !== undefined)
    if (bulkOnly.length > 0) return yield* usage(`${bulkOnly.join(", ")}: only with --file FILE`)
    const missing = [
      Option.isNone(flags.email) ? "--email" : undefined,
      Option.isNone(flags.name) ? "--name" : undefined,
      Option.isNone(flags.account) ? "--account" : undefined
    ].filter((flag) => flag !== undefined)
    if (Option.isNone(flags.email) || Option.isNone(flags.name) || Option.isNone(flags.account)) {
      return yield* usage(
        `Missing ${missing.join(", ")}: provision --email EMAIL --name NAME --account ACCOUNT_ID (or --file FILE)`
      )
    }
    const attributes = yield* Flags.parseCustomAttributes(flags.customAttributes, flags.customAttribute)
    const password: Redacted.Redacted | undefined = flags.passwordStdin ? yield* readPasswordStdin : undefined
    const input: Provisioning.ProvisionInput = {
      email: flags.email.value,
      name: flags.name.value,
      accountId: flags.account.value,
      ...(Option.isSome(flags.role) ? { role: flags.role.value } : {}),
      ...(Option.isSome(flags.displayName) ? { displayName: flags.displayName.value } : {}),
      ...(Option.isSome(attributes) ? { customAttributes: attributes.value } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(flags.loginUrl ? { loginUrl: true } : {})
    }
    // Checked here to name the flags; the service checks again (and would name its fields).
    const checked = Provisioning.validateProvisionInput(input)
    if (Either.isLeft(checked)) {
      const issues = checked.left.issues.map((issue) =>
        new PlatformUsersError.ValidationIssue({ ...issue, field: flagOf[issue.field] ?? issue.field })
      )
      return yield* new PlatformUsersError.Validation({
        operation: checked.left.operation,
        source: "client",
        attributes: [...new Set(issues.map((issue) => issue.field))],
        issues
      })
    }
    const provisioning = yield* Provisioning.make
    if (flags.dryRun) {
      const plan = yield* provisioning.plan(checked.right)
      return yield* printEither({ json: () => planJson(plan), text: () => planText(plan) })
    }
    const result = yield* provisioning.provision(checked.right)
    yield* printEither({ json: () => resultJson(result), text: () => resultText(result, password !== undefined) })
  })).pipe(
    Command.withDescription(
      "Provision a person in one step: find or create their user by email, bring name, display name and custom " +
        "attributes to the values given (one update, only when something differs), make them a member of the " +
        "account with the role (only when missing or different), and optionally print an SSO login link. A rerun " +
        "changes nothing and sends one request. With --file, a whole team from a CSV or NDJSON file; with --prune, " +
        "a sync that also removes the account's members the file does not list."
    ),
    Command.provide(services)
  )
