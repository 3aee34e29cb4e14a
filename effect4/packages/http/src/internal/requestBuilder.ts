/**
 * Building a request for a route: the payload encoded to the JSON Chatwoot reads (checked first by the route's
 * rules), the path and query filled in, the token header set.
 *
 * @internal
 */
import * as Routes from "@chatwoot-effect/contract/Routes"
import { Validation, ValidationIssue } from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformWire from "@chatwoot-effect/core/PlatformWire"
import * as HttpBody from "effect/http/HttpBody"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"

// Effect 4 compiles a schema's parser once per schema and caches it; the encoder function is kept per schema too.
const encoders = new WeakMap<object, (payload: unknown) => Result.Result<unknown, Schema.SchemaError>>()
const encoderOf = (payload: PlatformWire.Payload<unknown>) => {
  let encoder = encoders.get(payload.schema)
  if (encoder === undefined) {
    const encode = Schema.encodeUnknownResult(payload.schema as Schema.Codec<unknown, unknown>)
    encoder = (value) => encode(value)
    encoders.set(payload.schema, encoder)
  }
  return encoder
}

/**
 * The payload checked with the route's rules and encoded, or the `Validation` that means nothing is sent.
 *
 * @internal
 */
export const encode = (route: PlatformWire.AnyRoute, payload: unknown): Result.Result<unknown, Validation> => {
  const spec = route.payload!
  const validated = spec.validate(payload)
  if (Result.isFailure(validated)) return validated
  const encoded = encoderOf(spec)(validated.success)
  if (Result.isSuccess(encoded)) return Result.succeed(encoded.success)
  // Only paths: a message would quote the value, which may be a secret.
  const fields = formatter(encoded.failure.issue).issues.map((issue) => {
    const first = issue.path?.[0]
    return first === undefined ? "payload" : String(typeof first === "object" ? first.key : first)
  })
  const attributes = Array.from(new Set(fields.length > 0 ? fields : ["payload"]))
  return Result.fail(
    new Validation({
      operation: route.operation,
      source: "client",
      attributes,
      issues: attributes.map((field) =>
        new ValidationIssue({ field, rule: "type", message: "does not match the payload schema" })
      )
    })
  )
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1({ leafHook: (issue) => issue._tag })

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
 * Each method's request is made once, with its headers; a call adds its URL and body.
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
        headers: { accept: "application/json", [options.tokenHeader]: String(Redacted.value(options.token)) }
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
    // The body as `bodyJsonUnsafe` makes it (bytes, typed JSON), which every HttpClient reads.
    return HttpClientRequest.setBody(
      HttpClientRequest.setUrl(template, path),
      HttpBody.uint8Array(utf8.encode(JSON.stringify(body)), "application/json")
    )
  }
}
