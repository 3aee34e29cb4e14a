/**
 * The one-line progress bar of a bulk run (stderr): records done, rate, ETA from the bytes read, failures.
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

/** @internal */
export interface Progress {
  /** Redraws if the last draw is older than the redraw interval. */
  readonly update: (counts: Counts, bytesRead: number) => Effect.Effect<void>
  /** Draws the final state and ends the line. */
  readonly finish: (counts: Counts, bytesRead: number) => Effect.Effect<void>
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
  const eta = clamped > 0 && clamped < 1 ? duration((elapsedMillis * (1 - clamped)) / clamped) : clamped >= 1 ? "0s" : "?"
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
    const draw = (counts: Counts, bytesRead: number, now: number, end: string) => {
      lastDraw = now
      const fraction = options.totalBytes > 0 ? bytesRead / options.totalBytes : 1
      // \r + "erase line" keeps a single line on a terminal.
      return options.write(`\r\x1b[2K${render(counts, fraction, now - startedAt)}${end}`)
    }
    return {
      update: (counts, bytesRead) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          now - lastDraw >= options.intervalMillis ? draw(counts, bytesRead, now, "") : Effect.void),
      finish: (counts, bytesRead) => Effect.flatMap(Clock.currentTimeMillis, (now) => draw(counts, bytesRead, now, "\n"))
    }
  })
