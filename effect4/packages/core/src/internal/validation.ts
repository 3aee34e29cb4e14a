// Broken rules as this edition's `Validation` error, and the untrusted-object step of the payload decoders.
import * as PayloadChecks from "@chatwoot-effect/contract/PayloadChecks"
import type { Issue } from "@chatwoot-effect/contract/PayloadChecks"
import { attributesOf } from "@chatwoot-effect/contract/UserRules"
import * as Result from "effect/Result"
import type { Operation } from "../PlatformUsersError.js"
import { Validation, ValidationIssue } from "../PlatformUsersError.js"

export const validation = (operation: Operation, issues: ReadonlyArray<Issue>): Validation =>
  new Validation({
    operation,
    source: "client",
    attributes: attributesOf(issues),
    issues: issues.map((issue) => new ValidationIssue(issue))
  })

export const toResult = <A>(
  operation: Operation,
  issues: ReadonlyArray<Issue>,
  value: A
): Result.Result<A, Validation> =>
  issues.length > 0 ? Result.fail(validation(operation, issues)) : Result.succeed(value)

/**
 * Untrusted input: a plain object whose keys are all known (the contract's `checkObject`), to be checked by the
 * payload's own rules next.
 */
export const decodeObject = (
  operation: Operation,
  input: unknown,
  knownKeys: ReadonlyArray<string>
): Result.Result<Record<string, unknown>, Validation> => {
  const checked = PayloadChecks.checkObject(input, knownKeys)
  return checked._tag === "Object" ? Result.succeed(checked.value) : Result.fail(validation(operation, checked.issues))
}
