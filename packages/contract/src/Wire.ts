/**
 * The Platform API on the wire, independent of any HTTP library: the path prefix, the token header, the exact error
 * bodies Chatwoot sends, the server-side failures and how they are written, and the client-side reading of
 * `Retry-After` and of which statuses are worth retrying.
 *
 * @since 0.1.0
 */
import { toRailsJson } from "./RailsText.js"
import type { RuleViolation } from "./UserRules.js"
import { attributesOf } from "./UserRules.js"

/**
 * Every Platform API path starts with this.
 *
 * @since 0.1.0
 * @category Routes
 */
export const apiPrefix = "/platform/api/v1"

/**
 * The largest answer the clients read (4 MiB): a Platform API answer is a few kilobytes, so a larger body is not
 * Chatwoot's and reading it would only cost memory.
 *
 * @since 0.1.0
 * @category Limits
 */
export const maxResponseBytes = 4 * 1024 * 1024

/**
 * Where Chatwoot is installed, without surrounding whitespace and trailing slashes: `https://example.org/chatwoot/`
 * gives `https://example.org/chatwoot`, to which {@link apiPrefix} is appended.
 *
 * @since 0.1.0
 * @category Routes
 */
export const normalizeBaseUrl = (baseUrl: string): string => baseUrl.trim().replace(/\/+$/, "")

/**
 * The names of the header that carries the platform app's token. Chatwoot reads it as Rack's `HTTP_API_ACCESS_TOKEN`,
 * which both spellings become, and no other name. Only the hyphenated one survives every proxy: nginx drops request
 * headers whose names contain underscores unless `underscores_in_headers on` is set.
 *
 * @since 0.1.0
 * @category Routes
 */
export const tokenHeaders = ["api-access-token", "api_access_token"] as const

/**
 * @since 0.1.0
 * @category Routes
 */
export type TokenHeader = typeof tokenHeaders[number]

/**
 * The token header the clients send unless told otherwise: the hyphenated one, which survives proxies.
 *
 * @since 0.1.0
 * @category Routes
 */
export const tokenHeader: TokenHeader = "api-access-token"

/**
 * Whether a request header's name is one of {@link tokenHeaders}, in any case: what Rack folds into
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
 * The path parameters of a route: the record's `:id`, or the `:account_id` of the account users routes.
 *
 * @since 0.1.0
 * @category Routes
 */
export interface PathParams {
  readonly id?: number | undefined
  readonly account_id?: number | undefined
}

/**
 * The exact error bodies Chatwoot sends (BEHAVIOUR.md §2.3, PLATFORM.md §2.2).
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

/**
 * The Content-Type of Rails' JSON answers.
 *
 * @since 0.1.0
 * @category Constants
 */
export const railsJson = "application/json; charset=utf-8"

/**
 * One broken server-side rule, in the order Chatwoot reports it: the same shape as a client-side one.
 *
 * @since 0.1.0
 * @category Models
 */
export type ServerViolation = RuleViolation

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
  | { readonly _tag: "RecordInvalid"; readonly violations: ReadonlyArray<ServerViolation> }
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
          // Each attribute once, in the order of its first error (`request_exception_handler.rb`).
          attributes: attributesOf(failure.violations)
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

/**
 * Whether an answer of this status is worth retrying: 429 and the gateway errors (502, 503, 504). A 500 from
 * Chatwoot is a bug, a NOT NULL violation or a bad enum, and comes back the same way.
 *
 * @since 0.1.0
 * @category Client
 */
export const isRetryableStatus = (status: number): boolean =>
  status === 429 || status === 502 || status === 503 || status === 504

/**
 * Header names to redact, with both spellings of {@link tokenHeaders} added (whichever one is sent, a proxy may echo
 * either back in a response header).
 *
 * @since 0.1.0
 * @category Redaction
 */
export const appendTokenHeaders = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> => [
  ...names,
  ...tokenHeaders.filter((name) => !names.includes(name))
]

/**
 * The response headers whose values the HTTP spans of our requests show (patterns, lower case). Response headers are
 * the server's text: a proxy echoing the request can put the token or the password in any of them (even
 * `location`), so every other header is shown as `<redacted>`.
 *
 * @since 0.1.0
 * @category Redaction
 */
export const shownHeaders: ReadonlyArray<string> = [
  "accept",
  "user-agent",
  "content-type",
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "date",
  "retry-after",
  "server",
  "via",
  "vary",
  "etag",
  "cache-control",
  "x-request-id",
  "x-runtime",
  "ratelimit-[a-z-]+",
  "x-ratelimit-[a-z-]+"
]

const unshownHeader = new RegExp(`^(?!(?:${shownHeaders.join("|")})$)`)

// The names in place are nearly always the same array from one call to the next: the answer is kept for it.
let redactedFor: ReadonlyArray<string | RegExp> | undefined
let redactedNames: ReadonlyArray<string | RegExp> = []

/**
 * The header names our requests redact: the ones in place, both token headers, and every header not in
 * {@link shownHeaders}.
 *
 * @since 0.1.0
 * @category Redaction
 */
export const redactedForOurRequests = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> => {
  if (names !== redactedFor) {
    redactedNames = [...appendTokenHeaders(names), unshownHeader]
    redactedFor = names
  }
  return redactedNames
}

/**
 * A response's raw headers (`[name, value, name, value...]`, as undici hands them over: Buffers or strings, read as
 * latin1) as one record of lower-case names. Repeated names are joined as `Headers` does: `set-cookie` with newlines
 * (kept apart for the cookies), the others with ", ".
 *
 * @since 0.1.0
 * @category Client
 */
export const headerRecord = (
  raw: ReadonlyArray<{ toString(encoding: "latin1"): string }>
): Record<string, string> => {
  const record: Record<string, string> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString("latin1").toLowerCase()
    const value = raw[i + 1]!.toString("latin1")
    const previous = record[name]
    record[name] = previous === undefined ? value : `${previous}${name === "set-cookie" ? "\n" : ", "}${value}`
  }
  return record
}
