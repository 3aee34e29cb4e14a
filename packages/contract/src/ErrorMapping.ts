/**
 * How a non-2xx answer of the Platform API reads as an error, as plain data: each descriptor carries the fields of the
 * typed error of that tag, and each edition builds its own error value from it. Also the messages both editions' errors
 * share.
 *
 * @since 0.1.0
 */
import type { Operation, ResourceKind } from "./Operations.js"
import { describeResource, permissionHints, resourceLabels } from "./Operations.js"
import type { Route } from "./Routes.js"
import { redactServerMessage } from "./UserRules.js"
import { parseRetryAfter } from "./Wire.js"

/**
 * A 401: the token is wrong (`InvalidToken`) or the app may not manage the record (`NonPermissibleResource`).
 *
 * @since 0.1.0
 * @category Models
 */
export interface UnauthorizedDescriptor {
  readonly _tag: "Unauthorized"
  readonly operation: Operation
  readonly reason: "InvalidToken" | "NonPermissibleResource"
  readonly resource?: ResourceKind
  readonly id?: number
}

/**
 * A 404 on a member route: the record is missing.
 *
 * @since 0.1.0
 * @category Models
 */
export interface NotFoundDescriptor {
  readonly _tag: "NotFound"
  readonly operation: Operation
  readonly resource: ResourceKind
  readonly id: number
}

/**
 * A 422 on a route that validates.
 *
 * @since 0.1.0
 * @category Models
 */
export interface ValidationDescriptor {
  readonly _tag: "Validation"
  readonly operation: Operation
  readonly source: "server"
  readonly attributes: ReadonlyArray<string>
  readonly issues: readonly []
  readonly serverMessage: string
}

/**
 * A 429.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RateLimitedDescriptor {
  readonly _tag: "RateLimited"
  readonly operation: Operation
  readonly retryAfterMillis?: number
}

/**
 * A 5xx.
 *
 * @since 0.1.0
 * @category Models
 */
export interface ServerErrorDescriptor {
  readonly _tag: "ServerError"
  readonly operation: Operation
  readonly status: number
  readonly error?: string
}

/**
 * An answer off the contract: a status the route never gives (`Status`) or a 400 (`BadRequest`).
 *
 * @since 0.1.0
 * @category Models
 */
export interface UnexpectedResponseDescriptor {
  readonly _tag: "UnexpectedResponse"
  readonly operation: Operation
  readonly reason: "Decode" | "Status" | "BadRequest"
  readonly status: number
  readonly detail: string
}

/**
 * What a non-2xx answer means, by error tag.
 *
 * @since 0.1.0
 * @category Models
 */
export type ErrorDescriptor =
  | UnauthorizedDescriptor
  | NotFoundDescriptor
  | ValidationDescriptor
  | RateLimitedDescriptor
  | ServerErrorDescriptor
  | UnexpectedResponseDescriptor

/**
 * The message of a `Validation` error.
 *
 * @since 0.1.0
 * @category Messages
 */
export const validationMessage = (error: {
  readonly operation: Operation
  readonly source: "client" | "server"
  readonly attributes: ReadonlyArray<string>
  readonly issues: ReadonlyArray<{ readonly field: string; readonly rule: string; readonly message: string }>
  readonly serverMessage?: string | undefined
}): string => {
  const details = error.source === "server"
    ? error.serverMessage ?? error.attributes.join(", ")
    : error.issues.map((issue) => `${issue.field}: ${issue.message} [${issue.rule}]`).join("; ")
  return `${error.operation}: invalid ${error.attributes.join(", ")} (${
    error.source === "client" ? "checked before sending, nothing was sent" : "rejected by Chatwoot with 422"
  }): ${details}`
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

/** `{"error": "..."}`: the body of a 401 and of Rails' own error pages. */
const errorOf = (body: string): string | undefined => {
  const json = parseJson(body)
  return isRecord(json) && typeof json.error === "string" ? json.error : undefined
}

/** `{"message": "...", "attributes": [...]}`: the 422 body of `ActiveRecord::RecordInvalid`. */
const recordInvalidOf = (
  body: string
): { readonly message: string; readonly attributes: ReadonlyArray<string> } | undefined => {
  const json = parseJson(body)
  return isRecord(json) && typeof json.message === "string" && Array.isArray(json.attributes) &&
      json.attributes.every((attribute) => typeof attribute === "string")
    ? { message: json.message, attributes: json.attributes as ReadonlyArray<string> }
    : undefined
}

/**
 * A body shortened for a message: whitespace folded, at most 200 characters.
 *
 * @since 0.1.0
 * @category Messages
 */
export const excerpt = (body: string): string => {
  const flat = body.replace(/\s+/g, " ").trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat
}

/**
 * Reads a non-2xx response into what went wrong, already narrowed to what the route can raise: a 404 on a route with
 * no record to miss (a wrong base URL) and a 422 where Chatwoot never validates are `UnexpectedResponse` "Status".
 *
 * @since 0.1.0
 * @category Client
 */
export const classifyResponse = (options: {
  readonly route: Pick<Route, "operation" | "method" | "pattern" | "param" | "resource" | "raises">
  /** The path parameter's value, on a member route. */
  readonly id: number | undefined
  readonly status: number
  readonly body: string
  readonly retryAfter?: string | undefined
  readonly now: number
}): ErrorDescriptor => {
  const { body, id, route, status } = options
  const operation = route.operation
  const unexpected = (reason: UnexpectedResponseDescriptor["reason"], detail: string): ErrorDescriptor => ({
    _tag: "UnexpectedResponse",
    operation,
    reason,
    status,
    detail
  })
  switch (status) {
    case 401: {
      const reason = errorOf(body) === "Non permissible resource" ? "NonPermissibleResource" : "InvalidToken"
      return route.param === undefined || id === undefined
        ? { _tag: "Unauthorized", operation, reason }
        : { _tag: "Unauthorized", operation, reason, resource: route.resource, id }
    }
    case 404:
      return route.raises.notFound && id !== undefined
        ? { _tag: "NotFound", operation, resource: route.resource, id }
        : unexpected("Status", `404 on ${route.method} ${route.pattern}: is the base URL right?`)
    case 422: {
      const decoded = recordInvalidOf(body)
      const error: ValidationDescriptor = decoded !== undefined
        ? {
          _tag: "Validation",
          operation,
          source: "server",
          attributes: decoded.attributes,
          issues: [],
          serverMessage: redactServerMessage(decoded.message)
        }
        : {
          _tag: "Validation",
          operation,
          source: "server",
          attributes: [],
          issues: [],
          serverMessage: `422 with an unreadable body: ${excerpt(redactServerMessage(body))}`
        }
      return route.raises.validation ? error : unexpected("Status", validationMessage(error))
    }
    case 429: {
      const retryAfterMillis = parseRetryAfter(options.retryAfter, options.now)
      return retryAfterMillis === undefined
        ? { _tag: "RateLimited", operation }
        : { _tag: "RateLimited", operation, retryAfterMillis }
    }
    case 400:
      return unexpected("BadRequest", "Chatwoot could not parse the request (400 Bad Request)")
  }
  if (status >= 500) {
    const error = errorOf(body) ?? (body.trim() === "" ? undefined : excerpt(body))
    return error === undefined
      ? { _tag: "ServerError", operation, status }
      : { _tag: "ServerError", operation, status, error }
  }
  return unexpected("Status", body === "" ? "empty body" : excerpt(body))
}

const onResource = (resource: ResourceKind | undefined, id: number | undefined) =>
  resource === undefined || id === undefined ? "" : ` on ${describeResource(resource, id)}`

/**
 * The message of an `Unauthorized` error: what the token or the app's permission lacks, and what to do about it.
 *
 * @since 0.1.0
 * @category Messages
 */
export const unauthorizedMessage = (error: {
  readonly operation: Operation
  readonly reason: "InvalidToken" | "NonPermissibleResource"
  readonly resource?: ResourceKind | undefined
  readonly id?: number | undefined
}): string => {
  const on = onResource(error.resource, error.id)
  return error.reason === "InvalidToken"
    ? `${error.operation}${on}: Chatwoot rejected the platform token (Invalid access_token). ` +
      "Use the access token of a platform app (Super Admin > Platform Apps), not a user's or an agent bot's. " +
      "If the token is right, a proxy in front of Chatwoot may have dropped its header: nginx drops " +
      "api_access_token (a name with underscores) unless underscores_in_headers is on; api-access-token, the " +
      "default, gets through."
    : `${error.operation}${on}: this platform app has no permission on the ${
      resourceLabels[error.resource ?? "user"]
    } (Non permissible resource). ${permissionHints[error.resource ?? "user"]}`
}

/**
 * The message of a `NotFound` error.
 *
 * @since 0.1.0
 * @category Messages
 */
export const notFoundMessage = (error: {
  readonly operation: Operation
  readonly resource: ResourceKind
  readonly id: number
}): string => `${error.operation}: ${describeResource(error.resource, error.id)} was not found`

/**
 * The message of a `RateLimited` error, with the wait Chatwoot asked for (in whole seconds) when it said.
 *
 * @since 0.1.0
 * @category Messages
 */
export const rateLimitedMessage = (error: {
  readonly operation: Operation
  readonly retryAfterMillis?: number | undefined
}): string =>
  `${error.operation}: rate limited by Chatwoot (429 Retry later)` +
  (error.retryAfterMillis === undefined ? "" : `; retry after ${Math.ceil(error.retryAfterMillis / 1000)}s`) +
  ". Chatwoot allows RACK_ATTACK_LIMIT requests a minute per IP (3000 by default)."

/**
 * The message of a `ServerError` error.
 *
 * @since 0.1.0
 * @category Messages
 */
export const serverErrorMessage = (error: {
  readonly operation: Operation
  readonly status: number
  readonly error?: string | undefined
}): string =>
  `${error.operation}: Chatwoot answered ${error.status}${error.error === undefined ? "" : ` (${error.error})`}`

/**
 * The message of a `TransportError` error.
 *
 * @since 0.1.0
 * @category Messages
 */
export const transportErrorMessage = (error: {
  readonly operation: Operation
  readonly reason: "Network" | "Timeout" | "InvalidUrl"
  readonly detail: string
}): string =>
  `${error.operation}: ${
    error.reason === "Timeout" ? "timed out" : error.reason === "InvalidUrl" ? "invalid URL" : "network error"
  }: ${error.detail}`

/**
 * The message of an `UnexpectedResponse` error.
 *
 * @since 0.1.0
 * @category Messages
 */
export const unexpectedResponseMessage = (error: {
  readonly operation: Operation
  readonly reason: "Decode" | "Status" | "BadRequest"
  readonly status: number
  readonly detail: string
}): string => `${error.operation}: unexpected response (${error.reason}, status ${error.status}): ${error.detail}`
