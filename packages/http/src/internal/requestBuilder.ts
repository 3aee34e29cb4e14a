/**
 * Building a request for a route: the payload encoded to the JSON Chatwoot reads (checked first by the route's
 * rules), the path and query filled in, the token header set.
 *
 * @internal
 */
import * as Routes from "@chatwoot-effect/contract/Routes"
import { Validation, ValidationIssue } from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformWire from "@chatwoot-effect/core/PlatformWire"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as CompiledSchema from "./compiledSchema.js"

const encoders = new WeakMap<object, (payload: unknown) => Either.Either<unknown, ParseResult.ParseError>>()
const encoderOf = (payload: PlatformWire.Payload<unknown>) => {
  let encoder = encoders.get(payload.schema)
  if (encoder === undefined) {
    encoder = CompiledSchema.encodeEither(payload.schema)
    encoders.set(payload.schema, encoder)
  }
  return encoder
}

/**
 * Compiles the payload encoders of these routes now, so that no call pays for it.
 *
 * @internal
 */
export const precompile = (routes: ReadonlyArray<PlatformWire.AnyRoute>): void => {
  for (const route of routes) if (route.payload !== undefined) encoderOf(route.payload)
}

/**
 * The payload checked with the route's rules and encoded, or the `Validation` that means nothing is sent.
 *
 * @internal
 */
export const encode = (route: PlatformWire.AnyRoute, payload: unknown): Either.Either<unknown, Validation> => {
  const spec = route.payload!
  const validated = spec.validate(payload)
  if (Either.isLeft(validated)) return validated
  const encoded = encoderOf(spec)(validated.right)
  if (Either.isRight(encoded)) return Either.right(encoded.right)
  // Only paths: a message would quote the value, which may be a secret.
  const issues = ParseResult.ArrayFormatter.formatErrorSync(encoded.left).map((issue) =>
    new ValidationIssue({
      field: issue.path.length > 0 ? String(issue.path[0]) : "payload",
      rule: "type",
      message: "does not match the payload schema"
    })
  )
  return Either.left(
    new Validation({
      operation: route.operation,
      source: "client",
      attributes: Array.from(new Set(issues.map((issue) => issue.field))),
      issues
    })
  )
}

/**
 * The secrets a payload carries: its `Redacted` fields (a password being set).
 *
 * @internal
 */
export const secretsOf = (payload: unknown): ReadonlyArray<string> => {
  if (payload === null || typeof payload !== "object") return []
  const secrets: Array<string> = []
  for (const value of Object.values(payload)) {
    if (Redacted.isRedacted(value)) secrets.push(String(Redacted.value(value)))
  }
  return secrets
}

const utf8 = new TextEncoder()

/** @internal */
export interface Builder {
  (route: PlatformWire.AnyRoute, params: PlatformWire.PathParams, body: unknown): HttpClientRequest.HttpClientRequest
}

/**
 * Each method's request is made once, with its headers; a call adds its URL and body (two copies of the request,
 * where building it step by step made five).
 *
 * @internal
 */
export const make = (options: {
  readonly baseUrl: string
  readonly token: Redacted.Redacted
  readonly tokenHeader: PlatformWire.TokenHeader
}): Builder => {
  const templates = new Map<PlatformWire.Method, HttpClientRequest.HttpClientRequest>()
  const templateOf = (method: PlatformWire.Method) => {
    let template = templates.get(method)
    if (template === undefined) {
      template = HttpClientRequest.make(method)(options.baseUrl, {
        headers: { accept: "application/json", [options.tokenHeader]: Redacted.value(options.token) }
      })
      templates.set(method, template)
    }
    return template
  }
  const prefix = `${options.baseUrl}${PlatformWire.apiPrefix}`
  return (route, params, body) => {
    const path = `${prefix}${PlatformWire.pathOf(route, params)}`
    const template = templateOf(route.method)
    if (body === undefined) return HttpClientRequest.setUrl(template, path)
    if (route.query.length > 0) {
      return HttpClientRequest.setUrl(template, `${path}?${Routes.queryString(route, body)}`)
    }
    // The body as `bodyUnsafeJson` makes it (bytes, typed JSON), which every HttpClient reads.
    return HttpClientRequest.modify(template, {
      url: path,
      body: HttpBody.uint8Array(utf8.encode(JSON.stringify(body)), "application/json")
    })
  }
}
