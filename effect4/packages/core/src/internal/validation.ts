// Broken rules as this edition's `Validation` error, and the untrusted-object step of the payload decoders.
import * as Result from "effect/Result"
import type { Operation } from "../PlatformUsersError.js"
import { Validation, ValidationIssue } from "../PlatformUsersError.js"
import type { Issue } from "./payloadRules.js"
import { isPlainObject } from "./payloadRules.js"

export const validation = (operation: Operation, issues: ReadonlyArray<Issue>): Validation =>
  new Validation({
    operation,
    source: "client",
    attributes: Array.from(new Set(issues.map((issue) => issue.field))),
    issues: issues.map((issue) => new ValidationIssue(issue))
  })

export const toResult = <A>(
  operation: Operation,
  issues: ReadonlyArray<Issue>,
  value: A
): Result.Result<A, Validation> =>
  issues.length > 0 ? Result.fail(validation(operation, issues)) : Result.succeed(value)

/**
 * Untrusted input: a plain object whose keys are all known. Returns a copy holding them (built with `fromEntries`,
 * so a `"__proto__"` key could never become the prototype), to be checked by the payload's own rules next.
 */
export const decodeObject = (
  operation: Operation,
  input: unknown,
  knownKeys: ReadonlyArray<string>
): Result.Result<Record<string, unknown>, Validation> => {
  if (!isPlainObject(input)) {
    return Result.fail(validation(operation, [{
      field: "payload",
      rule: "type",
      message: "the payload must be a JSON object"
    }]))
  }
  const unknown = Object.keys(input).filter((key) => !knownKeys.includes(key))
  return toResult(
    operation,
    unknown.map((key) => ({
      field: key,
      rule: "unknown_field",
      message: `not a field of this payload (expected ${knownKeys.join(", ")})`
    })),
    Object.fromEntries(Object.entries(input))
  )
}
