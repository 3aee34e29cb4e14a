// TODO(contract): move (contract Routes.ts). The plain parts of the wire contract, the same as the Effect 3 edition's
// PlatformWire.ts: the API prefix, the token header names, the exact error bodies Chatwoot sends and how a server-side
// failure is written, Retry-After, which statuses are worth retrying. PlatformWire re-exports the public ones.
import { toRailsJson } from "@chatwoot-effect/contract/RailsText"
import * as UserRules from "@chatwoot-effect/contract/UserRules"
import type { ResourceKind } from "./operations.js"

/**
 * Every Platform API path starts with this.
 *
 * @since 1.0.0
 * @category Routes
 */
export const apiPrefix = "/platform/api/v1"

/**
 * Whether a request header's name is one of {@link TokenHeader}'s, in any case: what Rack folds into
 * `HTTP_API_ACCESS_TOKEN`.
 *
 * @since 1.0.0
 * @category Routes
 */
export const isTokenHeader = (name: string): boolean => /^api[-_]access[-_]token$/i.test(name)

/**
 * @since 1.0.0
 * @category Routes
 */
export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE"

/**
 * The path parameters of a route: the record's `:id`, or the `:account_id` of the account users routes.
 *
 * @since 1.0.0
 * @category Routes
 */
export interface PathParams {
  readonly id?: number | undefined
  readonly account_id?: number | undefined
}

/**
 * The services the routes belong to, as their spans are named (`PlatformAccounts.create`...).
 *
 * @since 1.0.0
 * @category Routes
 */
export type ServiceName = "PlatformUsers" | "PlatformAccounts" | "PlatformAccountUsers" | "PlatformAgentBots"

/**
 * The exact error bodies Chatwoot sends (BEHAVIOUR.md §2.3, PLATFORM.md §2.2).
 *
 * @since 1.0.0
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
 * @since 1.0.0
 * @category Models
 */
export interface WireResponse {
  readonly status: number
  /** `undefined` for no Content-Type header. */
  readonly contentType: string | undefined
  readonly body: string
}

/**
 * The Content-Type of Rails' JSON answers.
 *
 * @since 1.0.0
 * @category Constants
 */
export const railsJson = "application/json; charset=utf-8"

/**
 * One broken server-side rule, in the order Chatwoot reports it: the same shape as a client-side one.
 *
 * @since 1.0.0
 * @category Models
 */
export type ServerViolation = UserRules.RuleViolation

/**
 * What went wrong on the server side, before it is written to the wire.
 *
 * @since 1.0.0
 * @category Models
 */
export type ServerFailure =
  | { readonly _tag: "InvalidToken" }
  | { readonly _tag: "NonPermissible" }
  | { readonly _tag: "NotFound" }
  | { readonly _tag: "RecordInvalid"; readonly violations: ReadonlyArray<ServerViolation> }
  | { readonly _tag: "InternalServerError" }
  | { readonly _tag: "BadRequest"; readonly acceptJson: boolean }
  | { readonly _tag: "RateLimited" }

/**
 * Writes a server-side failure exactly as Chatwoot does.
 *
 * @since 1.0.0
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
          // Each attribute once, in the order of its first error (`request_exception_handler.rb`).
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

export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date, as milliseconds from `now`.
 *
 * @since 1.0.0
 * @category Client
 */
export const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

export const excerpt = (body: string) => {
  const flat = body.replace(/\s+/g, " ").trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat
}

/**
 * Whether an answer of this status is worth retrying: 429 and the gateway errors (502, 503, 504). A 500 from
 * Chatwoot is a bug, a NOT NULL violation or a bad enum, and comes back the same way.
 *
 * @since 1.0.0
 * @category Client
 */
export const isRetryableStatus = (status: number): boolean =>
  status === 429 || status === 502 || status === 503 || status === 504

/**
 * The span attribute naming a route's record: `chatwoot.user_id`, `chatwoot.account_id`, `chatwoot.agent_bot_id`.
 *
 * @since 1.0.0
 * @category Client
 */
export const subjectAttribute = (resource: ResourceKind): string => `chatwoot.${resource}_id`
