/**
 * The bulk update behind `chatwoot-platform users update --file FILE`: streams an NDJSON or CSV file of
 * `{id, ...fields}` records, validates each one, sends the valid ones through `PlatformUsers.update` with bounded
 * concurrency under a shared rate limit, and writes one NDJSON result line per input record as results complete.
 * It is the update operation of the CLI's bulk engine, which every per-record operation over a file shares (the
 * streaming, rate, journal, progress, output, summary and interruption below are the engine's).
 *
 * **Output.** One line per input record, in completion order (not input order):
 * - `{"line":N,"id":42,"status":"ok"}` (in a dry run: `{"line":N,"id":42,"status":"ok","dryRun":true}`);
 * - `{"line":N,"id":42|null,"status":"error","kind":K,"message":"..."}` where `K` is `Parse` or `Validation` for a
 *   record rejected before sending (`issues` then lists `{field, rule, message}`), or the `_tag` of the
 *   `PlatformUsersError` Chatwoot's answer mapped to (`NotFound`, `Unauthorized`, `Validation`, `RateLimited`,
 *   `ServerError`, `TransportError`, `UnexpectedResponse`), or `Defect` for a bug;
 * - `{"line":N,"id":42,"status":"skipped"}` for a record a journal says an earlier run finished.
 * `line` is the 1-based physical line where the record starts (the CSV header is line 1). Blank lines are not
 * records. A password is validated and sent but never appears in any result, journal or error text.
 *
 * **Summary.** `run` returns a {@link BulkSummary} and also hands it to `options.summary` (by default one line on
 * stderr, see {@link formatSummary}), so a run cut short by Ctrl-C still prints its summary.
 *
 * **Rate.** A token bucket shared by all workers paces requests at `ratePerSecond`. A 429 from any request slows the
 * whole run: every worker pauses (1 s, doubling per further slowdown, at most 60 s), the rate is halved (without
 * `ratePerSecond`, it is first capped at the rate that drew the 429), and it climbs back by a tenth of the ceiling
 * per second's worth of successes. Requests that were already in flight do not slow it again. The record that got
 * the 429 is retried (at most `maxRateLimitRetries` times) and reported once.
 *
 * **Journal and its guarantee.** With `journal`, every record whose outcome is final is appended to the journal
 * (its line number, written with the batch of result lines it belongs to, fsync'd every `journalSyncEvery` records
 * and at the end) AFTER its result line was written. On stdout, result lines are written together once per turn of
 * the event loop (or per 64 KiB), so a SIGKILL can also catch a turn's results settled but not yet printed: they
 * are not journaled either, and the next run sends them again. Final outcomes are: `ok`, rejected before sending (`Parse`/`Validation`), and Chatwoot's permanent
 * answers `NotFound`, `Validation` (422) and `Unauthorized` for one user (`NonPermissibleResource`). Transient
 * failures (`RateLimited`, `ServerError`, `TransportError`, `UnexpectedResponse`, `Defect`) and a rejected token are
 * not journaled, so rerunning with the same journal retries exactly those. Running again with the same journal
 * skips every journaled line and processes every other one, so after a crash, SIGKILL, power loss or Ctrl-C,
 * nothing is lost. A record that was in flight when the process died (or whose journal line was written but not yet
 * fsync'd when the machine lost power) may be sent twice: that is safe, because an update sets absolute values and
 * Chatwoot shallow-merges `custom_attributes`, so applying the same record twice gives the same user. The journal's
 * first line binds it to the input (format, size, SHA-256 of the first and last 64 KiB); a journal written for
 * another file, or for this file before it changed, is refused with `BulkError` `JournalMismatch`. A torn last
 * line (the process died mid-write) is ignored and cut off. A dry run neither reads nor writes the journal.
 *
 * **Interruption.** When the fiber running `run` is interrupted (Ctrl-C under `NodeRuntime.runMain`), it stops
 * reading records, lets requests already sent finish (for at most `graceMillis`), drops records not yet sent (no
 * result line, not journaled: the next run sends them), fsyncs the journal, hands the summary (`interrupted: true`)
 * to `options.summary`, and then ends as interrupted. The same drain happens, followed by a `BulkError`
 * `InvalidToken`, when Chatwoot rejects the platform token, since every further request would fail too.
 *
 * @since 0.1.0
 */
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import type { User, UserId } from "@chatwoot-effect/core/User"
import type * as UserPayload from "@chatwoot-effect/core/UserPayload"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Engine from "./internal/bulkEngine.js"
import { BulkError as BulkError_ } from "./internal/bulkError.js"
import type * as Input from "./internal/bulkInput.js"
import * as UpdateRecord from "./internal/bulkUpdateRecord.js"

// ============================================================================
// Models
// ============================================================================

/**
 * Why a bulk run could not start or had to stop (`reason`: `InputNotFound`, `InputUnreadable`, `UnknownFormat`,
 * `BadHeader`, `JournalMismatch`, `JournalCorrupt`, `JournalUnwritable`, `InvalidToken`). Invalid records and failed
 * updates are never a `BulkError`: they are reported per record.
 *
 * @since 0.1.0
 * @category Errors
 */
export const BulkError = BulkError_

/**
 * @since 0.1.0
 * @category Errors
 */
export type BulkError = BulkError_

/**
 * The input format: `ndjson` (one JSON object per line) or `csv` (RFC 4180 with a header row).
 *
 * @since 0.1.0
 * @category Models
 */
export type Format = Input.Format

/**
 * What a run did.
 *
 * @since 0.1.0
 * @category Models
 */
export interface BulkSummary {
  /** Records seen (`ok + failed + invalid + skipped`). */
  readonly total: number
  /** Updated (in a dry run: valid). */
  readonly ok: number
  /** Sent and refused or failed. */
  readonly failed: number
  /** Skipped because the journal says an earlier run finished them. */
  readonly skipped: number
  /** Rejected before sending (unreadable or breaking a rule). */
  readonly invalid: number
  readonly elapsedMs: number
  /** The run was interrupted (or stopped by a rejected token) before reading the whole file. */
  readonly interrupted: boolean
  readonly dryRun: boolean
  /** How many times a 429 slowed the whole run down. */
  readonly slowdowns: number
}

/**
 * One result line (written as JSON, keys in this order).
 *
 * @since 0.1.0
 * @category Models
 */
export type BulkResult =
  | { readonly line: number; readonly id: number; readonly status: "ok"; readonly dryRun?: true }
  | { readonly line: number; readonly id: number | null; readonly status: "skipped" }
  | {
    readonly line: number
    readonly id: number | null
    readonly status: "error"
    readonly kind: string
    readonly message: string
    readonly issues?: ReadonlyArray<{ readonly field: string; readonly rule: string; readonly message: string }>
  }

/**
 * How a bulk update runs.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RunOptions extends Engine.Options {
  /** Receives the summary once at the end, also when interrupted. Default: {@link formatSummary} on stderr. */
  readonly summary?: ((summary: BulkSummary) => Effect.Effect<void>) | undefined
}

// ============================================================================
// Helpers
// ============================================================================

/**
 * Parses a `--rate` value into requests per second: `50`, `50/s`, `0.5/sec`, `3000/min`, `3000/m`, `100000/h`.
 *
 * @since 0.1.0
 * @category Parsing
 */
export const parseRate: (input: string) => Either.Either<number, string> = Engine.parseRate

const fromEngine = (summary: Engine.Summary<"ok">): BulkSummary => ({
  total: summary.total,
  ok: summary.done.ok,
  failed: summary.failed,
  skipped: summary.skipped,
  invalid: summary.invalid,
  elapsedMs: summary.elapsedMs,
  interrupted: summary.interrupted,
  dryRun: summary.dryRun,
  slowdowns: summary.slowdowns
})

/**
 * One human line for a summary, e.g. `bulk update: 10 records: 7 ok, 1 failed, 1 invalid, 1 skipped in 1.2s`.
 *
 * @since 0.1.0
 * @category Formatting
 */
export const formatSummary = (summary: BulkSummary): string =>
  Engine.formatSummary("update", { ...summary, done: { ok: summary.ok } })

// ============================================================================
// The update operation
// ============================================================================

const ok: Engine.Done<"ok"> = { status: "ok" }
const okAlways = () => ok

// Only final outcomes are journaled; see the module documentation.
const verdict = (error: PlatformUsersError.UpdateError): Engine.Verdict => {
  switch (error._tag) {
    case "RateLimited":
      return Engine.rateLimited(error.retryAfterMillis)
    case "Unauthorized":
      // A token problem is not the record's fault; no permission on this one user is its answer.
      return error.reason === "InvalidToken" ? Engine.invalidToken : Engine.final
    case "NotFound":
    case "Validation":
      return Engine.final
    default:
      return Engine.transient
  }
}

const secrets = (record: UpdateRecord.Accepted): ReadonlyArray<string> =>
  record.payload.password === undefined ? [] : [Redacted.value(record.payload.password)]

// Built per run with the service in hand: `send` then looks nothing up per record.
const operation = (
  users: PlatformUsers.Service
): Engine.Operation<UserPayload.UpdateUserPayload, UserId, User, PlatformUsersError.UpdateError, "ok"> => ({
  name: "update",
  journalTag: "chatwoot-platform users update journal",
  statuses: ["ok"],
  reader: UpdateRecord.reader,
  send: (record) => users.update(record.id, record.payload),
  done: okAlways,
  dryRun: okAlways,
  verdict,
  secrets
})

// ============================================================================
// Engine
// ============================================================================

/**
 * Runs a bulk update; see the module documentation for the output, the rate handling, the journal's guarantee and
 * interruption.
 *
 * @since 0.1.0
 * @category Running
 */
export const run = (
  options: RunOptions
): Effect.Effect<BulkSummary, BulkError, PlatformUsers.PlatformUsers | FileSystem.FileSystem> =>
  Effect.flatMap(PlatformUsers.PlatformUsers, (users) => {
    const summary = options.summary
    return Effect.map(
      Engine.run(operation(users), {
        ...options,
        // Unset: the engine's default, the same line as formatSummary.
        summary: summary === undefined ? undefined : (engineSummary) => summary(fromEngine(engineSummary))
      }),
      fromEngine
    )
  })
