/**
 * The `Provisioning` service: "this person joins account 7 as an agent", safely and repeatably, over the Platform
 * services (`PlatformUsers`, `PlatformAccountUsers`), so it runs on the live layer and the in-memory layer alike.
 * Provision brings a person to the wanted state with the fewest requests (exactly one for a person already as
 * wanted), deprovision removes a membership, and the plans compute the same decisions from reads only (dry runs).
 *
 * @since 0.3.0
 */
import * as ProfileDecisions from "@chatwoot-effect/contract/Provisioning"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { AccountId } from "./Account.js"
import type { AccountUser } from "./AccountUser.js"
import * as AccountUserPayload from "./AccountUserPayload.js"
import * as Rules from "./internal/payloadRules.js"
import { PlatformAccountUsers } from "./PlatformAccountUsers.js"
import * as PlatformRules from "./PlatformRules.js"
import { PlatformUsers } from "./PlatformUsers.js"
import type { MemberError, Operation, PlatformUsersError, Validation } from "./PlatformUsersError.js"
import type { ProvisioningOperation, ProvisioningStep } from "./ProvisioningError.js"
import {
  MembershipOutcome,
  ProvisioningError,
  ProvisioningProgress,
  RemovalOutcome,
  UserOutcome
} from "./ProvisioningError.js"
import type { User } from "./User.js"
import { CustomAttributes, SsoLink, UserId } from "./User.js"
import * as UserPayload from "./UserPayload.js"
import * as UserRules from "./UserRules.js"

/**
 * An account-user role: `"agent"` or `"administrator"`.
 *
 * @since 0.3.0
 * @category Schemas
 */
export const Role = Schema.Literal(...PlatformRules.roles)

/**
 * @since 0.3.0
 * @category Models
 */
export type Role = typeof Role.Type

/**
 * What a person should be: a user with these fields, member of `accountId` with `role`. Without a `role`, a new
 * membership is an agent and an existing one keeps its role (as Chatwoot's own upsert does), so a file without roles
 * never demotes an administrator.
 * `displayName` and `customAttributes` are compared only when given, and of `customAttributes` only the keys given
 * (Chatwoot merges the hash on update and cannot remove keys). `password` is used only when the user is new
 * (Chatwoot's create ignores it for an existing user, and provisioning never resets one); without it a new user
 * gets a random password. `loginUrl`: also mint a single-use SSO login link.
 *
 * @since 0.3.0
 * @category Schemas
 */
export const ProvisionInput = Schema.Struct({
  email: Schema.String,
  name: Schema.String,
  displayName: Schema.optional(Schema.NullOr(Schema.String)),
  password: Schema.optional(Schema.Redacted(Schema.String)),
  customAttributes: Schema.optional(CustomAttributes),
  accountId: AccountId,
  role: Schema.optional(Role),
  loginUrl: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "ProvisionInput" })

/**
 * @since 0.3.0
 * @category Models
 */
export type ProvisionInput = typeof ProvisionInput.Type

/**
 * Whom to deprovision: a user id, or an email (trimmed, case-insensitive) matched among the account's members.
 *
 * @since 0.3.0
 * @category Schemas
 */
export const DeprovisionTarget = Schema.Union(
  Schema.Struct({ email: Schema.String }),
  Schema.Struct({ userId: UserId })
).annotations({ identifier: "DeprovisionTarget" })

/**
 * @since 0.3.0
 * @category Models
 */
export type DeprovisionTarget = typeof DeprovisionTarget.Type

/**
 * What provision did, step by step: the user's outcome and the fields its update carried (`name`, `display_name`,
 * `custom_attributes.<key>`; `[]` when none was sent), the membership's outcome, the login link when asked, and the
 * number of requests sent. Never holds the password.
 *
 * @since 0.3.0
 * @category Models
 */
export class ProvisionResult extends Schema.Class<ProvisionResult>("@chatwoot-effect/core/ProvisionResult")({
  email: Schema.String,
  userId: UserId,
  accountId: AccountId,
  role: Role,
  user: UserOutcome,
  updated: Schema.Array(Schema.String),
  membership: MembershipOutcome,
  loginUrl: Schema.optional(SsoLink),
  requests: Schema.Int
}) {}

/**
 * What a member's user holds, as far as provisioning compares it. No token of the user is kept.
 *
 * @since 0.3.0
 * @category Models
 */
export class MemberProfile extends Schema.Class<MemberProfile>("@chatwoot-effect/core/MemberProfile")({
  email: Schema.String,
  name: Schema.String,
  display_name: Schema.NullOr(Schema.String),
  custom_attributes: CustomAttributes
}) {}

/**
 * One member of an account: the user id, the membership's role as listed (`null` acts as agent) and the user's
 * profile, `null` when this app cannot read the user (no permission on it, or deleted since the list).
 *
 * @since 0.3.0
 * @category Models
 */
export class AccountMember extends Schema.Class<AccountMember>("@chatwoot-effect/core/AccountMember")({
  userId: UserId,
  role: Schema.NullOr(Schema.String),
  profile: Schema.NullOr(MemberProfile)
}) {}

/**
 * The members of an account, read once (the list, then each member's user): what the batched operations
 * (`deprovisionFrom`, {@link planFrom}, {@link planDeprovisionFrom}) work from without a lookup per record.
 *
 * @since 0.3.0
 * @category Models
 */
export class AccountMembers extends Schema.Class<AccountMembers>("@chatwoot-effect/core/AccountMembers")({
  accountId: AccountId,
  members: Schema.Array(AccountMember),
  /** The requests the read took: one list, one get per member. */
  requests: Schema.Int
}) {}

/**
 * What deprovision did: the membership `removed` or `unchanged` (not a member, or no such user among the members),
 * whether the user is deleted, how many members could not be read (an email is never matched against those) and
 * the requests sent.
 *
 * @since 0.3.0
 * @category Models
 */
export class DeprovisionResult extends Schema.Class<DeprovisionResult>("@chatwoot-effect/core/DeprovisionResult")({
  accountId: AccountId,
  email: Schema.optional(Schema.String),
  /** The user, when given or found among the members. */
  userId: Schema.optional(UserId),
  membership: RemovalOutcome,
  /** The user is gone: its delete was accepted now, or it no longer existed. */
  userDeleted: Schema.Boolean,
  unreadable: Schema.Int,
  requests: Schema.Int
}) {}

/**
 * A dry run's decision for a person found among the account's members: exactly what provision would do and the
 * requests it would send.
 *
 * @since 0.3.0
 * @category Models
 */
export class ProvisionDecided extends Schema.TaggedClass<ProvisionDecided>("@chatwoot-effect/core/ProvisionDecided")(
  "Decided",
  {
    email: Schema.String,
    userId: UserId,
    accountId: AccountId,
    role: Role,
    user: UserOutcome,
    updated: Schema.Array(Schema.String),
    membership: MembershipOutcome,
    requests: Schema.Int
  }
) {}

/**
 * A dry run for a person not found among the account's (readable) members: Chatwoot's Platform API cannot look a
 * user up by email without claiming it, so whether provision would create or claim the user, and update it, is
 * not known; it would then add the membership. `maxRequests`: the most provision would send.
 *
 * @since 0.3.0
 * @category Models
 */
export class ProvisionUndecided
  extends Schema.TaggedClass<ProvisionUndecided>("@chatwoot-effect/core/ProvisionUndecided")("Undecided", {
    email: Schema.String,
    accountId: AccountId,
    role: Role,
    reason: Schema.String,
    unreadable: Schema.Int,
    maxRequests: Schema.Int
  })
{}

/**
 * @since 0.3.0
 * @category Schemas
 */
export const ProvisionPlan = Schema.Union(ProvisionDecided, ProvisionUndecided)

/**
 * @since 0.3.0
 * @category Models
 */
export type ProvisionPlan = typeof ProvisionPlan.Type

/**
 * A dry run of deprovision: the membership `would_remove` or `not_a_member`, whether the user would be deleted,
 * and the requests deprovision would send once the member is known.
 *
 * @since 0.3.0
 * @category Models
 */
export class DeprovisionPlan extends Schema.Class<DeprovisionPlan>("@chatwoot-effect/core/DeprovisionPlan")({
  accountId: AccountId,
  email: Schema.optional(Schema.String),
  userId: Schema.optional(UserId),
  membership: Schema.Literal("would_remove", "not_a_member"),
  deleteUser: Schema.Boolean,
  unreadable: Schema.Int,
  requests: Schema.Int
}) {}

/**
 * @since 0.3.0
 * @category Models
 */
export interface Service {
  /**
   * Brings a person to the wanted state. Checks the input first (a `ProvisioningError` at step `input`, nothing
   * sent), then:
   *
   * 1. `users.create` with the name, display name, custom attributes and password (a random one meeting Chatwoot's
   *    policy when none is given: cryptographically random, never printed, logged, stored or returned). Create is
   *    find-or-create by email: an existing user comes back as is, and this app now holds it.
   * 2. One `users.update` holding only the fields that differ from the wanted ones, only when one does.
   * 3. The membership, read from the returned user's `accounts` (no extra read): missing, or with another role
   *    (`null` counts as agent), `accountUsers.add` (an upsert) with the role; otherwise nothing.
   * 4. With `loginUrl`, `users.loginUrl`.
   *
   * A new person costs at most 2 requests (+1 for the link), a person already as wanted exactly 1, so a rerun sends
   * one request and reports `unchanged` twice.
   *
   * Chatwoot does not say whether create found or made the user, so the user outcome is a heuristic:
   * - `updated`: an update was sent;
   * - `created`: the returned user has no account at all and holds exactly what was sent (a `display_name` not sent
   *   still `null`, `custom_attributes` exactly the ones sent). **An existing user with no account whose fields
   *   already match is reported `created` too**;
   * - `claimed`: it existed (it has accounts, or holds more or other than was sent), needed no update, and was not a
   *   member of the account;
   * - `unchanged`: it already was as wanted and already a member of the account (the membership outcome says
   *   whether its role changed).
   *
   * A failure says which step failed, the Platform API error, and what the earlier steps did (a failed update leaves
   * the user `claimed`).
   */
  readonly provision: (input: ProvisionInput) => Effect.Effect<ProvisionResult, ProvisioningError>
  /**
   * Removes a membership, never the user unless `deleteUser` (then the user is deleted whether or not it was a
   * member, everywhere: Chatwoot removes all its memberships; a user already gone counts as deleted). By user id:
   * one list of the members (to report `removed` or `unchanged`: Chatwoot answers a removal of a non-member with a
   * 200), then the remove. By email: there is no lookup by email that does not claim (create is find-or-create), so
   * the user is searched among the account's members: the list, then each member's user until the email matches; a
   * member this app cannot read is skipped (and counted in `unreadable`).
   */
  readonly deprovision: (
    target: DeprovisionTarget,
    accountId: AccountId,
    deleteUser?: boolean
  ) => Effect.Effect<DeprovisionResult, ProvisioningError>
  /**
   * The members of an account with their profiles and roles, read once (one list, then one get per member,
   * `concurrency` at a time, 4 by default), for the batched operations.
   */
  readonly membersOf: (
    accountId: AccountId,
    options?: { readonly concurrency?: number | undefined }
  ) => Effect.Effect<AccountMembers, ProvisioningError>
  /** {@link Service.deprovision} against members already read: no read, only the writes. */
  readonly deprovisionFrom: (
    members: AccountMembers,
    target: DeprovisionTarget,
    deleteUser?: boolean
  ) => Effect.Effect<DeprovisionResult, ProvisioningError>
  /**
   * The dry run of {@link Service.provision}, from reads only (the account's members, then their users until the
   * email matches): the exact decision for a member, `Undecided` with the reason otherwise.
   */
  readonly plan: (input: ProvisionInput) => Effect.Effect<ProvisionPlan, ProvisioningError>
  /**
   * {@link Service.plan} of many people, in order, reading each account's members once. The first invalid input
   * fails the whole, before any read.
   */
  readonly planMany: (
    inputs: ReadonlyArray<ProvisionInput>
  ) => Effect.Effect<ReadonlyArray<ProvisionPlan>, ProvisioningError>
  /** The dry run of {@link Service.deprovision}, from the same reads and no write. */
  readonly planDeprovision: (
    target: DeprovisionTarget,
    accountId: AccountId,
    deleteUser?: boolean
  ) => Effect.Effect<DeprovisionPlan, ProvisioningError>
}

/**
 * @since 0.3.0
 * @category Context
 */
export class Provisioning extends Context.Tag("@chatwoot-effect/core/Provisioning")<Provisioning, Service>() {}

// ---------------------------------------------------------------------------------------------------------------
// Input checks

// The operation the broken rules would have failed: the user's create, or the membership's add alone.
const inputValidation = (issues: ReadonlyArray<Rules.Issue>, fallback: Operation): Validation =>
  Rules.validation(ProfileDecisions.inputOperation(issues, fallback), issues)

/**
 * Checks a provision input with the rules of the requests it feeds (the email, password and custom attributes
 * rules of `UserPayload`, the role and account id of `AccountUserPayload`) and returns it normalised: the email
 * trimmed and lowercased (a missing role stays missing: see {@link ProvisionInput}). A `Validation` (source `client`) names every broken rule
 * by the input's field names, and never quotes the password.
 *
 * @since 0.3.0
 * @category Validation
 */
export const validateProvisionInput = (input: ProvisionInput): Either.Either<ProvisionInput, Validation> => {
  const issues: Array<Rules.Issue> = []
  if (typeof input.name !== "string") {
    issues.push(
      input.name === undefined
        ? { field: "name", rule: "required", message: "name is required" }
        : { field: "name", rule: "type", message: "name must be a string" }
    )
  }
  if (typeof input.email !== "string") {
    issues.push(
      input.email === undefined
        ? { field: "email", rule: "required", message: "email is required" }
        : { field: "email", rule: "type", message: "email must be a string" }
    )
  }
  issues.push(...Rules.text("displayName", input.displayName, { max: Number.POSITIVE_INFINITY, nullable: true }))
  const password = input.password
  const passwordIsRedacted = password === undefined || Redacted.isRedacted(password)
  if (!passwordIsRedacted) {
    issues.push({ field: "password", rule: "type", message: "password must be a Redacted string" })
  } else if (password !== undefined && typeof Redacted.value(password) !== "string") {
    issues.push({ field: "password", rule: "type", message: "password must be a string" })
  }
  let email = input.email
  const user = UserPayload.validateUpdate({
    ...(typeof input.email === "string" ? { email: input.email } : {}),
    ...(passwordIsRedacted && password !== undefined && typeof Redacted.value(password) === "string"
      ? { password }
      : {}),
    ...(input.customAttributes !== undefined ? { custom_attributes: input.customAttributes } : {})
  })
  if (Either.isLeft(user)) issues.push(...ProfileDecisions.inputIssues(user.left.issues))
  else if (user.right.email !== undefined) email = user.right.email
  issues.push(...ProfileDecisions.accountIdIssues(input.accountId))
  issues.push(...Rules.roleIssues(input.role))
  if (input.loginUrl !== undefined && typeof input.loginUrl !== "boolean") {
    issues.push({ field: "loginUrl", rule: "type", message: "loginUrl must be a boolean" })
  }
  return issues.length > 0
    ? Either.left(inputValidation(issues, "accountUsers.add"))
    : Either.right({ ...input, email })
}

const strictInput = Schema.decodeUnknownEither(ProvisionInput, { errors: "all", onExcessProperty: "error" })

const inputKeys = Object.keys(ProvisionInput.fields).join(", ")

const issuesOfParseError = (error: ParseResult.ParseError): Array<Rules.Issue> =>
  ProfileDecisions.decodeIssues(
    ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
      path: issue.path,
      kind: issue._tag,
      message: issue.message
    })),
    inputKeys
  )

/**
 * Decodes untrusted input (a record of a file, the command line) into a checked provision input: unknown fields
 * are rejected, so a typo never turns into a silent no-op; then {@link validateProvisionInput}.
 *
 * @since 0.3.0
 * @category Validation
 */
export const decodeProvisionInput = (input: unknown): Either.Either<ProvisionInput, Validation> =>
  strictInput(input).pipe(
    Either.mapLeft((error) => inputValidation(issuesOfParseError(error), "accountUsers.add")),
    Either.flatMap(validateProvisionInput)
  )

/**
 * Checks a deprovision target (an email by Chatwoot's email rules, normalised; or a positive integer user id) and
 * the account id.
 *
 * @since 0.3.0
 * @category Validation
 */
export const validateDeprovisionTarget = (
  target: DeprovisionTarget,
  accountId: AccountId
): Either.Either<DeprovisionTarget, Validation> => {
  const issues: Array<Rules.Issue> = []
  let checked: DeprovisionTarget = target
  if (typeof target !== "object" || target === null) {
    issues.push({ field: "target", rule: "type", message: "the target must be { email } or { userId }" })
  } else if ("userId" in target) {
    const userId = AccountUserPayload.validateRemove(target.userId)
    if (Either.isLeft(userId)) issues.push(...ProfileDecisions.inputIssues(userId.left.issues))
  } else if (typeof target.email === "string") {
    const email = UserRules.normalizeEmail(target.email)
    issues.push(...UserRules.emailViolations(email))
    checked = { email }
  } else {
    issues.push({ field: "email", rule: "required", message: "give an email (a string) or a userId" })
  }
  issues.push(...ProfileDecisions.accountIdIssues(accountId))
  return issues.length > 0 ? Either.left(Rules.validation("accountUsers.remove", issues)) : Either.right(checked)
}

// ---------------------------------------------------------------------------------------------------------------
// Decisions, shared by provision and the plans

const wantedOf = (input: ProvisionInput): ProfileDecisions.Wanted => ({
  name: input.name,
  ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
  ...(input.customAttributes !== undefined ? { custom_attributes: input.customAttributes } : {})
})

const emailMatches = (email: string) => (member: AccountMember): boolean =>
  member.profile !== null && UserRules.normalizeEmail(member.profile.email) === email

const unreadableIn = (members: ReadonlyArray<AccountMember>): number =>
  members.reduce((count, member) => count + (member.profile === null ? 1 : 0), 0)

/**
 * The member a target names, among members already read: by user id, or by email (trimmed, case-insensitive)
 * among the members whose user could be read.
 *
 * @since 0.3.0
 * @category Batching
 */
export const findMember = (members: AccountMembers, target: DeprovisionTarget): Option.Option<AccountMember> =>
  Option.fromNullable(
    "userId" in target
      ? members.members.find((member) => member.userId === target.userId)
      : members.members.find(emailMatches(UserRules.normalizeEmail(target.email)))
  )

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`

const decidePlan = (
  input: ProvisionInput,
  member: AccountMember | undefined,
  unreadable: number,
  readable: number
): ProvisionPlan => {
  const links = input.loginUrl === true ? 1 : 0
  if (member === undefined || member.profile === null) {
    return new ProvisionUndecided({
      email: input.email,
      accountId: input.accountId,
      role: input.role ?? "agent",
      reason:
        `not among the ${plural(readable, "member")} of account ${input.accountId} this app can read${
          unreadable > 0 ? ` (${plural(unreadable, "other")} could not be read)` : ""
        }; Chatwoot's Platform API cannot look a user up by email without claiming it, so provision would create ` +
        `or claim the user, then add the membership as ${input.role ?? "agent"}`,
      unreadable,
      maxRequests: 3 + links
    }, true)
  }
  const diff = ProfileDecisions.difference(member.profile, wantedOf(input))
  const roleDiffers = input.role !== undefined && !ProfileDecisions.sameRole(member.role, input.role)
  return new ProvisionDecided({
    email: input.email,
    userId: member.userId,
    accountId: input.accountId,
    role: input.role ?? roleOf(member.role),
    user: diff.payload !== undefined ? "updated" : "unchanged",
    updated: diff.fields,
    membership: roleDiffers ? "role_changed" : "unchanged",
    requests: 1 + (diff.payload !== undefined ? 1 : 0) + (roleDiffers ? 1 : 0) + links
  }, true)
}

// `null` (Chatwoot stores it for a role sent as "" or null) acts as agent.
const roleOf = (role: string | null | undefined): Role => role === "administrator" ? "administrator" : "agent"

const inputError = (operation: ProvisioningOperation, cause: Validation) =>
  new ProvisioningError({ operation, step: "input", cause, done: new ProvisioningProgress({ requests: 0 }) })

const checkedInput = (operation: ProvisioningOperation, input: ProvisionInput) =>
  validateProvisionInput(input).pipe(
    Either.mapLeft((validation) => inputError(operation, validation))
  )

const sameAccount = (operation: ProvisioningOperation, members: AccountMembers, accountId: AccountId) =>
  members.accountId === accountId ? Either.void : Either.left(inputError(
    operation,
    Rules.validation("accountUsers.list", [{
      field: "accountId",
      rule: "same_account",
      message: `accountId must be the account the members were read from (${members.accountId})`
    }])
  ))

/**
 * The dry run of provision against members already read (see `Service.membersOf`): no request.
 *
 * @since 0.3.0
 * @category Batching
 */
export const planFrom = (
  members: AccountMembers,
  input: ProvisionInput
): Either.Either<ProvisionPlan, ProvisioningError> =>
  Either.gen(function*() {
    const checked = yield* checkedInput("plan", input)
    yield* sameAccount("plan", members, checked.accountId)
    const found = members.members.find(emailMatches(checked.email))
    const unreadable = unreadableIn(members.members)
    return decidePlan(checked, found, unreadable, members.members.length - unreadable)
  })

interface Located {
  readonly target: DeprovisionTarget
  readonly userId: UserId | undefined
  readonly isMember: boolean
  readonly unreadable: number
}

const locateIn = (members: AccountMembers, target: DeprovisionTarget): Located => {
  const found = Option.getOrUndefined(findMember(members, target))
  return {
    target,
    userId: found?.userId ?? ("userId" in target ? target.userId : undefined),
    isMember: found !== undefined,
    unreadable: "userId" in target ? 0 : unreadableIn(members.members)
  }
}

const deprovisionPlanOf = (accountId: AccountId, located: Located, deleteUser: boolean): DeprovisionPlan =>
  new DeprovisionPlan({
    accountId,
    ...("email" in located.target ? { email: located.target.email } : {}),
    ...(located.userId !== undefined ? { userId: located.userId } : {}),
    membership: located.isMember ? "would_remove" : "not_a_member",
    deleteUser: deleteUser && located.userId !== undefined,
    unreadable: located.unreadable,
    requests: (located.isMember ? 1 : 0) + (deleteUser && located.userId !== undefined ? 1 : 0)
  })

/**
 * The dry run of deprovision against members already read: no request.
 *
 * @since 0.3.0
 * @category Batching
 */
export const planDeprovisionFrom = (
  members: AccountMembers,
  target: DeprovisionTarget,
  deleteUser = false
): Either.Either<DeprovisionPlan, ProvisioningError> =>
  validateDeprovisionTarget(target, members.accountId).pipe(
    Either.mapLeft((validation) => inputError("plan", validation)),
    Either.map((checked) => deprovisionPlanOf(members.accountId, locateIn(members, checked), deleteUser))
  )

// ---------------------------------------------------------------------------------------------------------------
// The service

const profileOf = (user: User): MemberProfile =>
  new MemberProfile({
    email: user.email,
    name: user.name,
    display_name: user.display_name ?? null,
    custom_attributes: user.custom_attributes ?? {}
  }, true)

// A member the app may not read (another app's user) or that is gone since the list is skipped, not a failure.
const isUnreadable = (error: MemberError): boolean =>
  error._tag === "NotFound" || (error._tag === "Unauthorized" && error.reason === "NonPermissibleResource")

/**
 * The service over the Platform services of the context: the live client's or the in-memory ones.
 *
 * @since 0.3.0
 * @category Constructors
 */
export const make: Effect.Effect<Service, never, PlatformUsers | PlatformAccountUsers> = Effect.gen(function*() {
  const users = yield* PlatformUsers
  const accountUsers = yield* PlatformAccountUsers

  // Counts the requests of one operation run, and turns a failure into the operation's error with the progress.
  const tracker = (
    operation: ProvisioningOperation,
    subject: { readonly accountId?: AccountId | undefined; readonly email?: string | undefined }
  ) => {
    let requests = 0
    const done: {
      userId?: UserId
      user?: UserOutcome
      updated?: ReadonlyArray<string>
      membership?: MembershipOutcome | RemovalOutcome
    } = {}
    const send = <A>(step: ProvisioningStep, request: Effect.Effect<A, PlatformUsersError>) =>
      Effect.suspend(() => {
        requests++
        return request
      }).pipe(Effect.mapError((cause) =>
        new ProvisioningError({
          operation,
          step,
          ...(subject.accountId !== undefined ? { accountId: subject.accountId } : {}),
          ...(subject.email !== undefined ? { email: subject.email } : {}),
          cause,
          done: new ProvisioningProgress({ ...done, requests })
        })
      ))
    return { done, requests: () => requests, send }
  }

  const readProfile = (userId: UserId): Effect.Effect<MemberProfile | null, MemberError> =>
    users.get(userId).pipe(
      Effect.map(profileOf),
      Effect.catchAll((error) => isUnreadable(error) ? Effect.succeed(null) : Effect.fail(error))
    )

  const provision = (input: ProvisionInput): Effect.Effect<ProvisionResult, ProvisioningError> =>
    Effect.suspend(() => {
      const checked = checkedInput("provision", input)
      if (Either.isLeft(checked)) return Effect.fail(checked.left)
      const wanted = checked.right
      const { accountId, email, role } = wanted
      return Effect.gen(function*() {
        const { done, requests, send } = tracker("provision", { accountId, email })
        const sent = wantedOf(wanted)
        const found = yield* send(
          "user",
          users.create({
            name: wanted.name,
            email,
            password: wanted.password ?? Redacted.make(ProfileDecisions.generatePassword()),
            ...(sent.display_name !== undefined ? { display_name: sent.display_name } : {}),
            ...(sent.custom_attributes !== undefined ? { custom_attributes: sent.custom_attributes } : {})
          })
        )
        done.userId = found.id
        const diff = ProfileDecisions.difference(found, sent)
        let user = found
        let outcome: UserOutcome
        if (diff.payload !== undefined) {
          // A new user never differs from what was sent: this one existed, and the create claimed it.
          done.user = "claimed"
          user = yield* send("update", users.update(found.id, diff.payload))
          outcome = "updated"
        } else if (found.accounts.length === 0 && ProfileDecisions.holdsExactly(found, sent)) {
          outcome = "created"
        } else {
          outcome = found.accounts.some((account) => account.id === accountId) ? "unchanged" : "claimed"
        }
        done.user = outcome
        done.updated = diff.fields
        const current = user.accounts.find((account) => account.id === accountId)
        let membership: MembershipOutcome = "unchanged"
        // No role given: a new membership is an agent, an existing one keeps its role (as Chatwoot's upsert does).
        if (current === undefined || (role !== undefined && !ProfileDecisions.sameRole(current.role, role))) {
          yield* send("membership", accountUsers.add(accountId, { user_id: user.id, role: role ?? "agent" }))
          membership = current === undefined ? "added" : "role_changed"
        }
        done.membership = membership
        const loginUrl = wanted.loginUrl === true ? yield* send("loginUrl", users.loginUrl(user.id)) : undefined
        return new ProvisionResult({
          email,
          userId: user.id,
          accountId,
          role: role ?? roleOf(current?.role ?? null),
          user: outcome,
          updated: diff.fields,
          membership,
          ...(loginUrl !== undefined ? { loginUrl } : {}),
          requests: requests()
        }, true)
      })
    }).pipe(Effect.withSpan("Provisioning.provision", {
      captureStackTrace: false,
      attributes: typeof input.accountId === "number" ? { "chatwoot.account_id": input.accountId } : {}
    }))

  const membersOf = (
    operation: ProvisioningOperation,
    accountId: AccountId,
    concurrency: number
  ): Effect.Effect<AccountMembers, ProvisioningError> =>
    Effect.gen(function*() {
      const { requests, send } = tracker(operation, { accountId })
      const rows = yield* send("members", accountUsers.list(accountId))
      const members = yield* Effect.forEach(
        rows,
        (row) =>
          send("lookup", readProfile(row.user_id)).pipe(
            Effect.map((profile) => new AccountMember({ userId: row.user_id, role: row.role ?? null, profile }, true))
          ),
        { concurrency }
      )
      return new AccountMembers({ accountId, members, requests: requests() }, true)
    })

  // The list, then (for an email) each member's user in turn until the email matches: no more reads than needed.
  const locate = (
    operation: ProvisioningOperation,
    target: DeprovisionTarget,
    accountId: AccountId,
    track: ReturnType<typeof tracker>
  ) =>
    Effect.gen(function*() {
      const rows: ReadonlyArray<AccountUser> = yield* track.send("members", accountUsers.list(accountId))
      if ("userId" in target) {
        const row = rows.find((candidate) => candidate.user_id === target.userId)
        return {
          located: { target, userId: target.userId, isMember: row !== undefined, unreadable: 0 } satisfies Located,
          member: undefined,
          readable: 0
        }
      }
      let unreadable = 0
      let readable = 0
      for (const row of rows) {
        const profile = yield* track.send("lookup", readProfile(row.user_id))
        if (profile === null) {
          unreadable++
          continue
        }
        readable++
        const member = new AccountMember({ userId: row.user_id, role: row.role ?? null, profile }, true)
        if (emailMatches(target.email)(member)) {
          return {
            located: { target, userId: row.user_id, isMember: true, unreadable } satisfies Located,
            member,
            readable
          }
        }
      }
      return {
        located: { target, userId: undefined, isMember: false, unreadable } satisfies Located,
        member: undefined,
        readable
      }
    }).pipe(Effect.withSpan(`Provisioning.${operation}.locate`, {
      captureStackTrace: false,
      attributes: { "chatwoot.account_id": accountId }
    }))

  const removal = (
    accountId: AccountId,
    located: Located,
    deleteUser: boolean,
    track: ReturnType<typeof tracker>
  ): Effect.Effect<DeprovisionResult, ProvisioningError> =>
    Effect.gen(function*() {
      const { userId } = located
      if (userId !== undefined) track.done.userId = userId
      let membership: RemovalOutcome = "unchanged"
      if (located.isMember && userId !== undefined) {
        yield* track.send("remove", accountUsers.remove(accountId, userId))
        membership = "removed"
      }
      track.done.membership = membership
      let userDeleted = false
      if (deleteUser && userId !== undefined) {
        // A user already gone is what was wanted: a rerun after the delete succeeds.
        yield* track.send("deleteUser", users.delete(userId).pipe(Effect.catchTag("NotFound", () => Effect.void)))
        userDeleted = true
      }
      return new DeprovisionResult({
        accountId,
        ...("email" in located.target ? { email: located.target.email } : {}),
        ...(userId !== undefined ? { userId } : {}),
        membership,
        userDeleted,
        unreadable: located.unreadable,
        requests: track.requests()
      }, true)
    })

  const checkedTarget = (operation: ProvisioningOperation, target: DeprovisionTarget, accountId: AccountId) =>
    validateDeprovisionTarget(target, accountId).pipe(Either.mapLeft((validation) => inputError(operation, validation)))

  const emailOf = (target: DeprovisionTarget) => "email" in target ? target.email : undefined

  return Provisioning.of({
    provision,
    deprovision: (target, accountId, deleteUser = false) =>
      Effect.suspend(() => {
        const checked = checkedTarget("deprovision", target, accountId)
        if (Either.isLeft(checked)) return Effect.fail(checked.left)
        const track = tracker("deprovision", { accountId, email: emailOf(checked.right) })
        return locate("deprovision", checked.right, accountId, track).pipe(
          Effect.flatMap(({ located }) => removal(accountId, located, deleteUser, track))
        )
      }).pipe(Effect.withSpan("Provisioning.deprovision", {
        captureStackTrace: false,
        attributes: { "chatwoot.account_id": accountId }
      })),
    membersOf: (accountId, options) =>
      Effect.suspend(() => {
        const checked = Rules.toEither("accountUsers.list", ProfileDecisions.accountIdIssues(accountId), accountId)
        if (Either.isLeft(checked)) return Effect.fail(inputError("membersOf", checked.left))
        return membersOf("membersOf", accountId, options?.concurrency ?? 4)
      }).pipe(Effect.withSpan("Provisioning.membersOf", {
        captureStackTrace: false,
        attributes: { "chatwoot.account_id": accountId }
      })),
    deprovisionFrom: (members, target, deleteUser = false) =>
      Effect.suspend(() => {
        const checked = checkedTarget("deprovision", target, members.accountId)
        if (Either.isLeft(checked)) return Effect.fail(checked.left)
        const track = tracker("deprovision", { accountId: members.accountId, email: emailOf(checked.right) })
        return removal(members.accountId, locateIn(members, checked.right), deleteUser, track)
      }),
    plan: (input) =>
      Effect.suspend(() => {
        const checked = checkedInput("plan", input)
        if (Either.isLeft(checked)) return Effect.fail(checked.left)
        const wanted = checked.right
        const track = tracker("plan", { accountId: wanted.accountId, email: wanted.email })
        return locate("plan", { email: wanted.email }, wanted.accountId, track).pipe(
          Effect.map(({ located, member, readable }) => decidePlan(wanted, member, located.unreadable, readable))
        )
      }),
    planMany: (inputs) =>
      Effect.gen(function*() {
        const checked = yield* Effect.forEach(inputs, (input) => checkedInput("plan", input))
        const byAccount = new Map<AccountId, AccountMembers>()
        for (const input of checked) {
          if (!byAccount.has(input.accountId)) {
            byAccount.set(input.accountId, yield* membersOf("plan", input.accountId, 4))
          }
        }
        return checked.map((input) => {
          const members = byAccount.get(input.accountId)!
          const unreadable = unreadableIn(members.members)
          return decidePlan(
            input,
            members.members.find(emailMatches(input.email)),
            unreadable,
            members.members.length - unreadable
          )
        })
      }),
    planDeprovision: (target, accountId, deleteUser = false) =>
      Effect.suspend(() => {
        const checked = checkedTarget("plan", target, accountId)
        if (Either.isLeft(checked)) return Effect.fail(checked.left)
        const track = tracker("plan", { accountId, email: emailOf(checked.right) })
        return locate("plan", checked.right, accountId, track).pipe(
          Effect.map(({ located }) => deprovisionPlanOf(accountId, located, deleteUser))
        )
      })
  })
})

/**
 * `Provisioning` over the `PlatformUsers` and `PlatformAccountUsers` of the context.
 *
 * @since 0.3.0
 * @category Layers
 */
export const layer: Layer.Layer<Provisioning, never, PlatformUsers | PlatformAccountUsers> = Layer.effect(
  Provisioning,
  make
)
