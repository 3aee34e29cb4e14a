/**
 * Reading the file of a bulk run as a stream of records: NDJSON lines or CSV rows, each turned by the operation's
 * {@link Reader} into a checked record or an invalid-record report. Nothing here holds the whole file, and nothing
 * here knows what a record means: the columns, the checks and the payload are the operation's.
 *
 * @since 0.1.0
 * @internal
 */
import * as FileSystem from "@effect/platform/FileSystem"
import { parse as csvParse } from "csv-parse"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { BulkError } from "./bulkError.js"

/** @internal */
export type Format = "ndjson" | "csv"

/**
 * What a result line names a record by: its `id` (a user id for an update, an email for a provision), or `null`
 * when a record too broken to tell was rejected.
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export type Id = number | string | null

/**
 * A record that passed every client-side check and may be sent. `line` is the 1-based line where it starts, or
 * `null` for a record that no line of the file holds (an operation's after-pass).
 *
 * @since 0.1.0
 * @category Models
 * @internal
 */
export interface Accepted<P, I extends number | string = number | string> {
  readonly _tag: "Accepted"
  readonly line: number | null
  readonly id: I
  readonly payload: P
}

/**
 * One broken rule of a rejected record.
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export interface Issue {
  readonly field: string
  readonly rule: string
  readonly message: string
}

/**
 * A record that cannot be sent: unreadable (`Parse`) or breaking a rule (`Validation`).
 *
 * @since 0.1.0
 * @category Models
 * @internal
 */
export interface Rejected {
  readonly _tag: "Rejected"
  readonly line: number
  readonly id: Id
  readonly kind: "Parse" | "Validation"
  readonly message: string
  readonly issues?: ReadonlyArray<Issue>
}

/**
 * Reads one CSV data row (1-based `line`, the cells as csv-parse split them) once the header was checked.
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export type RowReader<A> = (line: number, cells: ReadonlyArray<string>) => A | Rejected

/**
 * How an operation turns the lines of its file into records.
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export interface Reader<A> {
  /** One NDJSON line, already parsed (any JSON value: checking it is an object is the reader's job). */
  readonly json: (line: number, value: unknown) => A | Rejected
  /** Checks the CSV header row: how to read the rows under it, or why the file cannot be read (`BadHeader`). */
  readonly csv: (header: ReadonlyArray<string>) => Either.Either<RowReader<A>, string>
}

/** Counts the bytes handed to the parser, for the progress bar's ETA. */
export interface ByteCounter {
  bytes: number
}

/**
 * @since 0.2.0
 * @category Guards
 * @internal
 */
export const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Any string under a key that looks like a password, whatever the key's spelling: what to scrub from a rejected
 * record's messages.
 *
 * @since 0.2.0
 * @category Secrets
 * @internal
 */
export const secretsOf = (record: Record<string, unknown>): Array<string> =>
  Object.entries(record).flatMap(([key, value]) =>
    /pass/i.test(key) && typeof value === "string" && value.length > 0 ? [value] : []
  )

/**
 * Replaces every occurrence of a secret in `text`.
 *
 * @internal
 */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string =>
  secrets.reduce((acc, secret) => acc.split(secret).join("[redacted]"), text)

/**
 * @since 0.2.0
 * @category Constructors
 * @internal
 */
export const rejected = (
  line: number,
  id: Id,
  kind: Rejected["kind"],
  message: string,
  issues?: Rejected["issues"]
): Rejected =>
  issues === undefined
    ? { _tag: "Rejected", line, id, kind, message }
    : { _tag: "Rejected", line, id, kind, message, issues }

// ============================================================================
// NDJSON
// ============================================================================

// V8's JSON.parse messages quote the input, which may hold a password: keep only the position.
const jsonErrorMessage = (error: unknown): string => {
  const position = error instanceof Error ? /position (\d+)/.exec(error.message) : null
  return position === null ? "the line is not valid JSON" : `the line is not valid JSON (near character ${position[1]})`
}

/**
 * Parses one NDJSON line (1-based `line`).
 *
 * @since 0.1.0
 * @category NDJSON
 * @internal
 */
export const parseJsonLine = <A>(reader: Reader<A>, line: number, text: string): A | Rejected => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return rejected(line, null, "Parse", jsonErrorMessage(error))
  }
  return reader.json(line, value)
}

const ndjsonRecords = <A, E, R>(
  reader: Reader<A>,
  bytes: Stream.Stream<Uint8Array, E, R>
): Stream.Stream<A | Rejected, E, R> =>
  bytes.pipe(
    Stream.decodeText(),
    Stream.splitLines,
    Stream.zipWithIndex,
    Stream.filterMap(([text, index]) => {
      const clean = index === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
      // Blank lines are not records (a trailing newline, spacing between blocks).
      return clean.trim() === "" ? Option.none() : Option.some(parseJsonLine(reader, index + 1, clean))
    })
  )

// ============================================================================
// CSV: a table of named columns
// ============================================================================

const attributePrefix = "custom_attributes."

/**
 * The columns of an operation's CSV files, and how a row becomes the record its `check` takes (the same shape as
 * an NDJSON line's object).
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export interface Columns<A> {
  /** The columns a header may name (the error message lists them in this order). */
  readonly columns: ReadonlyArray<string>
  /** Columns every header must have. */
  readonly required: ReadonlyArray<string>
  /** The column whose cell names a row in its result line (see `id`). */
  readonly key: string
  /**
   * Also accept one `custom_attributes.KEY` column per attribute: string values merged over the `custom_attributes`
   * JSON cell (a `custom_attributes` column is always read as a JSON cell).
   */
  readonly attributeColumns: boolean
  /** The value of a non-empty cell, e.g. digits as a number for an id. */
  readonly cell: (column: string, text: string) => unknown
  /** A row's display id from the value of its `key` cell (`undefined`: the row has no such cell). */
  readonly id: (value: unknown) => Id
  /** Checks the record a row spells (empty cells are "not set": left out). */
  readonly check: (line: number, record: Record<string, unknown>) => A | Rejected
}

/**
 * A checked CSV header.
 *
 * @internal
 */
export interface CsvHeader {
  readonly columns: ReadonlyArray<string>
}

/**
 * Checks a CSV header row: the required columns, only known columns, no duplicates.
 *
 * @since 0.1.0
 * @category CSV
 * @internal
 */
export const checkHeader = <A>(
  spec: Columns<A>,
  cells: ReadonlyArray<string>
): Either.Either<CsvHeader, string> => {
  const columns = cells.map((cell) => cell.trim())
  const problems: Array<string> = []
  const seen = new Set<string>()
  for (const column of columns) {
    if (seen.has(column)) problems.push(`duplicate column "${column}"`)
    seen.add(column)
    const known = spec.columns.includes(column) ||
      (spec.attributeColumns && column.startsWith(attributePrefix) && column.length > attributePrefix.length)
    if (!known) problems.push(`unknown column "${column}"`)
  }
  for (const column of spec.required) if (!seen.has(column)) problems.push(`no "${column}" column`)
  return problems.length === 0 ? Either.right({ columns }) : Either.left(
    `${problems.join("; ")}. Columns are ${spec.columns.join(", ")}` +
      (spec.attributeColumns ? " and custom_attributes.KEY (one per attribute)" : "")
  )
}

/**
 * Turns one CSV data row into a record. Empty cells are "not set"; `custom_attributes` is a JSON object cell;
 * `custom_attributes.KEY` cells are string values merged over it.
 *
 * @since 0.1.0
 * @category CSV
 * @internal
 */
export const csvRowRecord = <A>(
  spec: Columns<A>,
  line: number,
  header: CsvHeader,
  cells: ReadonlyArray<string>
): A | Rejected => {
  const keyCell = cells[header.columns.indexOf(spec.key)]
  const keyValue = keyCell === undefined ? undefined : spec.cell(spec.key, keyCell)
  if (cells.length !== header.columns.length) {
    return rejected(
      line,
      spec.id(keyValue),
      "Parse",
      `the row has ${cells.length} fields but the header has ${header.columns.length}`
    )
  }
  const record: Record<string, unknown> = {}
  const attributes: Record<string, unknown> = {}
  let hasAttributeColumns = false
  let attributesCell: unknown = undefined
  for (let i = 0; i < cells.length; i++) {
    const column = header.columns[i]!
    const cell = cells[i]!
    if (cell === "") continue
    if (column === spec.key) record[column] = keyValue
    else if (column === "custom_attributes") {
      try {
        attributesCell = JSON.parse(cell)
      } catch {
        return rejected(line, spec.id(keyValue), "Parse", "the custom_attributes cell is not valid JSON")
      }
    } else if (column.startsWith(attributePrefix)) {
      hasAttributeColumns = true
      attributes[column.slice(attributePrefix.length)] = cell
    } else record[column] = spec.cell(column, cell)
  }
  if (hasAttributeColumns) {
    record.custom_attributes = isPlainObject(attributesCell) ?
      { ...attributesCell, ...attributes } :
      attributesCell === undefined
      ? attributes
      : attributesCell
  } else if (attributesCell !== undefined) record.custom_attributes = attributesCell
  return spec.check(line, record)
}

/**
 * The `csv` half of a {@link Reader} for a table of named columns.
 *
 * @since 0.2.0
 * @category CSV
 * @internal
 */
export const csvTable = <A>(spec: Columns<A>) => (cells: ReadonlyArray<string>): Either.Either<RowReader<A>, string> =>
  Either.map(checkHeader(spec, cells), (header) => (line, row) => csvRowRecord(spec, line, header, row))

// ============================================================================
// CSV: parsing
// ============================================================================

interface CsvChunk {
  readonly record?: ReadonlyArray<string>
  readonly info?: { readonly lines: number; readonly empty_lines: number }
  readonly skipped?: { readonly code: string; readonly lines: number; readonly empty_lines: number }
}

const csvErrorMessage = (code: string): string =>
  code === "CSV_QUOTE_NOT_CLOSED"
    ? "a quoted field is never closed (the file ends inside quotes)"
    : `the row is not valid CSV (${code})`

// Fed by hand, one read buffer at a time, and drained before the next: piped as a Duplex, the file was written
// into csv-parse regardless of backpressure (a one-buffer write resolves whether or not the parser wants more) and
// the whole file was read ahead of the records being sent.
const csvRecords = <A, E, R>(
  reader: Reader<A>,
  bytes: Stream.Stream<Uint8Array, E, R>
): Stream.Stream<A | Rejected, E | BulkError, R> =>
  Stream.suspend(() => {
    const parser = csvParse({
      bom: true,
      info: true,
      record_delimiter: ["\r\n", "\n"],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      // Error messages quote field values (maybe a password): keep only the code and where it was.
      on_skip: (error) => {
        const context = error as unknown as { code: string; lines: number; empty_lines: number }
        parser.push({ skipped: { code: context.code, lines: context.lines, empty_lines: context.empty_lines } })
      }
    })
    const parserFailed = (error: unknown) =>
      new BulkError({
        reason: "InputUnreadable",
        detail: `the CSV parser failed: ${(error as { code?: string } | null)?.code ?? "unknown error"}`
      })
    let row: RowReader<A> | undefined
    let lastLine = 0
    let emptyLines = 0
    // CRLFs seen inside quoted fields: csv-parse counts each of them as two lines.
    let quotedCrlf = 0
    // Turns what the parser has ready into records (a failure: the file cannot be read on).
    const drain = (out: Array<A | Rejected>): BulkError | undefined => {
      let chunk: CsvChunk | null
      while ((chunk = parser.read() as CsvChunk | null) !== null) {
        const position = chunk.info ?? chunk.skipped
        if (position === undefined) continue
        // csv-parse counts the line where a record ends; a result names the line where it starts.
        const line = lastLine + 1 + (position.empty_lines - emptyLines)
        if (chunk.record !== undefined) {
          for (const cell of chunk.record) quotedCrlf += cell.split("\r\n").length - 1
        }
        lastLine = position.lines - quotedCrlf
        emptyLines = position.empty_lines
        if (chunk.skipped !== undefined) {
          if (row === undefined) {
            return new BulkError({ reason: "BadHeader", detail: csvErrorMessage(chunk.skipped.code) })
          }
          out.push(rejected(line, null, "Parse", csvErrorMessage(chunk.skipped.code)))
          continue
        }
        const cells = chunk.record ?? []
        if (row === undefined) {
          const header = reader.csv(cells)
          if (Either.isLeft(header)) {
            return new BulkError({ reason: "BadHeader", detail: header.left })
          }
          row = header.right
          continue
        }
        out.push(row(line, cells))
      }
      return parser.errored === null ? undefined : parserFailed(parser.errored)
    }
    // Writing to the parser parses synchronously; draining it after each buffer keeps it from holding more.
    const feed = (buffers: Chunk.Chunk<Uint8Array>): Effect.Effect<Chunk.Chunk<A | Rejected>, BulkError> =>
      Effect.suspend(() => {
        const out: Array<A | Rejected> = []
        for (const buffer of buffers) {
          parser.write(buffer)
          const failure = drain(out)
          if (failure !== undefined) return Effect.fail(failure)
        }
        return Effect.succeed(Chunk.unsafeFromArray(out))
      })
    // The last record may have no newline after it: it is parsed once the parser is ended, which is asynchronous.
    const end = Effect.async<Chunk.Chunk<A | Rejected>, BulkError>((resume) => {
      const out: Array<A | Rejected> = []
      let settled = false
      const settle = (effect: Effect.Effect<Chunk.Chunk<A | Rejected>, BulkError>) => {
        if (settled) return
        settled = true
        parser.off("readable", onReadable)
        resume(effect)
      }
      const onReadable = () => {
        const failure = drain(out)
        if (failure !== undefined) settle(Effect.fail(failure))
      }
      parser.on("readable", onReadable)
      parser.once("end", () => settle(Effect.succeed(Chunk.unsafeFromArray(out))))
      parser.once("error", (error) => settle(Effect.fail(parserFailed(error))))
      parser.end()
      onReadable()
    })
    return Stream.concat(
      Stream.mapChunksEffect(bytes, feed),
      Stream.flattenChunks(Stream.fromEffect(end))
    ).pipe(Stream.ensuring(Effect.sync(() => parser.destroy())))
  })

/**
 * Streams the records of `file`, never holding more than a read buffer of it. `counter.bytes` follows how far the
 * file has been read.
 *
 * @since 0.1.0
 * @category Reading
 * @internal
 */
export const records = <A>(
  reader: Reader<A>,
  file: string,
  format: Format,
  counter: ByteCounter
): Stream.Stream<A | Rejected, BulkError, FileSystem.FileSystem> =>
  Stream.unwrap(Effect.map(FileSystem.FileSystem, (fs) => {
    const bytes = fs.stream(file, { chunkSize: FileSystem.KiB(64) }).pipe(
      Stream.mapError((error) => new BulkError({ reason: "InputUnreadable", detail: `${file}: ${error.message}` })),
      Stream.tap((chunk) => Effect.sync(() => (counter.bytes += chunk.length)))
    )
    return format === "csv" ? csvRecords(reader, bytes) : ndjsonRecords(reader, bytes)
  }))

/**
 * The format named by a file's extension, if any.
 *
 * @internal
 */
export const formatFromPath = (file: string): Format | undefined => {
  const lower = file.toLowerCase()
  if (lower.endsWith(".csv")) return "csv"
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl") || lower.endsWith(".json")) return "ndjson"
  return undefined
}
