/**
 * The typed errors of the Platform API (users, accounts, account users, agent bots). None of them ever holds the
 * platform token, a password or an agent bot's access token.
 *
 * @since 1.0.0
 */
import * as ErrorMapping from "@chatwoot-effect/contract/ErrorMapping"
import * as Operations from "@chatwoot-effect/contract/Operations"
import * as Schema from "effect/Schema"

/**
 * The operations of the users resource. They keep their first names (`create`, `update`...), without a prefix.
 *
 * @since 1.0.0
 * @category Models
 */
export const UserOperation = Schema.Literals(Operations.userOperations)

/**
 * @since 1.0.0
 * @category Models
 */
export type UserOperation = typeof UserOperation.Type

/**
 * The operations of the accounts, account users and agent bots resources, named `<resource>.<operation>`.
 *
 * @since 1.0.0
 * @category Models
 */
export const ResourceOperation = Schema.Literals(Operations.resourceOperations)

/**
 * @since 1.0.0
 * @category Models
 */
export type ResourceOperation = typeof ResourceOperation.Type

/**
 * The operation an error came from: every operation of the Platform API.
 *
 * @since 1.0.0
 * @category Models
 */
export const Operation = Schema.Literals(Operations.operations)

/**
 * @since 1.0.0
 * @category Models
 */
export type Operation = typeof Operation.Type

/**
 * The kind of record a member route acts on, as errors name it. Account users act on their **account**.
 *
 * @since 1.0.0
 * @category Models
 */
export const ResourceKind = Schema.Literals(Operations.resourceKinds)

/**
 * @since 1.0.0
 * @category Models
 */
export type ResourceKind = typeof ResourceKind.Type

/**
 * `user 5`, `account 7`, `agent bot 3`.
 *
 * @since 1.0.0
 * @category Models
 */
export const describeResource: (resource: ResourceKind, id: number) => string = Operations.describeResource

/**
 * A 401. `InvalidToken`: the platform token is missing, unknown, or not a platform app's token
 * (`{"error":"Invalid access_token"}`), or a proxy dropped the token's header, which gives the same answer.
 * `NonPermissibleResource`: the token is fine but this platform app neither created nor claimed the user
 * (`{"error":"Non permissible resource"}`).
 *
 * @since 1.0.0
 * @category Errors
 */
export class Unauthorized
  extends Schema.TaggedError<Unauthorized>("@chatwoot-effect/core/Unauthorized")("Unauthorized", {
    operation: Operation,
    reason: Schema.Literals(["InvalidToken", "NonPermissibleResource"]),
    /** The record the call was about, on a member route. */
    resource: Schema.optional(ResourceKind),
    id: Schema.optional(Schema.Int)
  })
{
  get message(): string {
    return ErrorMapping.unauthorizedMessage(this)
  }
}

/**
 * One broken validation rule.
 *
 * @since 1.0.0
 * @category Models
 */
export class ValidationIssue extends Schema.Class<ValidationIssue>("@chatwoot-effect/core/ValidationIssue")({
  field: Schema.String,
  rule: Schema.String,
  message: Schema.String
}) {}

/**
 * The payload breaks Chatwoot's rules. `source: "client"` when the SDK caught it before sending anything (then
 * `issues` names every field and rule); `source: "server"` for a 422, with Chatwoot's `message` and `attributes`.
 *
 * @since 1.0.0
 * @category Errors
 */
export class Validation extends Schema.TaggedError<Validation>("@chatwoot-effect/core/Validation")("Validation", {
  operation: Operation,
  source: Schema.Literals(["client", "server"]),
  attributes: Schema.Array(Schema.String),
  issues: Schema.Array(ValidationIssue),
  serverMessage: Schema.optional(Schema.String)
}) {
  get message(): string {
    return ErrorMapping.validationMessage(this)
  }
}

/**
 * The record does not exist (404 `{"status":404,"error":"Not Found"}`), or was deleted: a user, an account (also
 * for the account users routes, which look the account up first) or an agent bot.
 *
 * @since 1.0.0
 * @category Errors
 */
export class NotFound extends Schema.TaggedError<NotFound>("@chatwoot-effect/core/NotFound")("NotFound", {
  operation: Operation,
  resource: ResourceKind,
  id: Schema.Int
}) {
  get message(): string {
    return ErrorMapping.notFoundMessage(this)
  }
}

/**
 * Chatwoot's rate limit answered 429 (`Retry later`), and retries, if any, were used up.
 *
 * @since 1.0.0
 * @category Errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>("@chatwoot-effect/core/RateLimited")("RateLimited", {
  operation: Operation,
  retryAfterMillis: Schema.optional(Schema.Number)
}) {
  get message(): string {
    return ErrorMapping.rateLimitedMessage(this)
  }
}

/**
 * A 5xx answer. A 500 from Chatwoot itself carries `{"status":500,"error":"Internal Server Error"}`.
 *
 * @since 1.0.0
 * @category Errors
 */
export class ServerError extends Schema.TaggedError<ServerError>("@chatwoot-effect/core/ServerError")("ServerError", {
  operation: Operation,
  status: Schema.Int,
  error: Schema.optional(Schema.String)
}) {
  get message(): string {
    return ErrorMapping.serverErrorMessage(this)
  }
}

/**
 * The request did not complete: the connection failed or was reset, or the per-request timeout passed.
 *
 * @since 1.0.0
 * @category Errors
 */
export class TransportError
  extends Schema.TaggedError<TransportError>("@chatwoot-effect/core/TransportError")("TransportError", {
    operation: Operation,
    reason: Schema.Literals(["Network", "Timeout", "InvalidUrl"]),
    detail: Schema.String
  })
{
  get message(): string {
    return ErrorMapping.transportErrorMessage(this)
  }
}

/**
 * The response is not what the contract allows: a body that does not fit the schema (`Decode`), a status Chatwoot
 * never sends for this operation (`Status`, e.g. a proxy's 403 or a wrong base URL), or a 400 (`BadRequest`: the
 * server could not parse the request).
 *
 * @since 1.0.0
 * @category Errors
 */
export class UnexpectedResponse
  extends Schema.TaggedError<UnexpectedResponse>("@chatwoot-effect/core/UnexpectedResponse")("UnexpectedResponse", {
    operation: Operation,
    reason: Schema.Literals(["Decode", "Status", "BadRequest"]),
    status: Schema.Int,
    detail: Schema.String
  })
{
  get message(): string {
    return ErrorMapping.unexpectedResponseMessage(this)
  }
}

/**
 * Every error the Platform API can raise.
 *
 * @since 1.0.0
 * @category Errors
 */
export type PlatformUsersError =
  | Unauthorized
  | Validation
  | NotFound
  | RateLimited
  | ServerError
  | TransportError
  | UnexpectedResponse

/**
 * @since 1.0.0
 * @category Errors
 */
export const PlatformUsersError: Schema.Union<
  readonly [
    typeof Unauthorized,
    typeof Validation,
    typeof NotFound,
    typeof RateLimited,
    typeof ServerError,
    typeof TransportError,
    typeof UnexpectedResponse
  ]
> = Schema.Union([Unauthorized, Validation, NotFound, RateLimited, ServerError, TransportError, UnexpectedResponse])

/**
 * The errors of any call, whatever the operation.
 *
 * @since 1.0.0
 * @category Errors
 */
export type CommonError = Unauthorized | RateLimited | ServerError | TransportError | UnexpectedResponse

/**
 * The errors of `get`, `delete`, `loginUrl` and `token`: calls on an existing user with no payload.
 *
 * @since 1.0.0
 * @category Errors
 */
export type MemberError = CommonError | NotFound

/**
 * The errors of `create`.
 *
 * @since 1.0.0
 * @category Errors
 */
export type CreateError = CommonError | Validation

/**
 * The errors of `update`.
 *
 * @since 1.0.0
 * @category Errors
 */
export type UpdateError = CommonError | NotFound | Validation

/**
 * @since 1.0.0
 * @category Guards
 */
export const isPlatformUsersError: (u: unknown) => u is PlatformUsersError = Schema.is(PlatformUsersError)

/**
 * The errors of the `list` operations (accounts, agent bots): the token is all they check.
 *
 * @since 1.0.0
 * @category Errors
 */
export type ListError = CommonError
