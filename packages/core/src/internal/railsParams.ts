// How Rails turns a request into `params`, and what `params.permit(...)` lets through in UsersController.
import { setOwn } from "./railsText.js"

export type Params = Readonly<Record<string, unknown>>

export type BodyParse =
  | { readonly _tag: "Ok"; readonly params: Params }
  | { readonly _tag: "Malformed" }

// The content types Rails registers for `Mime[:json]`.
const jsonMediaTypes = new Set(["application/json", "text/x-json", "application/jsonrequest"])

const mediaType = (contentType: string | undefined) => (contentType ?? "").split(";")[0]!.trim().toLowerCase()

export const isJsonContentType = (contentType: string | undefined): boolean =>
  jsonMediaTypes.has(mediaType(contentType))

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value)

// `perform_deep_munge`: nils are removed from arrays (NoNilParamEncoder).
const deepMunge = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(deepMunge)
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) setOwn(out, key, deepMunge(item))
    return out
  }
  return value
}

/** A Rack-style nested query (`a=1&b[c]=2&d[]=3`), as `parse_nested_query` reads it, for the common shapes. */
export const parseNestedQuery = (query: string): Params => {
  const out: Record<string, unknown> = {}
  for (const [rawKey, value] of new URLSearchParams(query)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey)
    if (match === null) {
      setOwn(out, rawKey, value)
      continue
    }
    const segments = Array.from(match[2]!.matchAll(/\[([^[\]]*)\]/g), (m) => m[1]!)
    let target: Record<string, unknown> = out
    let key = match[1]!
    for (const segment of segments) {
      if (segment === "") break
      const next = Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined
      if (!isPlainObject(next)) setOwn(target, key, {})
      target = target[key] as Record<string, unknown>
      key = segment
    }
    if (segments[segments.length - 1] === "") {
      const existing = Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined
      setOwn(target, key, Array.isArray(existing) ? [...existing, value] : [value])
    } else {
      setOwn(target, key, value)
    }
  }
  return out
}

// `ActiveSupport::JSON.decode` is `::JSON.parse`, whose `max_nesting` is 100: a deeper document raises
// `JSON::NestingError`, a parse error, so Rails answers 400 as for malformed JSON. Checked before `deepMunge`, whose
// recursion would otherwise overflow the stack on a deep body.
const MAX_NESTING = 100

const nestingExceeds = (value: unknown, depth: number): boolean => {
  if (value === null || typeof value !== "object") return false
  if (depth + 1 > MAX_NESTING) return true
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (nestingExceeds(item, depth + 1)) return true
  }
  return false
}

/**
 * The request body as Rails parses it: JSON when the content type says so (a blank body is no params, a non-object
 * lands under `_json`, nesting deeper than 100 is malformed), form-encoded bodies like a query string, anything else
 * ignored.
 */
export const parseBody = (contentType: string | undefined, body: string): BodyParse => {
  if (isJsonContentType(contentType)) {
    if (body.trim() === "") return { _tag: "Ok", params: {} }
    let data: unknown
    try {
      data = JSON.parse(body)
    } catch {
      return { _tag: "Malformed" }
    }
    if (nestingExceeds(data, 0)) return { _tag: "Malformed" }
    const munged = deepMunge(data)
    return { _tag: "Ok", params: isPlainObject(munged) ? munged : { _json: munged } }
  }
  if (mediaType(contentType) === "application/x-www-form-urlencoded") {
    return { _tag: "Ok", params: parseNestedQuery(body) }
  }
  return { _tag: "Ok", params: {} }
}

/** `request_parameters.merge(query_parameters)`: the query string wins. */
export const mergeParams = (body: Params, query: Params): Params => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(body)) setOwn(out, key, value)
  for (const [key, value] of Object.entries(query)) setOwn(out, key, value)
  return out
}

/** A permitted scalar (string, number, boolean or nil), `undefined` for anything strong params filters out. */
type Scalar = string | number | boolean | null

const isScalar = (value: unknown): value is Scalar =>
  value === null || typeof value === "string" || typeof value === "boolean" ||
  (typeof value === "number" && Number.isFinite(value))

// ActiveModel's string type: true -> "t", false -> "f", numbers -> to_s.
const castString = (value: Scalar): string | null =>
  value === null ? null : value === true ? "t" : value === false ? "f" : String(value)

const permitAnyInArray = (array: ReadonlyArray<unknown>): Array<unknown> => {
  const out: Array<unknown> = []
  for (const element of array) {
    if (isScalar(element)) out.push(element)
    else if (isPlainObject(element)) out.push(permitAnyInParameters(element))
  }
  return out
}

const permitAnyInParameters = (params: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(params)) {
    if (isScalar(value)) setOwn(out, key, value)
    else if (Array.isArray(value)) setOwn(out, key, permitAnyInArray(value))
    else if (isPlainObject(value)) setOwn(out, key, permitAnyInParameters(value))
  }
  return out
}

/** What `params.permit(:name, :display_name, :email, :password, custom_attributes: {})` keeps, already cast. */
export interface UserParams {
  readonly name?: string | null
  readonly display_name?: string | null
  readonly email?: string | null
  readonly password?: string | null
  readonly custom_attributes?: Record<string, unknown>
}

export const permitUserParams = (params: Params): UserParams => {
  const out: {
    name?: string | null
    display_name?: string | null
    email?: string | null
    password?: string | null
    custom_attributes?: Record<string, unknown>
  } = {}
  const has = (key: string) => Object.prototype.hasOwnProperty.call(params, key)
  for (const key of ["name", "display_name", "email"] as const) {
    if (has(key) && isScalar(params[key])) out[key] = castString(params[key] as Scalar)
  }
  // `password` is a plain attribute, not a typed column: it is used as given (numbers are interpolated).
  if (has("password") && isScalar(params.password)) {
    out.password = params.password === null ? null : String(params.password)
  }
  if (has("custom_attributes") && isPlainObject(params.custom_attributes)) {
    out.custom_attributes = permitAnyInParameters(params.custom_attributes)
  }
  return out
}
