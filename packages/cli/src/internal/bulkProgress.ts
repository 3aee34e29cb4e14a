/**
 * The one-line progress bar of a bulk run (stderr): records done, rate, ETA, failures. The file is streamed, so the
 * total number of records is estimated from the records and bytes read so far.
 *
 * @since 0.1.0
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"

/** @internal */
export interface Counts {
  readonly done: number
  readonly failed: number
  readonly invalid: number
  readonly skipped: number
}

/** How far the reader is: records read (sent or not yet) and the bytes they came from. @internal */
export interface Read {
  readonly records: number
  readonly bytes: number
}

/** @internal */
export interface Progress {
  /** Redraws if the last draw is older than the redraw interval. */
  readonly update: (counts: Counts, read: Read) => Effect.Effect<void>
  /** Draws the final state and ends the line. */
  readonly finish: (counts: Counts, read: Read) => Effect.Effect<void>
}

/**
 * The fraction of the file's records processed. The reader runs ahead of the senders (a bounded queue), so the bytes
 * read alone would say 100% long before the end: the total is estimated as records read x file size / bytes read.
 *
 * @internal
 */
export const fractionDone = (processed: number, read: Read, totalBytes: number): number => {
  if (totalBytes <= 0) return 1
  if (read.bytes <= 0 || read.records <= 0) return 0
  const estimatedTotal = Math.max(read.records, (read.records * totalBytes) / read.bytes)
  return Math.min(1, processed / estimatedTotal)
}

const duration = (millis: number): string => {
  const seconds = Math.round(millis / 1000)
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`
}

/**
 * Renders the bar (pure, for tests).
 *
 * @internal
 */
export const render = (
  counts: Counts,
  fraction: number,
  elapsedMillis: number,
  width = 24
): string => {
  const clamped = Math.max(0, Math.min(1, fraction))
  const filled = Math.round(clamped * width)
  const rate = elapsedMillis > 0 ? counts.done / (elapsedMillis / 1000) : 0
  const eta = clamped > 0 && clamped < 1
    ? duration((elapsedMillis * (1 - clamped)) / clamped)
    : clamped >= 1
    ? "0s"
    : "?"
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.floor(clamped * 100)}% ` +
    `${counts.done} done, ${rate.toFixed(1)}/s, ETA ${eta}, ${counts.failed} failed, ${counts.invalid} invalid` +
    (counts.skipped > 0 ? `, ${counts.skipped} skipped` : "")
}

/** @internal */
export const make = (options: {
  readonly write: (text: string) => Effect.Effect<void>
  readonly totalBytes: number
  readonly intervalMillis: number
}): Effect.Effect<Progress> =>
  Effect.map(Clock.currentTimeMillis, (startedAt) => {
    let lastDraw = Number.NEGATIVE_INFINITY
    const draw = (counts: Counts, read: Read, now: number, end: string) => {
      lastDraw = now
      const fraction = fractionDone(counts.done + counts.skipped, read, options.totalBytes)
      // \r + "erase line" keeps a single line on a terminal.
      return options.write(`\r\x1b[2K${render(counts, fraction, now - startedAt)}${end}`)
    }
    return {
      update: (counts, read) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          now - lastDraw >= options.intervalMillis ? draw(counts, read, now, "") : Effect.void),
      finish: (counts, read) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => draw(counts, read, now, "\n"))
    }
  })
