/**
 * The bulk engine: runs one {@link Operation} (an update today) over every record of an NDJSON or CSV file. The
 * operation says how a line becomes a record, how a record is sent and what a failure means; everything else is
 * here, once: streaming with bounded memory, the worker pool, the shared rate ceiling and 429 back-off, the journal
 * (binding, resume, what is final), the progress bar, the result lines, the summary and interruption. What each of
 * those guarantees is documented on the command's module (`BulkUpdate`) and in docs/bulk.md.
 *
 * This runs at tens of thousands of records per second: the per-record path is combinators and plain functions (no
 * generator per record), and a record that succeeds allocates one outcome object besides its result line.
 *
 * @since 0.2.0
 * @internal
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import { BulkError } from "./bulkError.js"
import * as Input from "./bulkInput.js"
import * as Journal from "./bulkJournal.js"
import * as Progress from "./bulkProgress.js"
import * as Throttle from "./bulkThrottle.js"

// ============================================================================
// Operation
// ============================================================================

/**
 * What a record that was sent (or, in a dry run, checked) did: a status word of the operation's, and more keys for
 * its result line, written after `status` (never `line`, `id`, `status`, `kind` or `dryRun`).
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export interface Done<S extends string> {
  readonly status: S
  readonly fields?: Readonly<Record<string, unknown>> | undefined
}

/**
 * What a failed send means for the run:
 * - `Final`: the answer is permanent (not found, refused): journaled, a rerun does not send it again;
 * - `Transient`: worth a rerun (5xx, network): reported, not journaled;
 * - `RateLimited`: a 429: the whole run slows down and the record is retried (reported as `Transient` once the
 *   retries are used up);
 * - `InvalidToken`: the credentials are refused, so every further send would fail too: reported, not journaled, and
 *   the run drains and fails with `BulkError` `InvalidToken`.
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export type Verdict =
  | { readonly _tag: "Final" }
  | { readonly _tag: "Transient" }
  | { readonly _tag: "RateLimited"; readonly retryAfterMillis: number | undefined }
  | { readonly _tag: "InvalidToken" }

/**
 * @since 0.2.0
 * @category Constructors
 * @internal
 */
export const final: Verdict = { _tag: "Final" }

/**
 * @since 0.2.0
 * @category Constructors
 * @internal
 */
export const transient: Verdict = { _tag: "Transient" }

/**
 * @since 0.2.0
 * @category Constructors
 * @internal
 */
export const invalidToken: Verdict = { _tag: "InvalidToken" }

/**
 * @since 0.2.0
 * @category Constructors
 * @internal
 */
export const rateLimited = (retryAfterMillis: number | undefined): Verdict => ({
  _tag: "RateLimited",
  retryAfterMillis
})

/**
 * The typed errors a send may fail with: `_tag` becomes the result line's `kind`, `message` (scrubbed) its
 * `message`.
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export interface SendError {
  readonly _tag: string
  readonly message: string
}

/**
 * One per-record operation over a file. `P` is a record's payload, `I` its display id (the result line's `id`),
 * `A` what a send returns, `E` how it fails, `S` the status words of records done, `R` what `after` needs.
 *
 * Build it with its services already in hand (`send` has no requirements): looking a service up per record would
 * cost an effect per record. State that `observe` gathers for `after` belongs to one run: build the operation per
 * run.
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export interface Operation<P, I extends number | string, A, E extends SendError, S extends string, R = never> {
  /** Names the run in its summary and errors: `bulk update: ...`. */
  readonly name: string
  /** The first line of its journals (`chatwoot-platform users update journal`): another operation's is refused. */
  readonly journalTag: string
  /**
   * The status words of records done, in the order the summary counts them (lowercase words, `a-z`, `0-9`, `_`;
   * never `error` or `skipped`, which the engine writes).
   */
  readonly statuses: readonly [S, ...Array<S>]
  /** How a line (NDJSON) or a row (CSV) becomes a record, or a rejected one. */
  readonly reader: Input.Reader<Input.Accepted<P, I>>
  /** Sends one record. */
  readonly send: (record: Input.Accepted<P, I>) => Effect.Effect<A, E>
  /** What a send did, from its answer: return a constant when it does not depend on it (nothing is allocated). */
  readonly done: (answer: A, record: Input.Accepted<P, I>) => Done<S>
  /** What a dry run reports for a valid record (its line gets `"dryRun":true`). */
  readonly dryRun: (record: Input.Accepted<P, I>) => Done<S>
  /** What a failed send means for the run. */
  readonly verdict: (error: E) => Verdict
  /** The record's secrets (a password), scrubbed from its error messages; called only when it failed. */
  readonly secrets: (record: Input.Accepted<P, I>) => ReadonlyArray<string>
  /**
   * Sees every record of the file as it is read, accepted or rejected, also those a journal skips (`skipped`): e.g.
   * to remember which members the file lists. Runs on the reader, once per record: keep it cheap.
   */
  readonly observe?: ((record: Input.Accepted<P, I> | Input.Rejected, skipped: boolean) => void) | undefined
  /**
   * A pass after the file: runs once every record of the file was settled (not after an interruption or a rejected
   * token), with the counts so far, and gives more records to send, e.g. a sync's removals of the members the file
   * does not list. They are sent like the file's records (same workers, rate and back-off, dry run), reported with
   * `"line":null` and counted in the summary, and never journaled: every run, a resumed one too, works the pass out
   * again, so it must be safe to repeat.
   */
  readonly after?: ((pass: Summary<S>) => Stream.Stream<Input.Accepted<P, I>, BulkError, R>) | undefined
}

// ============================================================================
// Run
// ============================================================================

/**
 * What a run did.
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export interface Summary<S extends string> {
  /** Results (`done + failed + invalid + skipped`), the after-pass's included. */
  readonly total: number
  /** Records done per status word (in a dry run: valid), in the operation's order. */
  readonly done: { readonly [K in S]: number }
  /** Sent and refused or failed. */
  readonly failed: number
  /** Skipped because the journal says an earlier run finished them. */
  readonly skipped: number
  /** Rejected before sending (unreadable or breaking a rule). */
  readonly invalid: number
  readonly elapsedMs: number
  /** The run was interrupted (or stopped by a rejected token) before the end. */
  readonly interrupted: boolean
  readonly dryRun: boolean
  /** How many times a 429 slowed the whole run down. */
  readonly slowdowns: number
}

/**
 * One result line (written as JSON, keys in this order; a done line's `fields` come after `status`).
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export type Result<S extends string> =
  | (
    & { readonly line: number | null; readonly id: Input.Id; readonly status: S; readonly dryRun?: true }
    & { readonly [field: string]: unknown }
  )
  | { readonly line: number; readonly id: Input.Id; readonly status: "skipped" }
  | {
    readonly line: number | null
    readonly id: Input.Id
    readonly status: "error"
    readonly kind: string
    readonly message: string
    readonly issues?: ReadonlyArray<Input.Issue>
  }

/**
 * How to run: the same for every operation.
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export interface Options {
  /** The input file. */
  readonly file: string
  /** The input format; by default from the extension (`.csv`; `.ndjson`, `.jsonl`, `.json`). */
  readonly format?: Input.Format | undefined
  /** How many records may be in flight at once (at least 1). */
  readonly concurrency: number
  /** The rate ceiling, records per second (see {@link parseRate}); unset = limited by `concurrency` only. */
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

/**
 * @since 0.2.0
 * @category Models
 * @internal
 */
export interface RunOptions<S extends string> extends Options {
  /** Receives the summary once at the end, also when interrupted. Default: {@link formatSummary} on stderr. */
  readonly summary?: ((summary: Summary<S>) => Effect.Effect<void>) | undefined
}

/**
 * One human line for a summary: `bulk NAME: 10 records: 7 ok, 1 failed, 1 invalid, 1 skipped in 1.2s`, a count per
 * status word in the operation's order (in a dry run one count, `valid`).
 *
 * @since 0.2.0
 * @category Formatting
 * @internal
 */
export const formatSummary = <S extends string>(name: string, summary: Summary<S>): string => {
  const counts = Object.entries<number>(summary.done)
  const done = summary.dryRun
    ? `${counts.reduce((n, [, count]) => n + count, 0)} valid`
    : counts.map(([status, count]) => `${count} ${status}`).join(", ")
  return `bulk ${name}${summary.dryRun ? " (dry run, nothing sent)" : ""}${
    summary.interrupted ? " (stopped early)" : ""
  }: ` +
    `${summary.total} records: ${done}, ${summary.failed} failed, ` +
    `${summary.invalid} invalid, ${summary.skipped} skipped in ${(summary.elapsedMs / 1000).toFixed(1)}s` +
    (summary.slowdowns > 0 ? ` (slowed down ${summary.slowdowns}x by 429 Too Many Requests)` : "")
}

const stdoutText = (text: string): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    // The write callback fires once the text is handed to the OS: waiting for it keeps memory flat on a slow pipe.
    process.stdout.write(text, () => resume(Effect.void))
  })

// Result lines gathered for stdout past this many characters are written before the next record is taken.
const batchChars = 64 * 1024

const stderrText = (text: string): Effect.Effect<void> => Effect.sync(() => void process.stderr.write(text))

const statusWord = /^[a-z][a-z0-9_]*$/

// A defect in a send, reported as the record's failure (kind `Defect`, worth a rerun).
class Defect {
  readonly _tag = "Defect"
  constructor(readonly message: string) {}
}

// What became of a record. A rejected record is its own outcome; one that succeeded costs one object.
type Outcome =
  | {
    readonly _tag: "Done"
    readonly line: number | null
    readonly id: Input.Id
    readonly done: Done<string>
    readonly dryRun: boolean
  }
  | {
    readonly _tag: "Failed"
    readonly line: number | null
    readonly id: Input.Id
    readonly kind: string
    readonly message: string
    /** Journal it: a rerun must not send it again. */
    readonly final: boolean
    /** The credentials were refused: stop the run. */
    readonly invalidToken: boolean
  }
  | Input.Rejected
  | { readonly _tag: "Skipped"; readonly line: number; readonly id: Input.Id }
  | { readonly _tag: "Unsent" }

type Reported = Exclude<Outcome, { readonly _tag: "Unsent" }>

const unsent: Outcome = { _tag: "Unsent" }

const doneOutcome = (line: number | null, id: Input.Id, done: Done<string>, dryRun: boolean): Outcome => ({
  _tag: "Done",
  line,
  id,
  done,
  dryRun
})

const idText = (id: Input.Id): string | number | null => typeof id === "string" ? JSON.stringify(id) : id

const fieldsText = (fields: Readonly<Record<string, unknown>>): string => {
  const json = JSON.stringify(fields)
  return json === "{}" ? "" : `,${json.slice(1, -1)}`
}

// The same text as JSON.stringify of the result, without its cost for the lines that hold only integers and fixed
// strings. `end` is "\n" for stdout's batches, "" for a given `output`.
const resultLine = (outcome: Reported, end: string): string => {
  switch (outcome._tag) {
    case "Done":
      return `{"line":${outcome.line},"id":${idText(outcome.id)},"status":"${outcome.done.status}"${
        outcome.done.fields === undefined ? "" : fieldsText(outcome.done.fields)
      }${outcome.dryRun ? ",\"dryRun\":true" : ""}}${end}`
    case "Skipped":
      return `{"line":${outcome.line},"id":${idText(outcome.id)},"status":"skipped"}${end}`
    case "Failed":
      return JSON.stringify({
        line: outcome.line,
        id: outcome.id,
        status: "error",
        kind: outcome.kind,
        message: outcome.message
      }) + end
    case "Rejected":
      return JSON.stringify(
        outcome.issues === undefined
          ? { line: outcome.line, id: outcome.id, status: "error", kind: outcome.kind, message: outcome.message }
          : {
            line: outcome.line,
            id: outcome.id,
            status: "error",
            kind: outcome.kind,
            message: outcome.message,
            issues: outcome.issues
          }
      ) + end
  }
}

// Only final outcomes of the file's records are journaled; see the command's documentation.
const journalLine = (outcome: Reported): number | null => {
  switch (outcome._tag) {
    case "Done":
    case "Rejected":
      return outcome.line
    case "Failed":
      return outcome.final ? outcome.line : null
    case "Skipped":
      return null
  }
}

const withOperation = (name: string) => (error: BulkError): BulkError =>
  error.operation === name ? error : new BulkError({ reason: error.reason, detail: error.detail, operation: name })

/**
 * Runs `operation` over the records of `options.file`.
 *
 * @since 0.2.0
 * @category Running
 * @internal
 */
export const run = <P, I extends number | string, A, E extends SendError, S extends string, R>(
  operation: Operation<P, I, A, E, S, R>,
  options: RunOptions<S>
): Effect.Effect<Summary<S>, BulkError, R | FileSystem.FileSystem> =>
  Effect.scoped(Effect.gen(function*() {
    type Item = Input.Accepted<P, I>
    for (const status of operation.statuses) {
      if (!statusWord.test(status) || status === "error" || status === "skipped") {
        return yield* Effect.dieMessage(`bulk ${operation.name}: "${status}" cannot be a status word`)
      }
    }
    const startedAt = yield* Clock.currentTimeMillis
    const fs = yield* FileSystem.FileSystem
    const format = options.format ?? Input.formatFromPath(options.file)
    if (format === undefined) {
      return yield* new BulkError({
        reason: "UnknownFormat",
        detail: `cannot tell the format of ${options.file} from its extension: pass --format ndjson or --format csv`
      })
    }
    const info = yield* fs.stat(options.file).pipe(
      Effect.mapError((error) =>
        new BulkError({
          reason: error._tag === "SystemError" && error.reason === "NotFound" ? "InputNotFound" : "InputUnreadable",
          detail: error._tag === "SystemError" && error.reason === "NotFound"
            ? `${options.file} does not exist`
            : `${options.file}: ${error.message}`
        })
      )
    )
    if (info.type === "Directory") {
      return yield* new BulkError({ reason: "InputUnreadable", detail: `${options.file} is a directory` })
    }
    const output = options.output
    const summarySink = options.summary ??
      ((summary: Summary<S>) => stderrText(formatSummary(operation.name, summary) + "\n"))
    const reportSkipped = options.reportSkipped ?? true
    const maxRetries = Math.max(0, options.maxRateLimitRetries ?? 5)
    const observe = operation.observe
    const journal = options.journal !== undefined && !options.dryRun
      ? yield* Journal.open(options.journal, yield* Journal.bindingOf(options.file, format), {
        tag: operation.journalTag,
        name: operation.name,
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
    // Per status word, in the operation's order; `doneTotal` is their sum.
    const doneCounts = Object.fromEntries(operation.statuses.map((status) => [status, 0])) as { [K in S]: number }
    const counts = { done: 0, failed: 0, skipped: 0, invalid: 0 }
    const progressCounts = (): Progress.Counts => ({
      done: counts.done + counts.failed + counts.invalid,
      failed: counts.failed,
      invalid: counts.invalid,
      skipped: counts.skipped
    })
    const summaryNow = (interrupted: boolean): Effect.Effect<Summary<S>> =>
      Effect.zipWith(Clock.currentTimeMillis, throttle.snapshot, (now, state) => ({
        total: counts.done + counts.failed + counts.invalid + counts.skipped,
        done: { ...doneCounts },
        failed: counts.failed,
        skipped: counts.skipped,
        invalid: counts.invalid,
        elapsedMs: now - startedAt,
        interrupted,
        dryRun: options.dryRun,
        slowdowns: state.slowdowns
      }))
    const stop = yield* Deferred.make<void>()
    // Mirrors `stop` for the per-record checks, which would otherwise each be an effect.
    let stopping = false
    const halt = Effect.suspend(() => {
      stopping = true
      return Deferred.succeed(stop, undefined)
    })
    let invalidTokenMessage: string | undefined

    // Waits for a send slot unless the run is stopping: a record not yet sent is then dropped, not reported. A free
    // slot is taken at once; only a wait (a pause, the rate) races the stop signal, which costs two fibers.
    const waitForSlot = Effect.raceFirst(
      Effect.map(throttle.acquire, Option.some),
      Effect.as(Deferred.await(stop), Option.none<number>())
    )
    const slot = Effect.suspend(() =>
      stopping ?
        Effect.succeed(Option.none<number>()) :
        Effect.flatMap(
          throttle.acquireNow,
          (epoch) => epoch === undefined ? waitForSlot : Effect.succeed(Option.some(epoch))
        )
    )

    const toDefect = (defect: unknown) =>
      Effect.fail(new Defect(`unexpected error: ${defect instanceof Error ? defect.message : String(defect)}`))
    // Combinators rather than a generator: this runs once per record, and the success path allocates little.
    const attempt = (record: Item, retries: number): Effect.Effect<Outcome> =>
      Effect.flatMap(slot, (epoch) =>
        Option.isNone(epoch) ? Effect.succeed(unsent) : Effect.matchEffect(
          Effect.catchAllDefect(operation.send(record), toDefect),
          {
            onSuccess: (answer) =>
              Effect.as(throttle.succeeded, doneOutcome(record.line, record.id, operation.done(answer, record), false)),
            onFailure: (error) => failed(record, retries, epoch.value, error)
          }
        ))
    const failed = (record: Item, retries: number, epoch: number, error: E | Defect): Effect.Effect<Outcome> => {
      const verdict = error instanceof Defect ? transient : operation.verdict(error)
      const failure = (final: boolean, invalidToken: boolean): Outcome => ({
        _tag: "Failed",
        line: record.line,
        id: record.id,
        kind: error._tag,
        message: Input.scrub(error.message, operation.secrets(record)),
        final,
        invalidToken
      })
      switch (verdict._tag) {
        case "RateLimited":
          return Effect.zipRight(
            throttle.rateLimited(epoch, verdict.retryAfterMillis),
            retries < maxRetries
              ? Effect.suspend(() => attempt(record, retries + 1))
              : Effect.sync(() => failure(false, false))
          )
        case "InvalidToken":
          // Not the record's fault: not final, so a rerun with the right credentials sends it.
          invalidTokenMessage = error.message
          return Effect.succeed(failure(false, true))
        case "Final":
          return Effect.succeed(failure(true, false))
        case "Transient":
          return Effect.succeed(failure(false, false))
      }
    }
    const send = (record: Item): Effect.Effect<Outcome> => attempt(record, 0)

    // Everything that needs no request is settled inline: only sends go through the concurrent stage, whose
    // per-element cost would otherwise dominate dry runs and resumed runs.
    const classify = (record: Item | Input.Rejected): Outcome | Item => {
      // A record of the file always has a line.
      const line = record.line as number
      if (journal !== undefined && journal.done.has(line)) {
        if (observe !== undefined) observe(record, true)
        return { _tag: "Skipped", line, id: record.id }
      }
      if (observe !== undefined) observe(record, false)
      if (record._tag === "Rejected") return record
      if (options.dryRun) return doneOutcome(line, record.id, operation.dryRun(record), true)
      return record
    }
    // The after-pass's records: no journal, no checks.
    const classifyAfter = (record: Item): Outcome | Item =>
      options.dryRun ? doneOutcome(record.line, record.id, operation.dryRun(record), true) : record

    // Counts an outcome; its result line, unless it is a skipped record not to be reported.
    const tally = (outcome: Reported, end: string): string | undefined => {
      switch (outcome._tag) {
        case "Done":
          doneCounts[outcome.done.status as S]++
          counts.done++
          break
        case "Failed":
          counts.failed++
          break
        case "Rejected":
          counts.invalid++
          break
        case "Skipped":
          counts.skipped++
          if (!reportSkipped) return undefined
      }
      return resultLine(outcome, end)
    }
    const stopsTheRun = (outcome: Reported) => outcome._tag === "Failed" && outcome.invalidToken

    // Results come from the reader (records settled inline) and the workers: one writer at a time keeps output and
    // journal lines whole and in order.
    const lock = yield* Effect.makeSemaphore(1)

    // A given `output` gets each line as it is settled, the journal line after it.
    const consumeEach = (output: (line: string) => Effect.Effect<void>) => (outcome: Outcome) =>
      lock.withPermits(1)(Effect.gen(function*() {
        if (outcome._tag === "Unsent") return
        const text = tally(outcome, "")
        if (text !== undefined) yield* output(text)
        const line = journal === undefined ? null : journalLine(outcome)
        if (line !== null) yield* journal!.append(line)
        if (stopsTheRun(outcome)) yield* halt
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
    const needsEffect = (outcome: Reported) =>
      stopsTheRun(outcome) || progress !== undefined || pendingText.length >= batchChars
    const afterBatched = (outcome: Reported): Effect.Effect<void, BulkError> =>
      Effect.gen(function*() {
        if (pendingText.length >= batchChars) yield* flushLines
        if (stopsTheRun(outcome)) yield* halt
        if (progress !== undefined) yield* progress.update(progressCounts(), read())
      })
    // Counts and queues synchronously; an effect only when there is more to do.
    const consumeBatched = (outcome: Outcome): Effect.Effect<void, BulkError> | undefined => {
      if (outcome._tag === "Unsent") return undefined
      const text = tally(outcome, "\n")
      if (text !== undefined) {
        if (pendingText === "") requestFlush()
        pendingText += text
      }
      if (journal !== undefined) {
        const line = journalLine(outcome)
        if (line !== null) pendingJournal.push(line)
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
    const queue = yield* Queue.bounded<Item | typeof end>(Math.max(256, concurrency * 4))
    // Feeds one pass's records to the workers; the workers end with it. The queue is empty again afterwards.
    const pass = <X, R2>(
      source: Stream.Stream<X, BulkError, R2>,
      settle: (record: X) => Outcome | Item
    ): Effect.Effect<void, BulkError, R2> => {
      const reader = source.pipe(
        Stream.interruptWhen(Deferred.await(stop)),
        Stream.runForEachChunk((chunk) =>
          Effect.gen(function*() {
            // The records to send go to the queue together: an offer to a full queue makes a Deferred, so one per
            // chunk, not per record (the queue still holds at most its capacity; the rest waits with the chunk).
            const toSend: Array<Item> = []
            for (const record of chunk) {
              // Records arrive in chunks: once stopping, the rest of a chunk already read is dropped.
              if (stopping) break
              recordsRead++
              const settled = settle(record)
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
      return Effect.all([reader, workers], { concurrency: "unbounded", discard: true })
    }
    const after = operation.after
    const passes = Effect.zipRight(
      pass(Input.records(operation.reader, options.file, format, counter), classify),
      Effect.suspend(() =>
        after === undefined || stopping
          ? Effect.void
          : Effect.flatMap(summaryNow(false), (soFar) => pass(after(soFar), classifyAfter))
      )
    )
    const pipeline = Effect.all(
      [Effect.ensuring(passes, closeFlusher), ...(output === undefined ? [flusher] : [])],
      { concurrency: "unbounded", discard: true }
    )

    let finished: Summary<S> | undefined
    const finish = (interrupted: boolean): Effect.Effect<Summary<S>, BulkError> =>
      Effect.gen(function*() {
        if (finished !== undefined) return finished
        yield* flushLines
        if (journal !== undefined) yield* journal.flush
        if (progress !== undefined) yield* progress.finish(progressCounts(), read())
        const summary = yield* summaryNow(interrupted)
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
    if (invalidTokenMessage !== undefined) {
      yield* finish(true)
      return yield* new BulkError({ reason: "InvalidToken", detail: invalidTokenMessage })
    }
    return yield* finish(false)
  })).pipe(Effect.mapError(withOperation(operation.name)))

/**
 * Parses a `--rate` value into requests per second: `50`, `50/s`, `0.5/sec`, `3000/min`, `3000/m`, `100000/h`.
 *
 * @since 0.2.0
 * @category Parsing
 * @internal
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
