/**
 * The wire contract of the Platform Users API, defined once for both sides: routes, bodies, the exact error bodies
 * Chatwoot sends, and the mapping between statuses and typed errors. The live client reads responses with it; the
 * emulator and the in-memory layer write responses with it. So the two cannot drift apart.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { toRailsJson } from "./internal/railsText.js"
import type { CreateError, MemberError, Operation, PlatformUsersError, UserOperation } from "./PlatformUsersError.js"
import {
  NotFound,
  RateLimited,
  ServerError,
  Unauthorized,
  UnexpectedResponse,
  Validation
} from "./PlatformUsersError.js"
import type { UserId } from "./User.js"
import { SsoLink, User, UserToken } from "./User.js"
import { CreateUserPayload, UpdateUserPayload } from "./UserPayload.js"
import * as UserRules from "./UserRules.js"

/**
 * Every Platform API path starts with this.
 *
 * @since 0.1.0
 * @category Routes
 */
export const apiPrefix = "/platform/api/v1"

/**
 * The names of the header that carries the platform app's token. Chatwoot reads it as Rack's `HTTP_API_ACCESS_TOKEN`,
 * which both spellings become, and no other name. Only the hyphenated one survives every proxy: nginx drops request
 * headers whose names contain underscores unless `underscores_in_headers on` is set.
 *
 * @since 0.1.0
 * @category Routes
 */
export const TokenHeader = Schema.Literal("api-access-token", "api_access_token")

/**
 * @since 0.1.0
 * @category Routes
 */
export type TokenHeader = typeof TokenHeader.Type

/**
 * The token header the clients send unless told otherwise: the hyphenated one, which survives proxies.
 *
 * @since 0.1.0
 * @category Routes
 */
export const tokenHeader: TokenHeader = "api-access-token"

/**
 * Whether a request header's name is one of {@link TokenHeader}'s, in any case: what Rack folds into
 * `HTTP_API_ACCESS_TOKEN`.
 *
 * @since 0.1.0
 * @category Routes
 */
export const isTokenHeader = (name: string): boolean => /^api[-_]access[-_]token$/i.test(name)

/**
 * @since 0.1.0
 * @category Routes
 */
export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE"

/**
 * @since 0.1.0
 * @category Routes
 */
export interface Route {
  readonly method: Method
  /** The path under {@link apiPrefix}. */
  readonly path: (id: UserId) => string
  /** Whether the route acts on one existing user (`/users/:id...`). */
  readonly member: boolean
}

/**
 * The route of each operation.
 *
 * @since 0.1.0
 * @category Routes
 */
export const routes: { readonly [O in UserOperation]: Route } = {
  create: { method: "POST", path: () => "/users", member: false },
  get: { method: "GET", path: (id) => `/users/${id}`, member: true },
  update: { method: "PATCH", path: (id) => `/users/${id}`, member: true },
  delete: { method: "DELETE", path: (id) => `/users/${id}`, member: true },
  loginUrl: { method: "GET", path: (id) => `/users/${id}/login`, member: true },
  token: { method: "POST", path: (id) => `/users/${id}/token`, member: true }
}

/**
 * Routes a request the way Rails does: an optional `.json` suffix, PUT as PATCH, an optional trailing slash, no
 * index route. `id` is the raw path segment (Rails looks it up; a non-number is simply not found).
 *
 * @since 0.1.0
 * @category Routes
 */
export const matchRoute = (
  method: string,
  pathname: string
): { readonly operation: UserOperation; readonly id: string } | undefined => {
  if (!pathname.startsWith(apiPrefix + "/")) return undefined
  const rest = pathname.slice(apiPrefix.length).replace(/\/$/, "").replace(/\.json$/, "")
  const verb = method.toUpperCase()
  if (rest === "/users") return verb === "POST" ? { operation: "create", id: "" } : undefined
  const member = /^\/users\/([^/]+)(?:\/(login|token))?$/.exec(rest)
  if (member === null) return undefined
  const id = decodeURIComponent(member[1]!)
  switch (member[2]) {
    case "login":
      return verb === "GET" ? { operation: "loginUrl", id } : undefined
    case "token":
      return verb === "POST" ? { operation: "token", id } : undefined
    default:
      return verb === "GET"
        ? { operation: "get", id }
        : verb === "PATCH" || verb === "PUT"
        ? { operation: "update", id }
        : verb === "DELETE"
        ? { operation: "delete", id }
        : undefined
  }
}

/**
 * The request body schema of each operation that has one.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const requestBodies = {
  create: CreateUserPayload,
  update: UpdateUserPayload
} as const

/**
 * The success body schema of each operation (`delete` answers 200 with an empty body).
 *
 * @since 0.1.0
 * @category Schemas
 */
export const responseBodies = {
  create: User,
  get: User,
  update: User,
  loginUrl: SsoLink,
  token: UserToken
} as const

/**
 * `{"message": "...", "attributes": [...]}`: the 422 body of `ActiveRecord::RecordInvalid`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const RecordInvalidBody = Schema.Struct({ message: Schema.String, attributes: Schema.Array(Schema.String) })

const ErrorBody = Schema.Struct({ error: Schema.String })

/**
 * The exact error bodies Chatwoot sends (BEHAVIOUR.md §2.3).
 *
 * @since 0.1.0
 * @category Constants
 */
export const errorBodies = {
  invalidToken: "{\"error\":\"Invalid access_token\"}",
  nonPermissible: "{\"error\":\"Non permissible resource\"}",
  notFound: "{\"status\":404,\"error\":\"Not Found\"}",
  badRequest: "{\"status\":400,\"error\":\"Bad Request\"}",
  internalServerError: "{\"status\":500,\"error\":\"Internal Server Error\"}",
  rateLimited: "Retry later\n"
} as const

/**
 * A response as bytes on the wire, independent of any HTTP library.
 *
 * @since 0.1.0
 * @category Models
 */
export interface WireResponse {
  readonly status: number
  /** `undefined` for no Content-Type header. */
  readonly contentType: string | undefined
  readonly body: string
}

const railsJson = "application/json; charset=utf-8"

/**
 * What went wrong on the server side, before it is written to the wire.
 *
 * @since 0.1.0
 * @category Models
 */
export type ServerFailure =
  | { readonly _tag: "InvalidToken" }
  | { readonly _tag: "NonPermissible" }
  | { readonly _tag: "NotFound" }
  | { readonly _tag: "RecordInvalid"; readonly violations: ReadonlyArray<UserRules.RuleViolation> }
  | { readonly _tag: "InternalServerError" }
  | { readonly _tag: "BadRequest"; readonly acceptJson: boolean }
  | { readonly _tag: "RateLimited" }

/**
 * Writes a server-side failure exactly as Chatwoot does.
 *
 * @since 0.1.0
 * @category Server
 */
export const renderFailure = (failure: ServerFailure): WireResponse => {
  switch (failure._tag) {
    case "InvalidToken":
      return { status: 401, contentType: railsJson, body: errorBodies.invalidToken }
    case "NonPermissible":
      return { status: 401, contentType: railsJson, body: errorBodies.nonPermissible }
    case "NotFound":
      return { status: 404, contentType: railsJson, body: errorBodies.notFound }
    case "RecordInvalid":
      return {
        status: 422,
        contentType: railsJson,
        // Rails' to_json escapes & < > (the password rule lists them).
        body: toRailsJson({
          message: failure.violations.map((violation) => violation.message).join(", "),
          attributes: UserRules.attributesOf(failure.violations)
        })
      }
    case "InternalServerError":
      return { status: 500, contentType: railsJson, body: errorBodies.internalServerError }
    case "BadRequest":
      return failure.acceptJson
        ? { status: 400, contentType: railsJson, body: errorBodies.badRequest }
        : { status: 400, contentType: "text/html", body: "" }
    case "RateLimited":
      return { status: 429, contentType: "text/plain", body: errorBodies.rateLimited }
  }
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date, as milliseconds from `now`.
 *
 * @since 0.1.0
 * @category Client
 */
export const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

const excerpt = (body: string) => {
  const flat = body.replace(/\s+/g, " ").trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat
}

/**
 * Reads a non-2xx response into the typed error of the operation.
 *
 * @since 0.1.0
 * @category Client
 */
export const errorFromResponse = (options: {
  readonly operation: Operation
  readonly userId: UserId | undefined
  readonly status: number
  readonly body: string
  readonly retryAfter?: string | undefined
  readonly now: number
}): PlatformUsersError => {
  const { body, operation, status, userId } = options
  const route = (routes as Partial<Record<Operation, Route>>)[operation]
  const member = route?.member === true
  const unexpected = (reason: UnexpectedResponse["reason"], detail: string) =>
    new UnexpectedResponse({ operation, reason, status, detail })
  switch (status) {
    case 401: {
      const decoded = Schema.decodeUnknownOption(ErrorBody)(parseJson(body))
      const reason = decoded._tag === "Some" && decoded.value.error === "Non permissible resource"
        ? "NonPermissibleResource"
        : "InvalidToken"
      return new Unauthorized({ operation, reason, ...(userId === undefined ? {} : { resource: "user", id: userId }) })
    }
    case 404:
      return member && userId !== undefined
        ? new NotFound({ operation, resource: "user", id: userId })
        : unexpected("Status", `404 on ${route?.method ?? "POST"} /users: is the base URL right?`)
    case 422: {
      const decoded = Schema.decodeUnknownOption(RecordInvalidBody)(parseJson(body))
      return decoded._tag === "Some"
        ? new Validation({
          operation,
          source: "server",
          attributes: decoded.value.attributes,
          issues: [],
          serverMessage: UserRules.redactServerMessage(decoded.value.message)
        })
        : new Validation({
          operation,
          source: "server",
          attributes: [],
          issues: [],
          serverMessage: `422 with an unreadable body: ${excerpt(UserRules.redactServerMessage(body))}`
        })
    }
    case 429: {
      const retryAfterMillis = parseRetryAfter(options.retryAfter, options.now)
      return new RateLimited({ operation, ...(retryAfterMillis === undefined ? {} : { retryAfterMillis }) })
    }
    case 400:
      return unexpected("BadRequest", "Chatwoot could not parse the request (400 Bad Request)")
  }
  if (status >= 500) {
    const decoded = Schema.decodeUnknownOption(ErrorBody)(parseJson(body))
    const error = decoded._tag === "Some" ? decoded.value.error : body.trim() === "" ? undefined : excerpt(body)
    return new ServerError({ operation, status, ...(error === undefined ? {} : { error }) })
  }
  return unexpected("Status", body === "" ? "empty body" : excerpt(body))
}

/**
 * Narrows an error to what `get`, `delete`, `loginUrl` and `token` can raise: Chatwoot answers 422 only on create
 * and update, so a 422 there is off-contract.
 *
 * @since 0.1.0
 * @category Client
 */
export const asMemberError = (error: PlatformUsersError): MemberError =>
  error._tag === "Validation"
    ? new UnexpectedResponse({ operation: error.operation, reason: "Status", status: 422, detail: error.message })
    : error

/**
 * Narrows an error to what `create` can raise: `POST /users` has no record to miss, so a 404 there is off-contract
 * (a wrong base URL).
 *
 * @since 0.1.0
 * @category Client
 */
export const asCreateError = (error: PlatformUsersError): CreateError =>
  error._tag === "NotFound"
    ? new UnexpectedResponse({ operation: "create", reason: "Status", status: 404, detail: error.message })
    : error

/**
 * Whether an answer of this status is worth retrying: 429 and the gateway errors (502, 503, 504). A 500 from
 * Chatwoot is a bug or a NOT NULL violation and comes back the same way.
 *
 * @since 0.1.0
 * @category Client
 */
export const isRetryableStatus = (status: number): boolean =>
  status === 429 || status === 502 || status === 503 || status === 504
