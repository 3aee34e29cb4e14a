/**
 * The records of a bulk update: `{id, ...fields}`, `id` a positive integer and the other fields an update payload.
 * How the bulk engine reads them from NDJSON and CSV.
 *
 * @since 0.1.0
 * @internal
 */
import { Validation, ValidationIssue } from "@chatwoot-effect/core/PlatformUsersError"
import type { UserId } from "@chatwoot-effect/core/User"
import * as UserPayload from "@chatwoot-effect/core/UserPayload"
import * as Either from "effect/Either"
import * as Input from "./bulkInput.js"

/**
 * A record that may be sent: `PlatformUsers.update(id, payload)`.
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export type Accepted = Input.Accepted<UserPayload.UpdateUserPayload, UserId>

const bestEffortId = (u: unknown): number | null => typeof u === "number" && Number.isSafeInteger(u) && u > 0 ? u : null

/**
 * Checks one decoded record: `id` a positive integer, the other fields an update payload (`decodeUpdate`: unknown
 * fields, types and Chatwoot's rules).
 *
 * @since 0.1.0
 * @category Checks
 * @internal
 */
export const checkRecord = (line: number, input: unknown): Accepted | Input.Rejected => {
  if (!Input.isPlainObject(input)) {
    return Input.rejected(line, null, "Parse", "the record must be a JSON object")
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
    const secrets = Input.secretsOf(fields)
    const validation = new Validation({
      operation: "update",
      source: "client",
      attributes: [...new Set(issues.map((issue) => issue.field))],
      issues
    })
    return Input.rejected(
      line,
      bestEffortId(id),
      "Validation",
      Input.scrub(validation.message, secrets),
      issues.map((issue) => ({ field: issue.field, rule: issue.rule, message: Input.scrub(issue.message, secrets) }))
    )
  }
  return { _tag: "Accepted", line, id: id as UserId, payload: decoded.right }
}

/**
 * The CSV columns of an update: `id`, the payload's fields, `custom_attributes.KEY`.
 *
 * @since 0.2.0
 * @category CSV
 * @internal
 */
export const columns: Input.Columns<Accepted> = {
  columns: ["id", "name", "display_name", "email", "password", "custom_attributes"],
  required: ["id"],
  key: "id",
  attributeColumns: true,
  cell: (column, text) => {
    if (column !== "id") return text
    const trimmed = text.trim()
    return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed
  },
  id: bestEffortId,
  check: checkRecord
}

/**
 * @since 0.2.0
 * @category Reading
 * @internal
 */
export const reader: Input.Reader<Accepted> = { json: checkRecord, csv: Input.csvTable(columns) }
