/**
 * The bulk-update engine behind `chatwoot-platform users update --file FILE`: streams an NDJSON or CSV file of
 * `{id, ...fields}` records, validates each one, sends the valid ones through `PlatformUsers.update` with bounded
 * concurrency under a shared rate limit, and writes one NDJSON result line per input record as results complete.
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
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { BulkError as BulkError_ } from "./internal/bulkError.js"
import * as Input from "./internal/bulkInput.js"
import * as Journal from "./internal/bulkJournal.js"
import * as Progress from "./internal/bulkProgress.js"
import * as Throttle from "./internal/bulkThrottle.js"

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
 * @since 0.1.0
 * @category Models
 */
export interface RunOptions {
  /** The input file. */
  readonly file: string
  /** The input format; by default from the extension (`.csv`; `.ndjson`, `.jsonl`, `.json`). */
  readonly format?: Format | undefined
  /** How many updates may be in flight at once (at least 1). */
  readonly concurrency: number
  /** The rate ceiling, requests per second (see {@link parseRate}); unset = limited by `concurrency` only. */
  readonly ratePerSecond?: number | undefined
  /** The resume journal's path (created if missing). */
  readonly journal?: string | undefined
  /** Validate and report every record, send nothing. */
  readonly dryRun: boolean
  /** Draw a progress bar (to `progressOutput`); the CLI passes `process.stderr.isTTY`. */
  readonly progress: boolean
  /**
   * Receives each result line (JSON, no newline), one at a time. Default: stdout, where the lines are gathered and
   * written together once per turn of the event loop (or per 64 KiB), each write waited for.
   */
  readonly output?: ((line: string) => Effect.Effect<void>) | undefined
  /** Receives raw progress-bar text. Default: stderr. */
  readonly progressOutput?: ((text: string) => Effect.Effect<void>) | undefined
  /** Receives the summary once at the end, also when interrupted. Default: {@link formatSummary} on stderr. */
  readonly summary?: ((summary: BulkSummary) => Effect.Effect<void>) | undefined
  /** Write a `skipped` line for each journal-skipped record. Default `true`. */
  readonly reportSkipped?: boolean | undefined
  /** Retries of a record that got a 429. Default 5. */
  readonly maxRateLimitRetries?: number | undefined
  /** The first shared pause after a 429. Default 1000. */
  readonly initialBackoffMillis?: number | undefined
  /** The longest shared pause. Default 60000. */
  readonly maxBackoffMillis?: number | undefined
  /** On interruption, how long requests already sent may take to finish. Default 10000. */
  readonly graceMillis?: number | undefined
  /** fsync the journal every this many records (it is written with each batch of result lines). Default 64. */
  readonly journalSyncEvery?: number | undefined
  /** Minimum time between two progress redraws. Default 200. */
  readonly progressIntervalMillis?: number | undefined
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
export const parseRate = (input: string): Either.Either<number, string> => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute|h|hour))?\s*$/i.exec(input)
  if (match === null) {
    return Either.left(`invalid rate "${input}": expected a number of requests per time unit, e.g. 50/s or 3000/min`)
  }
  const amount = Number(match[1])
  const unit = (match[2] ?? "s").toLowerCase()
  const perSecond = unit.startsWith("h") ? amount / 3600 : unit.startsWith("m") ? amount / 60 : amount
  return perSecond > 0 && Number.isFinite(perSecond)
    ? Either.right(perSecond)
    : Either.left(`invalid rate "${input}": it must be greater than zero`)
}

/**
 * One human line for a summary, e.g. `bulk update: 10 records: 7 ok, 1 failed, 1 invalid, 1 skipped in 1.2s`.
 *
 * @since 0.1.0
 * @category Formatting
 */
export const formatSummary = (summary: BulkSummary): string =>
  `bulk update${summary.dryRun ? " (dry run, nothing sent)" : ""}${summary.interrupted ? " (stopped early)" : ""}: ` +
  `${summary.total} records: ${summary.ok} ${summary.dryRun ? "valid" : "ok"}, ${summary.failed} failed, ` +
  `${summary.invalid} invalid, ${summary.skipped} skipped in ${(summary.elapsedMs / 1000).toFixed(1)}s` +
  (summary.slowdowns > 0 ? ` (slowed down ${summary.slowdowns}x by 429 Too Many Requests)` : "")

const stdoutText = (text: string): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    // The write callback fires once the text is handed to the OS: waiting for it keeps memory flat on a slow pipe.
    process.stdout.write(text, () => resume(Effect.void))
  })

// Result lines gathered for stdout past this many characters are written before the next record is taken.
const batchChars = 64 * 1024

const stderrText = (text: string): Effect.Effect<void> => Effect.sync(() => void process.stderr.write(text))

// Only final outcomes are journaled; see the module documentation.
const permanentKinds: ReadonlySet<string> = new Set(["Parse", "Validation", "NotFound"])

type Outcome =
  | {
    readonly _tag: "Report"
    readonly result: BulkResult
    /** Journal it: a rerun must not send it again. */
    readonly final: boolean
    /** Rejected before sending. */
    readonly invalid: boolean
    /** Chatwoot rejected the platform token: stop the run. */
    readonly invalidToken: boolean
  }
  | { readonly _tag: "Unsent" }

const unsent: Outcome = { _tag: "Unsent" }

const report = (
  result: BulkResult,
  flags: { readonly final?: boolean; readonly invalid?: boolean; readonly invalidToken?: boolean } = {}
): Outcome => ({
  _tag: "Report",
  result,
  final: flags.final ?? (result.status !== "error" || permanentKinds.has(result.kind)),
  invalid: flags.invalid ?? false,
  invalidToken: flags.invalidToken ?? false
})

// The same text as JSON.stringify for the lines that hold only integers and fixed strings, without its cost.
const resultLine = (result: BulkResult): string =>
  result.status === "ok"
    ? `{"line":${result.line},"id":${result.id},"status":"ok"${result.dryRun === true ? ",\"dryRun\":true" : ""}}\n`
    : result.status === "skipped"
    ? `{"line":${result.line},"id":${result.id},"status":"skipped"}\n`
    : JSON.stringify(result) + "\n"

const rejectedResult = (record: Input.Rejected): BulkResult =>
  record.issues === undefined
    ? { line: record.line, id: record.id, status: "error", kind: record.kind, message: record.message }
    : {
      line: record.line,
      id: record.id,
      status: "error",
      kind: record.kind,
      message: record.message,
      issues: record.issues
    }

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
): Effect.Effect<BulkSummary, BulkError, PlatformUsers | FileSystem.FileSystem> =>
  Effect.scoped(Effect.gen(function*() {
    const startedAt = yield* Clock.currentTimeMillis
    const fs = yield* FileSystem.FileSystem
    const users = yield* PlatformUsers
    const format = options.format ?? Input.formatFromPath(options.file)
    if (format === undefined) {
      return yield* new BulkError_({
        reason: "UnknownFormat",
        detail: `cannot tell the format of ${options.file} from its extension: pass --format ndjson or --format csv`
      })
    }
    const info = yield* fs.stat(options.file).pipe(
      Effect.mapError((error) =>
        new BulkError_({
          reason: error._tag === "SystemError" && error.reason === "NotFound" ? "InputNotFound" : "InputUnreadable",
          detail: error._tag === "SystemError" && error.reason === "NotFound"
            ? `${options.file} does not exist`
            : `${options.file}: ${error.message}`
        })
      )
    )
    if (info.type === "Directory") {
      return yield* new BulkError_({ reason: "InputUnreadable", detail: `${options.file} is a directory` })
    }
    const output = options.output
    const summarySink = options.summary ?? ((summary: BulkSummary) => stderrText(formatSummary(summary) + "\n"))
    const reportSkipped = options.reportSkipped ?? true
    const maxRetries = Math.max(0, options.maxRateLimitRetries ?? 5)
    const journal = options.journal !== undefined && !options.dryRun
      ? yield* Journal.open(options.journal, yield* Journal.bindingOf(options.file, format), {
        syncEvery: Math.max(1, options.journalSyncEvery ?? 64)
      })
      : undefined
    const throttle = yield* Throttle.make({
      ratePerSecond: options.ratePerSecond,
      initialBackoffMillis: options.initialBackoffMillis ?? 1000,
      maxBackoffMillis: options.maxBackoffMillis ?? 60_000,
      minRatePerSecond: Math.min(options.ratePerSecond ?? 1, 1)
    })
    const progress = options.progress
      ? yield* Progress.make({
        write: options.progressOutput ?? stderrText,
        totalBytes: Number(info.size),
        intervalMillis: options.progressIntervalMillis ?? 200
      })
      : undefined
    const counter: Input.ByteCounter = { bytes: 0 }
    let recordsRead = 0
    const read = (): Progress.Read => ({ records: recordsRead, bytes: counter.bytes })
    const counts = { ok: 0, failed: 0, skipped: 0, invalid: 0 }
    const progressCounts = (): Progress.Counts => ({
      done: counts.ok + counts.failed + counts.invalid,
      failed: counts.failed,
      invalid: counts.invalid,
      skipped: counts.skipped
    })
    const stop = yield* Deferred.make<void>()
    // Mirrors `stop` for the per-record checks, which would otherwise each be an effect.
    let stopping = false
    const halt = Effect.suspend(() => {
      stopping = true
      return Deferred.succeed(stop, undefined)
    })
    let invalidToken: PlatformUsersError.Unauthorized | undefined

    // Waits for a send slot unless the run is stopping: a record not yet sent is then dropped, not reported. A free
    // slot is taken at once; only a wait (a pause, the rate) races the stop signal, which costs two fibers.
    const waitForSlot = Effect.raceFirst(
      Effect.map(throttle.acquire, Option.some),
      Effect.as(Deferred.await(stop), Option.none<number>())
    )
    const slot = Effect.suspend(() =>
      stopping ?
        Effect.succeed(Option.none<number>()) :
        Effect.flatMap(throttle.acquireNow, (epoch) =>
          epoch === undefined ? waitForSlot : Effect.succeed(Option.some(epoch)))
    )

    const toDefect = (defect: unknown) =>
      Effect.fail({
        _tag: "Defect" as const,
        message: `unexpected error: ${defect instanceof Error ? defect.message : String(defect)}`
      })
    // Combinators rather than a generator: this runs once per record, and the success path allocates little.
    const attempt = (record: Input.Accepted, retries: number): Effect.Effect<Outcome> =>
      Effect.flatMap(slot, (epoch) =>
        Option.isNone(epoch) ? Effect.succeed(unsent) : Effect.matchEffect(
          Effect.catchAllDefect(users.update(record.id, record.payload), toDefect),
          {
            onSuccess: () => Effect.as(throttle.succeeded, report({ line: record.line, id: record.id, status: "ok" })),
            onFailure: (error) => failed(record, retries, epoch.value, error)
          }
        ))
    const failed = (
      record: Input.Accepted,
      retries: number,
      epoch: number,
      error: PlatformUsersError.PlatformUsersError | { readonly _tag: "Defect"; readonly message: string }
    ): Effect.Effect<Outcome> => {
      const password = record.payload.password === undefined ? [] : [Redacted.value(record.payload.password)]
      const failure = (kind: string, message: string, flags?: Parameters<typeof report>[1]): Outcome =>
        report(
          { line: record.line, id: record.id, status: "error", kind, message: Input.scrub(message, password) },
          flags
        )
      if (error._tag === "RateLimited") {
        return Effect.zipRight(
          throttle.rateLimited(epoch, error.retryAfterMillis),
          retries < maxRetries
            ? Effect.suspend(() => attempt(record, retries + 1))
            : Effect.sync(() => failure(error._tag, error.message))
        )
      }
      if (error._tag === "Unauthorized") {
        if (error.reason === "InvalidToken") invalidToken = error
        // A token problem is not the record's fault: not final, so a rerun with the right token sends it.
        return Effect.succeed(failure("Unauthorized", error.message, {
          final: error.reason === "NonPermissibleResource",
          invalidToken: error.reason === "InvalidToken"
        }))
      }
      return Effect.succeed(failure(error._tag, error.message))
    }
    const send = (record: Input.Accepted): Effect.Effect<Outcome> => attempt(record, 0)

    // Everything that needs no request is settled inline: only sends go through the concurrent stage, whose
    // per-element cost would otherwise dominate dry runs and resumed runs.
    const classify = (record: Input.InputRecord): Outcome | Input.Accepted => {
      if (journal !== undefined && journal.done.has(record.line)) {
        return report({ line: record.line, id: record.id, status: "skipped" })
      }
      if (record._tag === "Rejected") return report(rejectedResult(record), { invalid: true })
      if (options.dryRun) return report({ line: record.line, id: record.id, status: "ok", dryRun: true })
      return record
    }

    // Results come from the reader (records settled inline) and the workers: one writer at a time keeps output and
    // journal lines whole and in order.
    const lock = yield* Effect.makeSemaphore(1)

    // A given `output` gets each line as it is settled, the journal line after it.
    const consumeEach = (output: (line: string) => Effect.Effect<void>) => (outcome: Outcome) =>
      lock.withPermits(1)(Effect.gen(function*() {
        if (outcome._tag === "Unsent") return
        const result = outcome.result
        if (result.status === "skipped") {
          counts.skipped++
          if (reportSkipped) yield* output(JSON.stringify(result))
        } else {
          if (result.status === "ok") counts.ok++
          else if (outcome.invalid) counts.invalid++
          else counts.failed++
          yield* output(JSON.stringify(result))
          if (journal !== undefined && outcome.final) yield* journal.append(result.line)
        }
        if (outcome.invalidToken) yield* halt
        if (progress !== undefined) yield* progress.update(progressCounts(), read())
      }))

    // On stdout, a write (and a journal write) per record cost more than the rest of the engine: lines are gathered
    // and written together by `flushLines`, once per turn of the event loop (the flusher) or when `batchChars` are
    // waiting, each batch's journal lines after its result lines. A line is only journaled once written.
    let pendingText = ""
    let pendingJournal: Array<number> = []
    const flushLines: Effect.Effect<void, BulkError> = Effect.uninterruptible(
      lock.withPermits(1)(Effect.suspend(() => {
        const text = pendingText
        const lines = pendingJournal
        pendingText = ""
        pendingJournal = []
        const written = text === "" ? Effect.void : stdoutText(text)
        return journal === undefined || lines.length === 0
          ? written
          : Effect.zipRight(written, journal.appendAll(lines))
      }))
    )
    let wake: (() => void) | undefined
    let wakeScheduled = false
    let closed = false
    const onImmediate = () => {
      wakeScheduled = false
      const resume = wake
      wake = undefined
      if (resume !== undefined) resume()
    }
    const requestFlush = () => {
      if (!wakeScheduled) {
        wakeScheduled = true
        setImmediate(onImmediate)
      }
    }
    const woken = Effect.async<void>((resume) => {
      wake = () => resume(Effect.void)
      if (closed || pendingText !== "") requestFlush()
      return Effect.sync(() => {
        wake = undefined
      })
    })
    // Ends once the workers have; `finish` writes what is left.
    const flusher = Effect.gen(function*() {
      while (!closed) {
        yield* woken
        if (!closed) yield* flushLines
      }
    })
    const closeFlusher = Effect.sync(() => {
      closed = true
      requestFlush()
    })
    const needsEffect = (outcome: Outcome & { readonly _tag: "Report" }) =>
      outcome.invalidToken || progress !== undefined || pendingText.length >= batchChars
    const afterBatched = (outcome: Outcome & { readonly _tag: "Report" }): Effect.Effect<void, BulkError> =>
      Effect.gen(function*() {
        if (pendingText.length >= batchChars) yield* flushLines
        if (outcome.invalidToken) yield* halt
        if (progress !== undefined) yield* progress.update(progressCounts(), read())
      })
    // Counts and queues synchronously; an effect only when there is more to do.
    const consumeBatched = (outcome: Outcome): Effect.Effect<void, BulkError> | undefined => {
      if (outcome._tag === "Unsent") return undefined
      const result = outcome.result
      if (result.status === "skipped") {
        counts.skipped++
        if (reportSkipped) {
          if (pendingText === "") requestFlush()
          pendingText += resultLine(result)
        }
      } else {
        if (result.status === "ok") counts.ok++
        else if (outcome.invalid) counts.invalid++
        else counts.failed++
        if (pendingText === "") requestFlush()
        pendingText += resultLine(result)
        if (journal !== undefined && outcome.final) pendingJournal.push(result.line)
      }
      return needsEffect(outcome) ? afterBatched(outcome) : undefined
    }
    const consume: (outcome: Outcome) => Effect.Effect<void, BulkError> | undefined = output === undefined
      ? consumeBatched
      : consumeEach(output)

    // A fixed pool of workers takes the records to send from a bounded queue: the reader waits when it is full, so
    // memory stays flat whatever the file size. (Stream.mapEffect's concurrent stage cost ~0.3 ms per record.)
    const concurrency = Math.max(1, Math.floor(options.concurrency))
    const end = Symbol("end")
    const queue = yield* Queue.bounded<Input.Accepted | typeof end>(Math.max(256, concurrency * 4))
    const reader = Input.records(options.file, format, counter).pipe(
      Stream.interruptWhen(Deferred.await(stop)),
      Stream.runForEachChunk((chunk) =>
        Effect.gen(function*() {
          // The records to send go to the queue together: an offer to a full queue makes a Deferred, so one per
          // chunk, not per record (the queue still holds at most its capacity; the rest waits with the chunk).
          const toSend: Array<Input.Accepted> = []
          for (const record of chunk) {
            // Records arrive in chunks: once stopping, the rest of a chunk already read is dropped.
            if (stopping) break
            recordsRead++
            const settled = classify(record)
            if (settled._tag === "Accepted") toSend.push(settled)
            else {
              const after = consume(settled)
              if (after !== undefined) yield* after
            }
          }
          if (toSend.length > 0) yield* Queue.offerAll(queue, toSend)
        })
      ),
      Effect.zipRight(Effect.suspend(() => Queue.offerAll(queue, Array.from({ length: concurrency }, () => end))))
    )
    const worker = Effect.gen(function*() {
      while (true) {
        const record = yield* Queue.take(queue)
        if (record === end) return
        // Once stopping, records read but not sent are dropped (the queue is still drained so the reader can end).
        if (stopping) continue
        const after = consume(yield* send(record))
        if (after !== undefined) yield* after
      }
    })
    const workers = Effect.all(Array.from({ length: concurrency }, () => worker), {
      concurrency: "unbounded",
      discard: true
    })
    const pipeline = Effect.all(
      [reader, Effect.ensuring(workers, closeFlusher), ...(output === undefined ? [flusher] : [])],
      { concurrency: "unbounded", discard: true }
    )

    let finished: BulkSummary | undefined
    const finish = (interrupted: boolean): Effect.Effect<BulkSummary, BulkError> =>
      Effect.gen(function*() {
        if (finished !== undefined) return finished
        yield* flushLines
        if (journal !== undefined) yield* journal.flush
        if (progress !== undefined) yield* progress.finish(progressCounts(), read())
        const now = yield* Clock.currentTimeMillis
        const state = yield* throttle.snapshot
        const summary: BulkSummary = {
          total: counts.ok + counts.failed + counts.invalid + counts.skipped,
          ok: counts.ok,
          failed: counts.failed,
          skipped: counts.skipped,
          invalid: counts.invalid,
          elapsedMs: now - startedAt,
          interrupted,
          dryRun: options.dryRun,
          slowdowns: state.slowdowns
        }
        finished = summary
        yield* summarySink(summary)
        return summary
      })

    const fiber = yield* Effect.forkScoped(pipeline)
    const grace = options.graceMillis ?? 10_000
    // Runs on a daemon fiber so the grace timeout can still fire while the interrupted caller waits uninterruptibly.
    const drain = Effect.gen(function*() {
      yield* halt
      const waiter = yield* Effect.forkDaemon(Effect.interruptible(Effect.timeout(Fiber.await(fiber), grace)))
      yield* Fiber.await(waiter)
      yield* Fiber.interrupt(fiber)
      yield* Effect.ignore(finish(true))
    })
    yield* Fiber.join(fiber).pipe(
      Effect.onInterrupt(() => drain),
      Effect.tapError(() => Effect.ignore(finish(false)))
    )
    if (invalidToken !== undefined) {
      yield* finish(true)
      return yield* new BulkError_({ reason: "InvalidToken", detail: invalidToken.message })
    }
    return yield* finish(false)
  }))
