// The client-side checks of the accounts, account users and agent bots payloads: the plain checks are the contract's
// (`@chatwoot-effect/contract/PayloadChecks`); here they become `Validation` errors.
import * as PayloadChecks from "@chatwoot-effect/contract/PayloadChecks"
import type { Issue } from "@chatwoot-effect/contract/PayloadChecks"
import { attributesOf } from "@chatwoot-effect/contract/UserRules"
import * as Either from "effect/Either"
import type { Operation } from "../PlatformUsersError.js"
import { Validation, ValidationIssue } from "../PlatformUsersError.js"

export type { Issue, TextRule } from "@chatwoot-effect/contract/PayloadChecks"
export {
  isPlainObject,
  notAnObject,
  oneOf,
  positiveInteger,
  required,
  roleIssues,
  text
} from "@chatwoot-effect/contract/PayloadChecks"

export const validation = (operation: Operation, issues: ReadonlyArray<Issue>): Validation =>
  new Validation({
    operation,
    source: "client",
    attributes: attributesOf(issues),
    issues: issues.map((issue) => new ValidationIssue(issue))
  })

export const toEither = <A>(
  operation: Operation,
  issues: ReadonlyArray<Issue>,
  value: A
): Either.Either<A, Validation> => issues.length > 0 ? Either.left(validation(operation, issues)) : Either.right(value)

/**
 * Untrusted input: a plain object whose keys are all known. Returns a copy holding them (built with `fromEntries`,
 * so a `"__proto__"` key could never become the prototype), to be checked by the payload's own rules next.
 */
export const decodeObject = (
  operation: Operation,
  input: unknown,
  knownKeys: ReadonlyArray<string>
): Either.Either<Record<string, unknown>, Validation> => {
  const checked = PayloadChecks.checkObject(input, knownKeys)
  return checked._tag === "Object" ? Either.right(checked.value) : Either.left(validation(operation, checked.issues))
}
