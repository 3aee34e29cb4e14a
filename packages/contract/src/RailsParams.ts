// How Rails turns a request into `params`, and what `params.permit(...)` lets through in UsersController.
import { setOwn } from "./RailsText.js"

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

// Sets one `a[b][]`-style key, as Rack's `normalize_params` does for the common shapes.
const assignNested = (out: Record<string, unknown>, rawKey: string, value: unknown): void => {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey)
  if (match === null) {
    setOwn(out, rawKey, value)
    return
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

/** A Rack-style nested query (`a=1&b[c]=2&d[]=3`), as `parse_nested_query` reads it, for the common shapes. */
export const parseNestedQuery = (query: string): Params => {
  const out: Record<string, unknown> = {}
  for (const [rawKey, value] of new URLSearchParams(query)) assignNested(out, rawKey, value)
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

export const isMultipartContentType = (contentType: string | undefined): boolean =>
  mediaType(contentType) === "multipart/form-data"

const indexOfBytes = (haystack: Uint8Array, needle: Uint8Array, from: number): number => {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return i
  }
  return -1
}

const utf8 = new TextEncoder()
const utf8Text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

const dispositionParam = (disposition: string, name: string): string | undefined => {
  const match = new RegExp(`;\\s*${name}="([^"]*)"`, "i").exec(disposition) ??
    new RegExp(`;\\s*${name}=([^;\\s]+)`, "i").exec(disposition)
  return match?.[1]
}

/**
 * A `multipart/form-data` body as Rack parses it: a part with a `filename` becomes an {@link UploadedFile}, any other
 * part its text; names nest like a query string's (`agent_bot[name]`). `Malformed` without a boundary, or when the
 * body does not follow it (Rack's `EOFError`, a 400).
 */
export const parseMultipart = (contentType: string | undefined, bytes: Uint8Array): BodyParse => {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "")
  if (boundary === null) return { _tag: "Malformed" }
  const delimiter = utf8.encode(`--${boundary[1] ?? boundary[2]}`)
  const nextDelimiter = utf8.encode(`\r\n--${boundary[1] ?? boundary[2]}`)
  const headerEnd = utf8.encode("\r\n\r\n")
  const out: Record<string, unknown> = {}
  let at = indexOfBytes(bytes, delimiter, 0)
  if (at === -1) return { _tag: "Malformed" }
  at += delimiter.length
  for (;;) {
    // `--` after a delimiter closes the body.
    if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) return { _tag: "Ok", params: out }
    if (bytes[at] !== 0x0d || bytes[at + 1] !== 0x0a) return { _tag: "Malformed" }
    const headersEnd = indexOfBytes(bytes, headerEnd, at + 2)
    if (headersEnd === -1) return { _tag: "Malformed" }
    const end = indexOfBytes(bytes, nextDelimiter, headersEnd + headerEnd.length)
    if (end === -1) return { _tag: "Malformed" }
    const headers = utf8Text(bytes.subarray(at + 2, headersEnd)).split("\r\n")
    const header = (name: string) =>
      headers.find((line) => line.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim()
    const disposition = header("content-disposition") ?? ""
    const name = dispositionParam(disposition, "name")
    const filename = dispositionParam(disposition, "filename")
    const data = bytes.slice(headersEnd + headerEnd.length, end)
    if (name !== undefined && name !== "") {
      assignNested(
        out,
        name,
        filename === undefined ? utf8Text(data) : {
          _tag: "UploadedFile",
          bytes: data,
          ...(header("content-type") === undefined ? {} : { contentType: header("content-type") }),
          filename
        } satisfies UploadedFile
      )
    }
    at = end + nextDelimiter.length
  }
}

/** `request_parameters.merge(query_parameters)`: the query string wins. */
export const mergeParams = (body: Params, query: Params): Params => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(body)) setOwn(out, key, value)
  for (const [key, value] of Object.entries(query)) setOwn(out, key, value)
  return out
}

/** A permitted scalar (string, number, boolean or nil), `undefined` for anything strong params filters out. */
export type Scalar = string | number | boolean | null

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

// ---------------------------------------------------------------------------------------------------------------
// Accounts, account users and agent bots

/** `Object#blank?`: nil, false, a string of whitespace only, an empty array or hash. Numbers are never blank. */
export const rubyBlank = (value: unknown): boolean =>
  value === null || value === undefined || value === false ||
  (typeof value === "string" &&
    /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/.test(value)) ||
  (Array.isArray(value) && value.length === 0) ||
  (isPlainObject(value) && Object.keys(value).length === 0)

/**
 * A multipart file part, as Rails hands an `ActionDispatch::Http::UploadedFile` to the controller: a permitted
 * scalar. JSON cannot produce one (the bytes are a `Uint8Array`).
 */
export interface UploadedFile {
  readonly _tag: "UploadedFile"
  readonly bytes: Uint8Array
  readonly contentType?: string | undefined
  readonly filename?: string | undefined
}

export const isUploadedFile = (value: unknown): value is UploadedFile =>
  isPlainObject(value) && value._tag === "UploadedFile" && value.bytes instanceof Uint8Array

/**
 * ActiveModel's integer cast: `true` is 1, `false` 0, a blank string nil, any other string `to_i` (leading digits,
 * `"abc"` is 0), a float truncated. `"unsafe"` for a value JavaScript cannot hold exactly (bigint range in Postgres).
 */
export const castInteger = (value: Scalar): number | null | "unsafe" => {
  if (value === null) return null
  if (value === true) return 1
  if (value === false) return 0
  if (typeof value === "number") {
    const truncated = Math.trunc(value)
    return Number.isSafeInteger(truncated) ? truncated : "unsafe"
  }
  if (rubyBlank(value)) return null
  const match = /^[\t\n\v\f\r ]*([+-]?\d+(?:_\d+)*)/.exec(value)
  if (match === null) return 0
  const parsed = Number(match[1]!.replace(/_/g, ""))
  return Number.isSafeInteger(parsed) ? parsed : "unsafe"
}

/**
 * Rails' enum cast: a key, or an integer value (`0`, `1.0`; the key's index unless `numeric` is off); a blank value
 * (nil, false, "", whitespace) stores NULL. Anything else raises `ArgumentError`, which Chatwoot answers with 500
 * (`"1"` included: a string is never a value).
 */
export const castEnum = <K extends string>(
  keys: ReadonlyArray<K>,
  value: Scalar,
  options?: { readonly numeric?: boolean }
): { readonly _tag: "Ok"; readonly value: K | null } | { readonly _tag: "Invalid" } => {
  if (typeof value === "string" && (keys as ReadonlyArray<string>).includes(value)) {
    return { _tag: "Ok", value: value as K }
  }
  if (
    options?.numeric !== false && typeof value === "number" && Number.isInteger(value) && value >= 0 &&
    value < keys.length
  ) {
    return { _tag: "Ok", value: keys[value]! }
  }
  return rubyBlank(value) ? { _tag: "Ok", value: null } : { _tag: "Invalid" }
}

const permitHash = (params: Params, key: string): Record<string, unknown> | undefined => {
  const value = Object.prototype.hasOwnProperty.call(params, key) ? params[key] : undefined
  // `features: {}` in permit: only a hash passes; nil, strings and arrays are dropped.
  return isPlainObject(value) && !isUploadedFile(value) ? permitAnyInParameters(value) : undefined
}

const permitScalar = (params: Params, key: string): Scalar | undefined => {
  const value = Object.prototype.hasOwnProperty.call(params, key) ? params[key] : undefined
  return isScalar(value) ? value : undefined
}

const permitString = (params: Params, key: string): string | null | undefined => {
  const value = permitScalar(params, key)
  return value === undefined ? undefined : castString(value)
}

/**
 * What `params.permit(:name, :locale, :domain, :support_email, :status, features: {}, limits: {},
 * custom_attributes: {})` keeps: strings cast, enums raw (cast on assignment), hashes in the order sent.
 */
export interface AccountParams {
  readonly name?: string | null
  readonly locale?: Scalar
  readonly domain?: string | null
  readonly support_email?: string | null
  readonly status?: Scalar
  readonly features?: Record<string, unknown>
  readonly limits?: Record<string, unknown>
  readonly custom_attributes?: Record<string, unknown>
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export const permitAccountParams = (params: Params): AccountParams => {
  const out: Mutable<AccountParams> = {}
  for (const key of ["name", "domain", "support_email"] as const) {
    const value = permitString(params, key)
    if (value !== undefined) out[key] = value
  }
  for (const key of ["locale", "status"] as const) {
    const value = permitScalar(params, key)
    if (value !== undefined) out[key] = value
  }
  for (const key of ["features", "limits", "custom_attributes"] as const) {
    const value = permitHash(params, key)
    if (value !== undefined) out[key] = value
  }
  return out
}

/** `params.permit(:user_id, :role)`, raw: the model casts them. */
export interface AccountUserParams {
  readonly user_id?: Scalar
  readonly role?: Scalar
}

export const permitAccountUserParams = (params: Params): AccountUserParams => {
  const out: Mutable<AccountUserParams> = {}
  const userId = permitScalar(params, "user_id")
  if (userId !== undefined) out.user_id = userId
  const role = permitScalar(params, "role")
  if (role !== undefined) out.role = role
  return out
}

/** `params.permit(:name, :description, :account_id, :outgoing_url, :avatar, :avatar_url)`. */
export interface AgentBotParams {
  readonly name?: string | null
  readonly description?: string | null
  readonly outgoing_url?: string | null
  readonly account_id?: Scalar
  readonly avatar?: Scalar | UploadedFile
  readonly avatar_url?: Scalar
}

export const permitAgentBotParams = (params: Params): AgentBotParams => {
  const out: Mutable<AgentBotParams> = {}
  for (const key of ["name", "description", "outgoing_url"] as const) {
    const value = permitString(params, key)
    if (value !== undefined) out[key] = value
  }
  for (const key of ["account_id", "avatar_url"] as const) {
    const value = permitScalar(params, key)
    if (value !== undefined) out[key] = value
  }
  const avatar = Object.prototype.hasOwnProperty.call(params, "avatar") ? params.avatar : undefined
  if (isUploadedFile(avatar)) out.avatar = avatar
  else if (isScalar(avatar)) out.avatar = avatar
  return out
}
