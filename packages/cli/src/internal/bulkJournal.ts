/**
 * The resume journal of a bulk run: a header line binding it to one input file, then one line per finished record
 * (its 1-based input line number), appended after the record's result is known.
 *
 * @since 0.1.0
 * @internal
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import * as NodePath from "node:path"
import { BulkError } from "./bulkError.js"
import type { Format } from "./bulkInput.js"

const VERSION = 1
const SAMPLE = 64 * 1024

/**
 * What ties a journal to its input: the content (size, and hashes of the first and last 64 KiB) and the format.
 * The path is recorded for the error message only, so a moved or copied input still resumes.
 *
 * @internal
 */
export interface Binding {
  readonly file: string
  readonly format: Format
  readonly size: number
  readonly head: string
  readonly tail: string
}

/**
 * Computes the binding of an input file (reads at most 128 KiB).
 *
 * @internal
 */
export const bindingOf = (
  file: string,
  format: Format
): Effect.Effect<Binding, BulkError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const handle = yield* fs.open(file, { flag: "r" })
    const info = yield* handle.stat
    const size = Number(info.size)
    const head = yield* handle.readAlloc(Math.min(SAMPLE, size))
    yield* handle.seek(Math.max(0, size - SAMPLE), "start")
    const tail = yield* handle.readAlloc(Math.min(SAMPLE, size))
    const hash = (bytes: Uint8Array | undefined) => createHash("sha256").update(bytes ?? new Uint8Array()).digest("hex")
    return {
      file: NodePath.resolve(file),
      format,
      size,
      head: hash(head._tag === "Some" ? head.value : undefined),
      tail: hash(tail._tag === "Some" ? tail.value : undefined)
    }
  }).pipe(
    Effect.scoped,
    Effect.mapError((error) => new BulkError({ reason: "InputUnreadable", detail: `${file}: ${error.message}` }))
  )

// ============================================================================
// The set of finished lines
// ============================================================================

/**
 * A set of positive integers kept as sorted disjoint intervals. Records finish nearly in input order, so a journal
 * of millions of lines folds into a handful of intervals (one per gap left by a record that is not finished).
 *
 * @internal
 */
export class LineSet {
  private starts: Array<number> = []
  private ends: Array<number> = []
  size = 0

  /** Index of the last interval whose start is <= n, or -1. */
  private find(n: number): number {
    let lo = 0
    let hi = this.starts.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (this.starts[mid]! <= n) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return found
  }

  has(n: number): boolean {
    const i = this.find(n)
    return i >= 0 && n <= this.ends[i]!
  }

  add(n: number): void {
    const last = this.starts.length - 1
    // Fast paths: the common case is the next line after the last interval.
    if (last >= 0 && n === this.ends[last]! + 1) {
      this.ends[last] = n
      this.size++
      return
    }
    const i = this.find(n)
    if (i >= 0 && n <= this.ends[i]!) return
    this.size++
    const joinsLeft = i >= 0 && this.ends[i]! + 1 === n
    const joinsRight = i + 1 < this.starts.length && this.starts[i + 1]! === n + 1
    if (joinsLeft && joinsRight) {
      this.ends[i] = this.ends[i + 1]!
      this.starts.splice(i + 1, 1)
      this.ends.splice(i + 1, 1)
    } else if (joinsLeft) this.ends[i] = n
    else if (joinsRight) this.starts[i + 1] = n
    else {
      this.starts.splice(i + 1, 0, n)
      this.ends.splice(i + 1, 0, n)
    }
  }

  /** Number of intervals (for tests and memory checks). */
  get intervals(): number {
    return this.starts.length
  }
}

// ============================================================================
// Journal
// ============================================================================

/**
 * An open journal.
 *
 * @internal
 */
export interface Journal {
  /** The lines finished by earlier runs. */
  readonly done: LineSet
  /** Appends a finished line: written at once (safe from SIGKILL), fsync'd every `syncEvery` lines. */
  readonly append: (line: number) => Effect.Effect<void, BulkError>
  /** Appends finished lines in one write (fsync'd as `append` would): a write per record costs a system call each. */
  readonly appendAll: (lines: ReadonlyArray<number>) => Effect.Effect<void, BulkError>
  /** Writes and fsyncs everything appended so far. */
  readonly flush: Effect.Effect<void, BulkError>
}

const headerLine = (tag: string, binding: Binding): string =>
  JSON.stringify({
    journal: tag,
    version: VERSION,
    file: binding.file,
    format: binding.format,
    size: binding.size,
    head: binding.head,
    tail: binding.tail
  })

const mismatch = (path: string, recorded: Record<string, unknown>, binding: Binding): string | undefined => {
  const differences: Array<string> = []
  if (recorded.format !== binding.format) differences.push(`format ${String(recorded.format)} vs ${binding.format}`)
  if (recorded.size !== binding.size) differences.push(`size ${String(recorded.size)} vs ${binding.size} bytes`)
  else if (recorded.head !== binding.head || recorded.tail !== binding.tail) differences.push("different content")
  if (differences.length === 0) return undefined
  return `the journal ${path} was written for ${String(recorded.file)}, not for ${binding.file} as it is now ` +
    `(${differences.join(", ")}). Resuming would skip the wrong records: use another journal path, or delete ` +
    `${path} to start over`
}

interface Scan {
  header: string | undefined
  /** Byte offset just after the last complete (newline-terminated) line. */
  complete: number
  done: LineSet
  corrupt: number | undefined
}

const scan = (path: string): Effect.Effect<Scan, BulkError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const decoder = new TextDecoder()
    const state: Scan = { header: undefined, complete: 0, done: new LineSet(), corrupt: undefined }
    let pending: Array<Uint8Array> = []
    let pendingLength = 0
    let offset = 0
    let lineNo = 0
    const onLine = (bytes: Uint8Array) => {
      lineNo++
      const text = decoder.decode(bytes).replace(/\r$/, "")
      if (state.header === undefined) state.header = text
      else if (/^[1-9][0-9]*$/.test(text)) state.done.add(Number(text))
      else if (text !== "" && state.corrupt === undefined) state.corrupt = lineNo
    }
    yield* fs.stream(path, { chunkSize: FileSystem.KiB(64) }).pipe(
      Stream.runForEach((chunk) =>
        Effect.sync(() => {
          let start = 0
          for (let i = 0; i < chunk.length; i++) {
            if (chunk[i] !== 10) continue
            const piece = chunk.subarray(start, i)
            if (pendingLength > 0) {
              const joined = new Uint8Array(pendingLength + piece.length)
              let at = 0
              for (const part of pending) {
                joined.set(part, at)
                at += part.length
              }
              joined.set(piece, at)
              onLine(joined)
              pending = []
              pendingLength = 0
            } else onLine(piece)
            start = i + 1
            state.complete = offset + i + 1
          }
          if (start < chunk.length) {
            pending.push(chunk.slice(start))
            pendingLength += chunk.length - start
          }
          offset += chunk.length
        })
      )
    )
    return state
  }).pipe(
    Effect.mapError((error) =>
      error instanceof BulkError
        ? error
        : new BulkError({ reason: "JournalUnwritable", detail: `${path}: ${error.message}` })
    )
  )

/**
 * How a journal is opened: its operation's tag and name, and how often it is fsync'd.
 *
 * @internal
 */
export interface OpenOptions {
  /** The first line's `journal` value, e.g. `chatwoot-platform users update journal`: another is refused. */
  readonly tag: string
  /** The operation's name for messages (`update`: "not a bulk-update journal"). */
  readonly name: string
  /** fsync every this many lines. */
  readonly syncEvery: number
}

/**
 * Opens (or creates) the journal at `path` for the input described by `binding`. An existing journal must carry the
 * same tag (else `JournalCorrupt`: it belongs to another operation, or is no journal) and the same binding (else
 * `JournalMismatch`). A torn last line (no newline: the process died mid-write) is ignored and cut off before
 * appending. The file is fsync'd and closed when the scope closes.
 *
 * @internal
 */
export const open = (
  path: string,
  binding: Binding,
  options: OpenOptions
): Effect.Effect<Journal, BulkError, FileSystem.FileSystem | Scope.Scope> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const unwritable = (error: { readonly message: string }) =>
      new BulkError({ reason: "JournalUnwritable", detail: `${path}: ${error.message}` })
    const exists = yield* fs.exists(path).pipe(Effect.mapError(unwritable))
    let done = new LineSet()
    let fresh = true
    if (exists) {
      const found = yield* scan(path)
      if (found.header !== undefined) {
        let recorded: unknown
        try {
          recorded = JSON.parse(found.header)
        } catch {
          recorded = undefined
        }
        if (
          typeof recorded !== "object" || recorded === null ||
          (recorded as { journal?: unknown }).journal !== options.tag
        ) {
          return yield* new BulkError({
            reason: "JournalCorrupt",
            detail: `${path} is not a bulk-${options.name} journal (refusing to overwrite it)`
          })
        }
        if ((recorded as { version?: unknown }).version !== VERSION) {
          return yield* new BulkError({ reason: "JournalCorrupt", detail: `${path}: unsupported journal version` })
        }
        const different = mismatch(path, recorded as Record<string, unknown>, binding)
        if (different !== undefined) return yield* new BulkError({ reason: "JournalMismatch", detail: different })
        if (found.corrupt !== undefined) {
          return yield* new BulkError({
            reason: "JournalCorrupt",
            detail: `${path}: line ${found.corrupt} is damaged (only a torn last line is tolerated)`
          })
        }
        done = found.done
        fresh = false
        // Cut a torn last line so the next append starts on a fresh line.
        yield* fs.truncate(path, found.complete).pipe(Effect.mapError(unwritable))
      }
    }
    const handle = yield* fs.open(path, { flag: fresh ? "w" : "a" }).pipe(Effect.mapError(unwritable))
    const encoder = new TextEncoder()
    if (fresh) {
      yield* handle.writeAll(encoder.encode(headerLine(options.tag, binding) + "\n")).pipe(Effect.mapError(unwritable))
      yield* handle.sync.pipe(Effect.mapError(unwritable))
    }
    let unsynced = 0
    const flush = Effect.suspend(() => {
      if (unsynced === 0) return Effect.void
      unsynced = 0
      return handle.sync.pipe(Effect.mapError(unwritable))
    })
    yield* Effect.addFinalizer(() => Effect.ignore(flush))
    const appendAll = (lines: ReadonlyArray<number>) =>
      lines.length === 0 ? Effect.void : handle.writeAll(encoder.encode(`${lines.join("\n")}\n`)).pipe(
        Effect.mapError(unwritable),
        Effect.zipRight(Effect.suspend(() => (unsynced += lines.length) >= options.syncEvery ? flush : Effect.void))
      )
    const append = (line: number) => appendAll([line])
    return { done, append, appendAll, flush }
  })
