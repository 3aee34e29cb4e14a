/**
 * The request payloads of create and update, and their client-side validation with Chatwoot's own rules.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { Operation } from "./PlatformUsersError.js"
import { Validation, ValidationIssue } from "./PlatformUsersError.js"
import { CustomAttributes } from "./User.js"
import * as UserRules from "./UserRules.js"

/**
 * The body of `PATCH /users/{id}`: every field optional, only what is sent changes. `display_name` may be `null`.
 * `custom_attributes` is shallow-merged into the stored ones by Chatwoot. The password is held as `Redacted`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const UpdateUserPayload = Schema.Struct({
  name: Schema.optional(Schema.String),
  display_name: Schema.optional(Schema.NullOr(Schema.String)),
  email: Schema.optional(Schema.String),
  password: Schema.optional(Schema.Redacted(Schema.String)),
  custom_attributes: Schema.optional(CustomAttributes)
}).annotations({ identifier: "UpdateUserPayload" })

/**
 * @since 0.1.0
 * @category Models
 */
export type UpdateUserPayload = typeof UpdateUserPayload.Type

/**
 * The body of `POST /users`. Chatwoot answers 500 without a name and 422 without an email or a password, so all
 * three are required here.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const CreateUserPayload = Schema.Struct({
  name: Schema.String,
  display_name: Schema.optional(Schema.NullOr(Schema.String)),
  email: Schema.String,
  password: Schema.Redacted(Schema.String),
  custom_attributes: Schema.optional(CustomAttributes)
}).annotations({ identifier: "CreateUserPayload" })

/**
 * @since 0.1.0
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

const check = <P extends UpdateUserPayload>(operation: Operation, payload: P): Either.Either<P, Validation> => {
  const { email, violations } = UserRules.payloadViolations({
    email: payload.email,
    password: payload.password === undefined ? undefined : Redacted.value(payload.password),
    custom_attributes: payload.custom_attributes
  })
  const normalized = email === undefined ? payload : { ...payload, email }
  return violations.length > 0 ? Either.left(validationOf(operation, violations)) : Either.right(normalized)
}

/**
 * Checks an update payload against Chatwoot's rules (email format, password policy, `custom_attributes` a JSON
 * object) and returns it with the email normalised (trimmed, lowercased), or a `Validation` naming every broken rule.
 *
 * @since 0.1.0
 * @category Validation
 */
export const validateUpdate = (payload: UpdateUserPayload): Either.Either<UpdateUserPayload, Validation> =>
  check("update", payload)

/**
 * Checks a create payload; see {@link validateUpdate}.
 *
 * @since 0.1.0
 * @category Validation
 */
export const validateCreate = (payload: CreateUserPayload): Either.Either<CreateUserPayload, Validation> =>
  check("create", payload)

// Built once: the bulk command decodes every record of a file with them.
const strictUpdate = Schema.decodeUnknownEither(UpdateUserPayload, { errors: "all", onExcessProperty: "error" })
const strictCreate = Schema.decodeUnknownEither(CreateUserPayload, { errors: "all", onExcessProperty: "error" })

const issuesOfParseError = (error: ParseResult.ParseError): Array<UserRules.RuleViolation> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
    UserRules.decodeViolation({ path: issue.path, kind: issue._tag, message: issue.message })
  )

/**
 * Decodes untrusted input (a JSON object from a file or the command line) into a checked update payload. Unknown
 * fields are rejected, so a typo never turns into a silent no-op.
 *
 * @since 0.1.0
 * @category Validation
 */
export const decodeUpdate = (input: unknown): Either.Either<UpdateUserPayload, Validation> =>
  strictUpdate(input).pipe(
    Either.mapLeft((error) => validationOf("update", issuesOfParseError(error))),
    Either.flatMap(validateUpdate)
  )

/**
 * Decodes untrusted input into a checked create payload; see {@link decodeUpdate}.
 *
 * @since 0.1.0
 * @category Validation
 */
export const decodeCreate = (input: unknown): Either.Either<CreateUserPayload, Validation> =>
  strictCreate(input).pipe(
    Either.mapLeft((error) => validationOf("create", issuesOfParseError(error))),
    Either.flatMap(validateCreate)
  )
