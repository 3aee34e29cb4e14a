/**
 * The bulk provision behind `chatwoot-platform provision --file FILE`: streams an NDJSON or CSV file of people
 * (`email, name, display_name, account_id, role, custom_attributes, action`), provisions each one with the
 * `Provisioning` service (or removes the membership, `action: deprovision`), and with `prune` also removes the
 * members of one account the file does not list (a sync). It is an operation of the CLI's bulk engine, so the
 * streaming, `concurrency`, `ratePerSecond` and 429 back-off, the journal and its resume, the progress bar, the
 * result lines, the summary and Ctrl-C are those of the bulk update (see `BulkUpdate` and docs/bulk.md); what is
 * particular to provisioning is documented in docs/provisioning.md and below.
 *
 * **Status words.** A record's result line says what was done, one word and the details after it:
 * - a provision: `created`, `claimed` or `updated` (the user's outcome) when the user was not already as wanted and a
 *   member; otherwise `role_changed` (the membership's role was changed) or `unchanged`. The fields `user` (created,
 *   claimed, updated, unchanged) and `membership` (added, role_changed, unchanged) always carry both outcomes, with
 *   `user_id`, `account_id`, `role`, `updated` (the fields the update carried) and `requests`;
 * - a deprovision: `removed` or `unchanged` (not a member), with `action: "deprovision"`, `membership`, `user_id`
 *   when found;
 * - a member removed by the prune: `removed`; kept (an administrator, or listed by a record this run did not
 *   finish): `unchanged`, with `prune` saying why. Those lines have `"line":null` and are named by the user id.
 * - `error` with `kind` (the Platform API error's `_tag`, or `Validation`/`Parse` before sending) and `message`
 *   (which step failed and what the steps before it did).
 * A dry run adds `undecided`: a record whose outcome depends on what only a write can tell (see below).
 *
 * **Requests.** A person already as wanted costs exactly one request (the create, which is Chatwoot's find-or-create
 * by email), a new person two (create and membership), one whose fields differ one more (the update). A deprovision
 * is one remove, after one read of its account's members (once per run and account: one list, one get per
 * member). A prune is one list after the file, then one get per member the run did not see in the file (to name it
 * and check it) and one remove per member removed. The summary counts every request sent.
 *
 * **Prune.** Only members of the `prune` account; only the membership (never the user); never an administrator
 * unless `pruneAdministrators`. A member is kept when a record of the file names it for that account (by the user
 * id its provision answered, or by email), or names its email at all in a record rejected before sending. The prune
 * is refused (one `error` line, kind `PruneRefused`, nothing removed) when a record of the file cannot be told
 * apart (unreadable, no email), or when no record is for the pruned account. It runs after every record of the
 * file settled, never after Ctrl-C or a rejected token, and is worked out again by every run (it is not journaled).
 *
 * **Dry run.** No write is sent. The members of every account the file names are read first (one list, one get per
 * member, paced by `ratePerSecond`), and each record is planned from them: a member's outcome is exact; for a person
 * who is not a member this app can read, Chatwoot's Platform API cannot tell whether the user exists (create is
 * find-or-create by email and claims what it finds; there is no search), so the record is `undecided` with the
 * reason. The prune's members are listed exactly (`removed`, or `undecided` for a member this app cannot read).
 *
 * @since 0.3.0
 */
import type { AccountId } from "@chatwoot-effect/core/Account"
import * as PlatformAccountUsers from "@chatwoot-effect/core/PlatformAccountUsers"
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as Provisioning from "@chatwoot-effect/core/Provisioning"
import type { MembershipOutcome, ProvisioningError, UserOutcome } from "@chatwoot-effect/core/ProvisioningError"
import type { UserId } from "@chatwoot-effect/core/User"
import * as UserRules from "@chatwoot-effect/core/UserRules"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import * as Engine from "./internal/bulkEngine.js"
import type { BulkError } from "./internal/bulkError.js"
import * as Input from "./internal/bulkInput.js"
import * as Record from "./internal/bulkProvisionRecord.js"
import * as Throttle from "./internal/bulkThrottle.js"

// ============================================================================
// Models
// ============================================================================

/**
 * What a record did; see the module documentation. `undecided` only in a dry run.
 *
 * @since 0.3.0
 * @category Models
 */
export type Status = "created" | "claimed" | "updated" | "role_changed" | "unchanged" | "removed" | "undecided"

/**
 * The status words of a run that sends, in the order the summary counts them.
 *
 * @since 0.3.0
 * @category Models
 */
export const statuses = ["created", "claimed", "updated", "role_changed", "unchanged", "removed"] as const

/**
 * One status word for what provision did to a person: the user's outcome when it is a change (`created`, `claimed`,
 * `updated`), else the membership's (`role_changed`, or `unchanged`). A user `unchanged` is already a member (its
 * membership is never `added`), so nothing is lost: the result's `user` and `membership` say both.
 *
 * @since 0.3.0
 * @category Models
 */
export const statusOf = (outcome: {
  readonly user: UserOutcome
  readonly membership: MembershipOutcome
}): Exclude<Status, "removed" | "undecided"> =>
  outcome.user !== "unchanged"
    ? outcome.user
    : outcome.membership === "role_changed"
    ? "role_changed"
    : outcome.membership === "added"
    ? "claimed"
    : "unchanged"

/**
 * What a run did: the engine's counts, a count per status word, and every request sent (reads included).
 *
 * @since 0.3.0
 * @category Models
 */
export interface ProvisionSummary {
  /** Results (`done + failed + invalid + skipped`), the prune's included. */
  readonly total: number
  /** Records per status word (`undecided` is 0 unless a dry run). */
  readonly done: { readonly [K in Status]: number }
  readonly failed: number
  readonly skipped: number
  readonly invalid: number
  /** Requests sent to Chatwoot: the records', the member reads', the prune's. */
  readonly requests: number
  readonly elapsedMs: number
  readonly interrupted: boolean
  readonly dryRun: boolean
  readonly slowdowns: number
}

/**
 * How a bulk provision runs: the bulk engine's options (see `BulkUpdate.RunOptions`), and the sync.
 *
 * @since 0.3.0
 * @category Models
 */
export interface RunOptions extends Engine.Options {
  /** Also remove the members of this account the file does not list (the membership only). */
  readonly prune?: AccountId | undefined
  /** Let the prune remove administrators too. Default `false`. */
  readonly pruneAdministrators?: boolean | undefined
  /** Receives the summary once at the end, also when interrupted. Default: {@link formatSummary} on stderr. */
  readonly summary?: ((summary: ProvisionSummary) => Effect.Effect<void>) | undefined
}

/**
 * One human line for a summary: `bulk provision: 10 records: 3 created, 1 claimed, 2 updated, 0 role_changed, 3
 * unchanged, 1 removed, 0 failed, 0 invalid, 0 skipped in 1.2s, 14 requests`; for a dry run the plan's counts, e.g.
 * `bulk provision (dry run, no write sent): 10 records would be: 2 updated, 0 role_changed, 3 unchanged, 1 removed,
 * 4 undecided; 0 invalid in 0.4s, 12 reads`.
 *
 * @since 0.3.0
 * @category Formatting
 */
export const formatSummary = (summary: ProvisionSummary): string => {
  const seconds = `${(summary.elapsedMs / 1000).toFixed(1)}s`
  const stopped = summary.interrupted ? " (stopped early)" : ""
  const slowed = summary.slowdowns > 0 ? ` (slowed down ${summary.slowdowns}x by 429 Too Many Requests)` : ""
  const requests = `${summary.requests} ${summary.dryRun ? "read" : "request"}${summary.requests === 1 ? "" : "s"}`
  if (summary.dryRun) {
    const plan = (["updated", "role_changed", "unchanged", "removed", "undecided"] as const)
      .map((status) => `${summary.done[status]} ${status}`).join(", ")
    return `bulk provision (dry run, no write sent)${stopped}: ${summary.total} records would be: ${plan}; ` +
      `${summary.invalid} invalid in ${seconds}, ${requests}${slowed}`
  }
  const done = statuses.map((status) => `${summary.done[status]} ${status}`).join(", ")
  return `bulk provision${stopped}: ${summary.total} records: ${done}, ${summary.failed} failed, ` +
    `${summary.invalid} invalid, ${summary.skipped} skipped in ${seconds}, ${requests}${slowed}`
}

// ============================================================================
// The operation
// ============================================================================

/** A member of the pruned account the run did not see in the file: checked, then removed or kept. */
interface PruneMember {
  readonly _tag: "Prune"
  readonly accountId: AccountId
  readonly userId: UserId
  readonly role: string | null
}

/** A line the after-pass reports without sending: a dry run's decision about a member. */
interface Planned {
  readonly _tag: "Planned"
  readonly done: Engine.Done<Status>
}

/** The prune could not be worked out: reported as a failed record, nothing removed. */
interface Failing {
  readonly _tag: "Failing"
  readonly kind: string
  readonly message: string
  readonly verdict: Engine.Verdict
}

type Payload = Record.Request | PruneMember | Planned | Failing

type Item = Input.Accepted<Payload, string | number>

/** A failed send: `_tag` is the result line's `kind`. */
class Failure {
  constructor(readonly _tag: string, readonly message: string, readonly verdict: Engine.Verdict) {}
}

const verdictOf = (cause: PlatformUsersError.PlatformUsersError): Engine.Verdict => {
  switch (cause._tag) {
    case "RateLimited":
      return Engine.rateLimited(cause.retryAfterMillis)
    case "Unauthorized":
      return cause.reason === "InvalidToken" ? Engine.invalidToken : Engine.final
    case "NotFound":
    case "Validation":
      return Engine.final
    default:
      return Engine.transient
  }
}

const failureOf = (error: ProvisioningError) => new Failure(error.cause._tag, error.message, verdictOf(error.cause))

const doneWith = (status: Status, fields: Readonly<Record<string, unknown>>): Engine.Done<Status> => ({
  status,
  fields
})

const isAdministrator = (role: string | null) => role === "administrator"

/**
 * The fields of a provisioned person's result line, shared with the one-person command's `--json`.
 *
 * @since 0.3.0
 * @category Rendering
 * @internal
 */
export const provisionFields = (
  result: {
    readonly userId: UserId
    readonly accountId: AccountId
    readonly role: string
    readonly user: UserOutcome
    readonly membership: MembershipOutcome
    readonly updated: ReadonlyArray<string>
  },
  requests: number
) => ({
  user_id: result.userId,
  account_id: result.accountId,
  role: result.role,
  user: result.user,
  membership: result.membership,
  updated: result.updated,
  requests
})

const accountOf = (request: Record.Request): AccountId =>
  request._tag === "Provision" ? request.input.accountId : request.accountId

interface Counter {
  requests: number
}

// Every method of a service counted (and, for reads, paced by `before`) on its way out.
const counted = <S extends object>(service: S, counter: Counter, before: Effect.Effect<void>): S =>
  Object.fromEntries(
    Object.entries(service).map(([key, method]) => [
      key,
      typeof method === "function"
        ? (...args: Array<unknown>) =>
          Effect.zipRight(
            before,
            Effect.suspend(() => {
              counter.requests++
              return (method as (...a: Array<unknown>) => Effect.Effect<unknown, unknown>)(...args)
            })
          )
        : method
    ])
  ) as S

const provisioningOver = (users: PlatformUsers.Service, accountUsers: PlatformAccountUsers.Service) =>
  Provisioning.make.pipe(
    Effect.provideService(PlatformUsers.PlatformUsers, users),
    Effect.provideService(PlatformAccountUsers.PlatformAccountUsers, accountUsers)
  )

// A member the app may not read (another app's user), or deleted since the list: its email is unknown.
const unreadable = (error: PlatformUsersError.PlatformUsersError) =>
  error._tag === "NotFound" || (error._tag === "Unauthorized" && error.reason === "NonPermissibleResource")

/** What the prune learns from the file as it is read. */
interface Seen {
  /** Emails the file names for the pruned account (or in a rejected record, for any account). */
  readonly listed: Set<string>
  /** Users this run's records for the pruned account resolved (provisioned, or found to deprovision). */
  readonly resolvedIds: Set<number>
  /** Emails of those records. */
  readonly resolvedEmails: Set<string>
  /** Lines of records rejected without an email: whom they name is unknown. */
  readonly nameless: Array<number>
  namelessCount: number
  /** Some record of the file is for the pruned account. */
  namesAccount: boolean
}

const plural = (count: number, noun: string, nouns = `${noun}s`) => `${count} ${count === 1 ? noun : nouns}`

const refusal = (seen: Seen, accountId: AccountId): string | undefined => {
  if (seen.namelessCount > 0) {
    return `--prune ${accountId} refused, nothing removed: ${plural(seen.namelessCount, "record")} of the file ` +
      `(line${seen.namelessCount === 1 ? "" : "s"} ${seen.nameless.join(", ")}${
        seen.namelessCount > seen.nameless.length ? ", ..." : ""
      }) could not be read well enough to tell whom ${seen.namelessCount === 1 ? "it names" : "they name"}: fix ` +
      "them and run again"
  }
  if (!seen.namesAccount) {
    return `--prune ${accountId} refused, nothing removed: no record of the file is for account ${accountId}, so ` +
      "every member would go; check --prune, or remove members with action deprovision"
  }
  return undefined
}

const failingItem = (id: string | number, kind: string, message: string, verdict: Engine.Verdict): Item => ({
  _tag: "Accepted",
  line: null,
  id,
  payload: { _tag: "Failing", kind, message, verdict }
})

const plannedItem = (id: string | number, done: Engine.Done<Status>): Item => ({
  _tag: "Accepted",
  line: null,
  id,
  payload: { _tag: "Planned", done }
})

const undecidedOfReadFailure = (accountId: AccountId, error: ProvisioningError): Engine.Done<Status> => ({
  status: "undecided",
  fields: {
    account_id: accountId,
    reason: `the members of account ${accountId} could not be read (${error.message})`
  }
})

// ============================================================================
// Running
// ============================================================================

/**
 * Runs a bulk provision; see the module documentation and docs/provisioning.md.
 *
 * @since 0.3.0
 * @category Running
 */
export const run = (
  options: RunOptions
): Effect.Effect<
  ProvisionSummary,
  BulkError,
  PlatformUsers.PlatformUsers | PlatformAccountUsers.PlatformAccountUsers | FileSystem.FileSystem
> =>
  Effect.gen(function*() {
    const counter: Counter = { requests: 0 }
    const rawUsers = yield* PlatformUsers.PlatformUsers
    const rawAccountUsers = yield* PlatformAccountUsers.PlatformAccountUsers
    const users = counted(rawUsers, counter, Effect.void)
    const accountUsers = counted(rawAccountUsers, counter, Effect.void)
    const provisioning = yield* provisioningOver(users, accountUsers)
    // The member reads are not records: the engine does not pace them, so they get a gate of their own at the rate.
    const readGate = options.ratePerSecond === undefined ? Effect.void : Effect.asVoid(
      (yield* Throttle.make({
        ratePerSecond: options.ratePerSecond,
        initialBackoffMillis: 1000,
        maxBackoffMillis: 60_000,
        minRatePerSecond: Math.min(options.ratePerSecond, 1)
      })).acquire
    )
    const reading = yield* provisioningOver(
      counted(rawUsers, counter, readGate),
      counted(rawAccountUsers, counter, readGate)
    )
    const readConcurrency = Math.max(1, Math.floor(options.concurrency))
    const readMembers = (accountId: AccountId) => reading.membersOf(accountId, { concurrency: readConcurrency })

    const prune = options.prune
    const pruneAdministrators = options.pruneAdministrators === true
    const seen: Seen = {
      listed: new Set(),
      resolvedIds: new Set(),
      resolvedEmails: new Set(),
      nameless: [],
      namelessCount: 0,
      namesAccount: false
    }

    // A dry run plans from the members of every account the file names, read once before the run.
    const planned = new Map<number, Either.Either<Provisioning.AccountMembers, ProvisioningError>>()
    if (options.dryRun) {
      const accounts = yield* accountsOf(options)
      if (prune !== undefined) accounts.add(prune)
      for (const accountId of accounts) {
        planned.set(accountId, yield* Effect.either(readMembers(accountId as AccountId)))
      }
    }

    // A deprovision finds its person among the account's members: read once per run and account.
    const membersFor = yield* Effect.cachedFunction(readMembers)

    const resolve = (accountId: AccountId, email: string, userId: UserId | undefined) => {
      if (prune === undefined || accountId !== prune) return
      seen.resolvedEmails.add(email)
      if (userId !== undefined) seen.resolvedIds.add(userId)
    }

    const sendRequest = (request: Record.Request): Effect.Effect<Engine.Done<Status>, Failure> => {
      if (request._tag === "Provision") {
        return provisioning.provision(request.input).pipe(
          Effect.mapError(failureOf),
          Effect.map((result) => {
            resolve(result.accountId, result.email, result.userId)
            return { status: statusOf(result), fields: provisionFields(result, result.requests) }
          })
        )
      }
      return membersFor(request.accountId).pipe(
        Effect.flatMap((members) => provisioning.deprovisionFrom(members, { email: request.email })),
        Effect.mapError(failureOf),
        Effect.map((result): Engine.Done<Status> => {
          resolve(result.accountId, request.email, result.userId)
          return {
            status: result.membership === "removed" ? "removed" : "unchanged",
            fields: {
              action: "deprovision",
              ...(result.userId !== undefined ? { user_id: result.userId } : {}),
              account_id: result.accountId,
              membership: result.membership,
              ...(result.unreadable > 0 ? { unreadable: result.unreadable } : {}),
              requests: result.requests
            }
          }
        })
      )
    }

    // Every record of the file is settled when this runs: what is not resolved by now is a record that failed, or
    // that the journal skipped.
    let unresolved = 0
    const sendPrune = (member: PruneMember): Effect.Effect<Engine.Done<Status>, Failure> =>
      Effect.gen(function*() {
        const { accountId, role, userId } = member
        const what = `prune user ${userId} of account ${accountId}`
        const asFailure = (step: string) => (error: PlatformUsersError.PlatformUsersError) =>
          new Failure(error._tag, `${what}: the ${step} step failed: ${error.message}`, verdictOf(error))
        const user = yield* users.get(userId).pipe(
          Effect.map((user) => UserRules.normalizeEmail(user.email)),
          Effect.catchAll((error) => unreadable(error) ? Effect.succeed(undefined) : Effect.fail(error)),
          Effect.mapError(asFailure("lookup"))
        )
        const fields = {
          ...(user !== undefined ? { email: user } : {}),
          user_id: userId,
          account_id: accountId,
          role: role ?? "agent"
        }
        if (user !== undefined && seen.listed.has(user)) {
          return doneWith("unchanged", { ...fields, membership: "unchanged", prune: "in_file", requests: 1 })
        }
        if (isAdministrator(role) && !pruneAdministrators) {
          return doneWith("unchanged", { ...fields, membership: "unchanged", prune: "kept_administrator", requests: 1 })
        }
        if (user === undefined && unresolved > 0) {
          return yield* Effect.fail(
            new Failure(
              "Undecided",
              `${what}: kept: this app cannot read the user, and ${
                plural(unresolved, "person", "people")
              } the file lists ` +
                `(for account ${accountId}, or in a rejected record) did not succeed in this run (rejected, failed, ` +
                "or skipped by the journal), so whether the file names this member is unknown; run again once they " +
                "succeed (without the journal: each finished person costs one request)",
              Engine.final
            )
          )
        }
        yield* accountUsers.remove(accountId, userId).pipe(Effect.mapError(asFailure("remove")))
        return doneWith("removed", { ...fields, membership: "removed", prune: "not_in_file", requests: 2 })
      })

    const send = (record: Item): Effect.Effect<Engine.Done<Status>, Failure> => {
      const payload = record.payload
      switch (payload._tag) {
        case "Provision":
        case "Deprovision":
          return sendRequest(payload)
        case "Prune":
          return sendPrune(payload)
        case "Planned":
          return Effect.succeed(payload.done)
        case "Failing":
          return Effect.fail(new Failure(payload.kind, payload.message, payload.verdict))
      }
    }

    const planRequest = (request: Record.Request): Engine.Done<Status> => {
      const accountId = accountOf(request)
      const members = planned.get(accountId)
      if (members === undefined || Either.isLeft(members)) {
        return members === undefined
          ? { status: "undecided", fields: { account_id: accountId, reason: "the account's members were not read" } }
          : undecidedOfReadFailure(accountId, members.left)
      }
      if (request._tag === "Deprovision") {
        const plan = Provisioning.planDeprovisionFrom(members.right, { email: request.email })
        if (Either.isLeft(plan)) return { status: "undecided", fields: { reason: plan.left.message } }
        const removes = plan.right.membership === "would_remove"
        return {
          status: removes ? "removed" : "unchanged",
          fields: {
            action: "deprovision",
            ...(plan.right.userId !== undefined ? { user_id: plan.right.userId } : {}),
            account_id: accountId,
            membership: removes ? "removed" : "unchanged",
            ...(plan.right.unreadable > 0 ? { unreadable: plan.right.unreadable } : {}),
            requests: plan.right.requests
          }
        }
      }
      const plan = Provisioning.planFrom(members.right, request.input)
      if (Either.isLeft(plan)) return { status: "undecided", fields: { reason: plan.left.message } }
      const decision = plan.right
      if (decision._tag === "Decided") {
        return { status: statusOf(decision), fields: provisionFields(decision, decision.requests) }
      }
      return {
        status: "undecided",
        fields: {
          account_id: accountId,
          role: decision.role,
          membership: "added",
          reason: decision.reason,
          max_requests: decision.maxRequests
        }
      }
    }

    const dryRun = (record: Item): Engine.Done<Status> => {
      const payload = record.payload
      switch (payload._tag) {
        case "Provision":
        case "Deprovision":
          return planRequest(payload)
        case "Planned":
          return payload.done
        case "Failing":
          return { status: "undecided", fields: { reason: payload.message } }
        case "Prune":
          // Never made in a dry run (its members are planned), but a plan for it is no write.
          return { status: "undecided", fields: { reason: "not planned" } }
      }
    }

    const observe = (record: Item | Input.Rejected) => {
      if (record._tag === "Rejected") {
        if (typeof record.id === "string") seen.listed.add(record.id)
        else {
          seen.namelessCount++
          if (seen.nameless.length < 5) seen.nameless.push(record.line)
        }
        return
      }
      const request = record.payload as Record.Request
      if (accountOf(request) === prune) {
        seen.namesAccount = true
        seen.listed.add(record.id as string)
      }
    }

    const pruneDry = (accountId: AccountId): ReadonlyArray<Item> => {
      const members = planned.get(accountId)!
      if (Either.isLeft(members)) return [plannedItem(accountId, undecidedOfReadFailure(accountId, members.left))]
      const items: Array<Item> = []
      for (const member of members.right.members) {
        const email = member.profile === null ? undefined : UserRules.normalizeEmail(member.profile.email)
        if (email !== undefined && seen.listed.has(email)) continue
        const fields = {
          ...(email !== undefined ? { email } : {}),
          user_id: member.userId,
          account_id: accountId,
          role: member.role ?? "agent"
        }
        if (isAdministrator(member.role) && !pruneAdministrators) {
          items.push(plannedItem(member.userId, {
            status: "unchanged",
            fields: { ...fields, membership: "unchanged", prune: "kept_administrator" }
          }))
        } else if (email === undefined) {
          items.push(plannedItem(member.userId, {
            status: "undecided",
            fields: {
              ...fields,
              prune: "unreadable",
              reason: `this app cannot read user ${member.userId}, so whether the file names them is unknown: the ` +
                "real run provisions the file's people first (which claims their users, so it can read them), then " +
                `removes user ${member.userId} unless a record named them`
            }
          }))
        } else {
          items.push(plannedItem(member.userId, {
            status: "removed",
            fields: { ...fields, membership: "removed", prune: "not_in_file", requests: 2 }
          }))
        }
      }
      return items
    }

    const pruneLive = (accountId: AccountId): Stream.Stream<Item> =>
      Stream.unwrap(
        accountUsers.list(accountId).pipe(
          Effect.map((rows) => {
            unresolved = 0
            for (const email of seen.listed) if (!seen.resolvedEmails.has(email)) unresolved++
            return Stream.fromIterable(
              rows.filter((row) => !seen.resolvedIds.has(row.user_id)).map((row): Item => ({
                _tag: "Accepted",
                line: null,
                id: row.user_id,
                payload: { _tag: "Prune", accountId, userId: row.user_id, role: row.role ?? null }
              }))
            )
          }),
          Effect.catchAll((error) =>
            Effect.succeed(Stream.make(failingItem(
              `--prune ${accountId}`,
              error._tag,
              `--prune ${accountId}: the members of account ${accountId} could not be listed, nothing removed: ${error.message}`,
              verdictOf(error)
            )))
          )
        )
      )

    const after = prune === undefined ? undefined : (): Stream.Stream<Item> => {
      const refused = refusal(seen, prune)
      if (refused !== undefined) {
        return Stream.make(failingItem(`--prune ${prune}`, "PruneRefused", refused, Engine.final))
      }
      return options.dryRun ? Stream.fromIterable(pruneDry(prune)) : pruneLive(prune)
    }

    const operation: Engine.Operation<Payload, string | number, Engine.Done<Status>, Failure, Status> = {
      name: "provision",
      journalTag: "chatwoot-platform provision journal",
      statuses: options.dryRun ? [...statuses, "undecided"] : statuses,
      reader: Record.reader,
      send,
      done: (answer) => answer,
      dryRun,
      verdict: (failure) => failure.verdict,
      // A record holds no secret: the file has no password column, and a new person's password never leaves core.
      secrets: () => [],
      observe: prune === undefined ? undefined : observe,
      after
    }

    const toSummary = (summary: Engine.Summary<Status>): ProvisionSummary => ({
      total: summary.total,
      done: {
        created: summary.done.created ?? 0,
        claimed: summary.done.claimed ?? 0,
        updated: summary.done.updated ?? 0,
        role_changed: summary.done.role_changed ?? 0,
        unchanged: summary.done.unchanged ?? 0,
        removed: summary.done.removed ?? 0,
        undecided: summary.done.undecided ?? 0
      },
      failed: summary.failed,
      skipped: summary.skipped,
      invalid: summary.invalid,
      requests: counter.requests,
      elapsedMs: summary.elapsedMs,
      interrupted: summary.interrupted,
      dryRun: summary.dryRun,
      slowdowns: summary.slowdowns
    })
    const sink = options.summary ??
      ((summary: ProvisionSummary) => Effect.sync(() => void process.stderr.write(formatSummary(summary) + "\n")))
    return toSummary(
      yield* Engine.run(operation, { ...options, summary: (summary) => sink(toSummary(summary)) })
    )
  })

// The accounts the file's valid records name, for a dry run's reads. A file the engine will refuse (missing, bad
// header) names none here: the engine then reports it as for any run.
const accountsOf = (options: Engine.Options): Effect.Effect<Set<number>, never, FileSystem.FileSystem> => {
  const accounts = new Set<number>()
  const format = options.format ?? Input.formatFromPath(options.file)
  if (format === undefined) return Effect.succeed(accounts)
  return Input.records(Record.reader, options.file, format, { bytes: 0 }).pipe(
    Stream.runForEach((record) =>
      Effect.sync(() => {
        if (record._tag === "Accepted") accounts.add(accountOf(record.payload))
      })
    ),
    Effect.ignore,
    Effect.as(accounts)
  )
}
