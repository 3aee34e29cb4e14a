/**
 * @since 0.1.0
 * @internal
 */
import * as Schema from "effect/Schema"

/**
 * Why a bulk run could not start or had to stop. Invalid records and failed sends are never a `BulkError`: they are
 * reported per record.
 *
 * @since 0.1.0
 * @internal
 */
export class BulkError extends Schema.TaggedError<BulkError>("@chatwoot-effect/cli/BulkError")("BulkError", {
  reason: Schema.Literal(
    /** The input file does not exist. */
    "InputNotFound",
    /** The input file could not be read (permissions, I/O error, a directory). */
    "InputUnreadable",
    /** The format is neither given nor known from the file's extension. */
    "UnknownFormat",
    /** The CSV header row is missing, malformed or names unknown columns. */
    "BadHeader",
    /** The journal belongs to another input file (or another version of it). */
    "JournalMismatch",
    /** The journal exists but is not a bulk-update journal, or a line other than the last is damaged. */
    "JournalCorrupt",
    /** The journal could not be created, read or written. */
    "JournalUnwritable",
    /** Chatwoot rejected the platform token (`Unauthorized`, `InvalidToken`): every further request would fail. */
    "InvalidToken"
  ),
  detail: Schema.String,
  /** The operation the run was for (`bulk provision: ...`); unset is `update`, what the first bulk command did. */
  operation: Schema.optional(Schema.String)
}) {
  get message(): string {
    return `bulk ${this.operation ?? "update"}: ${this.detail}`
  }
}
