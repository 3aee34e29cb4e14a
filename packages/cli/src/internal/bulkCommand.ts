/**
 * What every bulk command shares on the command line: the flags of a run over a file, their checks, and the exit
 * codes (11 when some records failed or were invalid, 130 when Ctrl-C stopped the run).
 *
 * @since 0.2.0
 * @internal
 */
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ExitCode from "../ExitCode.js"
import * as Engine from "./bulkEngine.js"
import type * as Input from "./bulkInput.js"

/**
 * The flag descriptions that name the operation.
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export interface Texts {
  /** `--file`: what the file holds. */
  readonly file: string
  /** `--concurrency`: what is in flight, e.g. "updates". */
  readonly inFlight: string
}

/**
 * `--file`, `--format`, `--concurrency`, `--rate`, `--journal`, `--dry-run`.
 *
 * @since 0.2.0
 * @category Options
 * @internal
 */
export const flags = (texts: Texts) => ({
  file: Options.text("file").pipe(Options.withDescription(texts.file), Options.optional),
  format: Options.choice("format", ["ndjson", "csv"]).pipe(
    Options.withDescription("Bulk input format (default: from the file's extension)"),
    Options.optional
  ),
  concurrency: Options.integer("concurrency").pipe(
    Options.withDescription(`Bulk: ${texts.inFlight} in flight at once`),
    Options.withDefault(4)
  ),
  rate: Options.text("rate").pipe(
    Options.withDescription("Bulk: at most this many requests, e.g. 50/s or 3000/min (Chatwoot's default limit)"),
    Options.optional
  ),
  journal: Options.text("journal").pipe(
    Options.withDescription("Bulk: resume journal; rerun with the same journal to skip the records already done"),
    Options.optional
  ),
  dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Bulk: validate every record, send nothing"))
})

/**
 * The parsed flags (all but `--file`).
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export interface Flags {
  readonly format: Option.Option<Input.Format>
  readonly concurrency: number
  readonly rate: Option.Option<string>
  readonly journal: Option.Option<string>
  readonly dryRun: boolean
}

/**
 * Checks the flags, runs `start` with the engine options they give, and sets the exit code from its summary.
 *
 * @since 0.2.0
 * @category Running
 * @internal
 */
export const run = <S extends { readonly failed: number; readonly invalid: number }, E, R>(
  file: string,
  flags: Flags,
  start: (options: Engine.Options) => Effect.Effect<S, E, R>
): Effect.Effect<void, E | ExitCode.UsageError | ExitCode.ExitWith, R> =>
  Effect.gen(function*() {
    if (flags.concurrency < 1) {
      return yield* new ExitCode.UsageError({ message: `--concurrency must be at least 1, got ${flags.concurrency}` })
    }
    let ratePerSecond: number | undefined
    if (Option.isSome(flags.rate)) {
      const rate = Engine.parseRate(flags.rate.value)
      if (Either.isLeft(rate)) return yield* new ExitCode.UsageError({ message: `--rate: ${rate.left}` })
      ratePerSecond = rate.right
    }
    const summary = yield* start({
      file,
      format: Option.getOrUndefined(flags.format),
      concurrency: flags.concurrency,
      ratePerSecond,
      journal: Option.getOrUndefined(flags.journal),
      dryRun: flags.dryRun,
      progress: process.stderr.isTTY === true
    }).pipe(
      // A run cut short by Ctrl-C has drained and printed its summary; the process still must not report success to
      // a script (`update --file f && next`). Other commands (the emulator) stop cleanly with 0 on SIGINT.
      Effect.onInterrupt(() => Effect.sync(() => process.exitCode = ExitCode.ExitCode.Interrupted))
    )
    if (summary.failed + summary.invalid > 0) {
      return yield* new ExitCode.ExitWith({ code: ExitCode.ExitCode.PartialFailure })
    }
  })
