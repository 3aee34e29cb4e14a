/**
 * The request payloads of create and update, and their client-side validation with Chatwoot's own rules.
 *
 * @since 1.0.0
 */
import * as UserRules from "@chatwoot-effect/contract/UserRules"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { leavesOf } from "./internal/schemaIssues.js"
import type { Operation } from "./PlatformUsersError.js"
import { Validation, ValidationIssue } from "./PlatformUsersError.js"
import { CustomAttributes } from "./User.js"

/**
 * The body of `PATCH /users/{id}`: every field optional, only what is sent changes. `display_name` may be `null`.
 * `custom_attributes` is shallow-merged into the stored ones by Chatwoot. The password is held as `Redacted`.
 *
 * @since 1.0.0
 * @category Schemas
 */
export const UpdateUserPayload = Schema.Struct({
  name: Schema.optional(Schema.String),
  display_name: Schema.optional(Schema.NullOr(Schema.String)),
  email: Schema.optional(Schema.String),
  password: Schema.optional(Schema.RedactedFromValue(Schema.String)),
  custom_attributes: Schema.optional(CustomAttributes)
}).annotate({ identifier: "UpdateUserPayload" })

/**
 * @since 1.0.0
 * @category Models
 */
export type UpdateUserPayload = typeof UpdateUserPayload.Type

/**
 * The body of `POST /users`. Chatwoot answers 500 without a name and 422 without an email or a password, so all
 * three are required here.
 *
 * @since 1.0.0
 * @category Schemas
 */
export const CreateUserPayload = Schema.Struct({
  name: Schema.String,
  display_name: Schema.optional(Schema.NullOr(Schema.String)),
  email: Schema.String,
  password: Schema.RedactedFromValue(Schema.String),
  custom_attributes: Schema.optional(CustomAttributes)
}).annotate({ identifier: "CreateUserPayload" })

/**
 * @since 1.0.0
 * @category Models
 */
export type CreateUserPayload = typeof CreateUserPayload.Type

const validationOf = (operation: Operation, issues: ReadonlyArray<UserRules.RuleViolation>) =>
  new Validation({
    operation,
    source: "client",
    attributes: UserRules.attributesOf(issues),
    issues: issues.map((issue) => new ValidationIssue(issue))
  })

const check = <P extends UpdateUserPayload>(operation: Operation, payload: P): Result.Result<P, Validation> => {
  const { email, violations } = UserRules.payloadViolations({
    email: payload.email,
    password: payload.password === undefined ? undefined : Redacted.value(payload.password),
    custom_attributes: payload.custom_attributes
  })
  const normalized = email === undefined ? payload : { ...payload, email }
  return violations.length > 0 ? Result.fail(validationOf(operation, violations)) : Result.succeed(normalized)
}

/**
 * Checks an update payload against Chatwoot's rules (email format, password policy, `custom_attributes` a JSON
 * object) and returns it with the email normalised (trimmed, lowercased), or a `Validation` naming every broken rule.
 *
 * @since 1.0.0
 * @category Validation
 */
export const validateUpdate = (payload: UpdateUserPayload): Result.Result<UpdateUserPayload, Validation> =>
  check("update", payload)

/**
 * Checks a create payload; see {@link validateUpdate}.
 *
 * @since 1.0.0
 * @category Validation
 */
export const validateCreate = (payload: CreateUserPayload): Result.Result<CreateUserPayload, Validation> =>
  check("create", payload)

// Built once: the bulk command decodes every record of a file with them.
const strictUpdate = Schema.decodeUnknownResult(UpdateUserPayload, { errors: "all", onExcessProperty: "error" })
const strictCreate = Schema.decodeUnknownResult(CreateUserPayload, { errors: "all", onExcessProperty: "error" })

const issuesOfSchemaError = (error: Schema.SchemaError): Array<UserRules.RuleViolation> =>
  leavesOf(error).map(UserRules.decodeViolation)

/**
 * Decodes untrusted input (a JSON object from a file or the command line) into a checked update payload. Unknown
 * fields are rejected, so a typo never turns into a silent no-op.
 *
 * @since 1.0.0
 * @category Validation
 */
export const decodeUpdate = (input: unknown): Result.Result<UpdateUserPayload, Validation> =>
  strictUpdate(input).pipe(
    Result.mapError((error) => validationOf("update", issuesOfSchemaError(error))),
    Result.flatMap(validateUpdate)
  )

/**
 * Decodes untrusted input into a checked create payload; see {@link decodeUpdate}.
 *
 * @since 1.0.0
 * @category Validation
 */
export const decodeCreate = (input: unknown): Result.Result<CreateUserPayload, Validation> =>
  strictCreate(input).pipe(
    Result.mapError((error) => validationOf("create", issuesOfSchemaError(error))),
    Result.flatMap(validateCreate)
  )
