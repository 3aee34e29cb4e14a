/**
 * Reading a bulk-update file as a stream of records: NDJSON lines or CSV rows, each turned into a checked
 * `(id, payload)` or an invalid-record report. Nothing here holds the whole file.
 *
 * @since 0.1.0
 * @internal
 */
import { Validation, ValidationIssue } from "@chatwoot-effect/core/PlatformUsersError"
import type { UserId } from "@chatwoot-effect/core/User"
import * as UserPayload from "@chatwoot-effect/core/UserPayload"
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as FileSystem from "@effect/platform/FileSystem"
import { parse as csvParse } from "csv-parse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { BulkError } from "./bulkError.js"

/** @internal */
export type Format = "ndjson" | "csv"

/** A record that passed every client-side check and may be sent. */
export interface Accepted {
  readonly _tag: "Accepted"
  readonly line: number
  readonly id: UserId
  readonly payload: UserPayload.UpdateUserPayload
}

/** A record that cannot be sent: unreadable (`Parse`) or breaking a rule (`Validation`). */
export interface Rejected {
  readonly _tag: "Rejected"
  readonly line: number
  readonly id: number | null
  readonly kind: "Parse" | "Validation"
  readonly message: string
  readonly issues?: ReadonlyArray<{ readonly field: string; readonly rule: string; readonly message: string }>
}

/** @internal */
export type InputRecord = Accepted | Rejected

/** Counts the bytes handed to the parser, for the progress bar's ETA. */
export interface ByteCounter {
  bytes: number
}

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const bestEffortId = (u: unknown): number | null => typeof u === "number" && Number.isSafeInteger(u) && u > 0 ? u : null

// Any string under a key that looks like a password is scrubbed from messages, whatever the key's spelling.
const secretsOf = (record: Record<string, unknown>): Array<string> =>
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

const rejected = (
  line: number,
  id: number | null,
  kind: Rejected["kind"],
  message: string,
  issues?: Rejected["issues"]
): Rejected =>
  issues === undefined
    ? { _tag: "Rejected", line, id, kind, message }
    : { _tag: "Rejected", line, id, kind, message, issues }

/**
 * Checks one decoded record: `id` a positive integer, the other fields an update payload (`decodeUpdate`: unknown
 * fields, types and Chatwoot's rules).
 *
 * @internal
 */
export const checkRecord = (line: number, input: unknown): InputRecord => {
  if (!isPlainObject(input)) {
    return rejected(line, null, "Parse", "the record must be a JSON object")
  }
  const { id, ...fields } = input
  const issues: Array<ValidationIssue> = []
  if (id === undefined || id === null || id === "") {
    issues.push(new ValidationIssue({ field: "id", rule: "required", message: "id is required" }))
  } else if (bestEffortId(id) === null) {
    issues.push(
      new ValidationIssue({ field: "id", rule: "positive_integer", message: "id must be a positive integer" })
    )
  }
  const decoded = UserPayload.decodeUpdate(fields)
  if (Either.isLeft(decoded)) issues.push(...decoded.left.issues)
  else if (Object.keys(decoded.right).length === 0 && issues.length === 0) {
    issues.push(
      new ValidationIssue({ field: "payload", rule: "empty", message: "nothing to update: only the id is set" })
    )
  }
  if (issues.length > 0 || Either.isLeft(decoded)) {
    // Only a rejected record's messages are written out, so only they are scrubbed.
    const secrets = secretsOf(fields)
    const validation = new Validation({
      operation: "update",
      source: "client",
      attributes: [...new Set(issues.map((issue) => issue.field))],
      issues
    })
    return rejected(
      line,
      bestEffortId(id),
      "Validation",
      scrub(validation.message, secrets),
      issues.map((issue) => ({ field: issue.field, rule: issue.rule, message: scrub(issue.message, secrets) }))
    )
  }
  return { _tag: "Accepted", line, id: id as UserId, payload: decoded.right }
}

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
 * @internal
 */
export const parseJsonLine = (line: number, text: string): InputRecord => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return rejected(line, null, "Parse", jsonErrorMessage(error))
  }
  return checkRecord(line, value)
}

const ndjsonRecords = <E, R>(bytes: Stream.Stream<Uint8Array, E, R>): Stream.Stream<InputRecord, E, R> =>
  bytes.pipe(
    Stream.decodeText(),
    Stream.splitLines,
    Stream.zipWithIndex,
    Stream.filterMap(([text, index]) => {
      const clean = index === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
      // Blank lines are not records (a trailing newline, spacing between blocks).
      return clean.trim() === "" ? Option.none() : Option.some(parseJsonLine(index + 1, clean))
    })
  )

// ============================================================================
// CSV
// ============================================================================

const plainColumns = ["id", "name", "display_name", "email", "password", "custom_attributes"] as const
const attributePrefix = "custom_attributes."

/**
 * A checked CSV header.
 *
 * @internal
 */
export interface CsvHeader {
  readonly columns: ReadonlyArray<string>
}

/**
 * Checks a CSV header row: an `id` column, only known columns, no duplicates.
 *
 * @internal
 */
export const checkHeader = (cells: ReadonlyArray<string>): Either.Either<CsvHeader, string> => {
  const columns = cells.map((cell) => cell.trim())
  const problems: Array<string> = []
  const seen = new Set<string>()
  for (const column of columns) {
    if (seen.has(column)) problems.push(`duplicate column "${column}"`)
    seen.add(column)
    const known = (plainColumns as ReadonlyArray<string>).includes(column) ||
      (column.startsWith(attributePrefix) && column.length > attributePrefix.length)
    if (!known) problems.push(`unknown column "${column}"`)
  }
  if (!seen.has("id")) problems.push("no \"id\" column")
  return problems.length === 0 ? Either.right({ columns }) : Either.left(
    `${problems.join("; ")}. Columns are ${plainColumns.join(", ")} and custom_attributes.KEY (one per attribute)`
  )
}

/**
 * Turns one CSV data row into a record. Empty cells are "not set"; `custom_attributes` is a JSON object cell;
 * `custom_attributes.KEY` cells are string values merged over it.
 *
 * @internal
 */
export const csvRowRecord = (line: number, header: CsvHeader, cells: ReadonlyArray<string>): InputRecord => {
  const idCell = cells[header.columns.indexOf("id")]?.trim() ?? ""
  const id = /^\d+$/.test(idCell) ? Number(idCell) : idCell
  if (cells.length !== header.columns.length) {
    return rejected(
      line,
      bestEffortId(id),
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
    if (column === "id") record.id = id
    else if (column === "custom_attributes") {
      try {
        attributesCell = JSON.parse(cell)
      } catch {
        return rejected(line, bestEffortId(id), "Parse", "the custom_attributes cell is not valid JSON")
      }
    } else if (column.startsWith(attributePrefix)) {
      hasAttributeColumns = true
      attributes[column.slice(attributePrefix.length)] = cell
    } else record[column] = cell
  }
  if (hasAttributeColumns) {
    record.custom_attributes = isPlainObject(attributesCell) ?
      { ...attributesCell, ...attributes } :
      attributesCell === undefined
      ? attributes
      : attributesCell
  } else if (attributesCell !== undefined) record.custom_attributes = attributesCell
  return checkRecord(line, record)
}

interface CsvChunk {
  readonly record?: ReadonlyArray<string>
  readonly info?: { readonly lines: number; readonly empty_lines: number }
  readonly skipped?: { readonly code: string; readonly lines: number; readonly empty_lines: number }
}

interface CsvState {
  readonly header: CsvHeader | undefined
  readonly lastLine: number
  readonly emptyLines: number
  /** CRLFs seen inside quoted fields: csv-parse counts each of them as two lines. */
  readonly quotedCrlf: number
}

const csvErrorMessage = (code: string): string =>
  code === "CSV_QUOTE_NOT_CLOSED"
    ? "a quoted field is never closed (the file ends inside quotes)"
    : `the row is not valid CSV (${code})`

const csvRecords = <E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>
): Stream.Stream<InputRecord, E | BulkError, R> =>
  bytes.pipe(
    NodeStream.pipeThroughDuplex<BulkError, CsvChunk>(
      () => {
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
        return parser
      },
      (error) =>
        new BulkError({
          reason: "InputUnreadable",
          detail: `the CSV parser failed: ${(error as { code?: string }).code ?? "unknown error"}`
        })
    ),
    Stream.mapAccumEffect(
      { header: undefined, lastLine: 0, emptyLines: 0, quotedCrlf: 0 } as CsvState,
      (state, chunk: CsvChunk): Effect.Effect<readonly [CsvState, Array<InputRecord>], BulkError> => {
        const position = chunk.info ?? chunk.skipped
        if (position === undefined) return Effect.succeed([state, []])
        // csv-parse counts the line where a record ends; a result names the line where it starts.
        const line = state.lastLine + 1 + (position.empty_lines - state.emptyLines)
        const quotedCrlf = state.quotedCrlf +
          (chunk.record ?? []).reduce((n, cell) => n + cell.split("\r\n").length - 1, 0)
        const next: CsvState = {
          header: state.header,
          lastLine: position.lines - quotedCrlf,
          emptyLines: position.empty_lines,
          quotedCrlf
        }
        if (chunk.skipped !== undefined) {
          if (state.header === undefined) {
            return Effect.fail(new BulkError({ reason: "BadHeader", detail: csvErrorMessage(chunk.skipped.code) }))
          }
          return Effect.succeed([next, [rejected(line, null, "Parse", csvErrorMessage(chunk.skipped.code))]])
        }
        const cells = chunk.record ?? []
        if (state.header === undefined) {
          return Either.match(checkHeader(cells), {
            onLeft: (detail) => Effect.fail(new BulkError({ reason: "BadHeader", detail })),
            onRight: (header) => Effect.succeed([{ ...next, header }, []] as const)
          })
        }
        return Effect.succeed([next, [csvRowRecord(line, state.header, cells)]])
      }
    ),
    Stream.flattenIterables
  )

/**
 * Streams the records of `file`, never holding more than a read buffer of it. `counter.bytes` follows how far the
 * file has been read.
 *
 * @internal
 */
export const records = (
  file: string,
  format: Format,
  counter: ByteCounter
): Stream.Stream<InputRecord, BulkError, FileSystem.FileSystem> =>
  Stream.unwrap(Effect.map(FileSystem.FileSystem, (fs) => {
    const bytes = fs.stream(file, { chunkSize: FileSystem.KiB(64) }).pipe(
      Stream.mapError((error) => new BulkError({ reason: "InputUnreadable", detail: `${file}: ${error.message}` })),
      Stream.tap((chunk) => Effect.sync(() => (counter.bytes += chunk.length)))
    )
    return format === "csv" ? csvRecords(bytes) : ndjsonRecords(bytes)
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
