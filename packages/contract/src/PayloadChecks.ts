/**
 * The client-side checks shared by the accounts, account users and agent bots payloads, as plain data: each returns
 * the issues it finds (none when the value passes). Every check takes `unknown`: JavaScript callers and the CLI can pass
 * anything, whatever the TypeScript type says. Messages name the field and the rule and never quote the value.
 *
 * @since 0.1.0
 */
import { isJsonObject } from "./Json.js"
import * as PlatformRules from "./PlatformRules.js"

/**
 * One broken rule of a payload's field.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Issue {
  readonly field: string
  readonly rule: string
  readonly message: string
}

/**
 * A plain object (not null, an array or a class instance).
 *
 * @since 0.1.0
 * @category Guards
 */
export const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

// Ruby's String#length and Postgres' varchar(n) count code points, not UTF-16 units.
const characterLength = (text: string): number => {
  let length = 0
  for (const _ of text) length++
  return length
}

// Rails' `blank?`: empty or only Unicode whitespace.
const isBlank = (text: string): boolean => /^\p{White_Space}*$/u.test(text)

/**
 * A field that must be sent.
 *
 * @since 0.1.0
 * @category Checks
 */
export const required = (field: string, value: unknown): Array<Issue> =>
  value === undefined ? [{ field, rule: "required", message: `${field} is required` }] : []

/**
 * The rule of a string field: its maximum length in characters, and whether `null` and a blank string are allowed.
 *
 * @since 0.1.0
 * @category Models
 */
export interface TextRule {
  readonly max: number
  readonly nullable?: boolean
  readonly nonBlank?: boolean
}

/**
 * An optional string field: its type, then blankness, then length. `undefined` (not sent) always passes.
 *
 * @since 0.1.0
 * @category Checks
 */
export const text = (field: string, value: unknown, rule: TextRule): Array<Issue> => {
  if (value === undefined || (value === null && rule.nullable === true)) return []
  if (typeof value !== "string") {
    return [{ field, rule: "type", message: `${field} must be a string${rule.nullable === true ? " or null" : ""}` }]
  }
  if (rule.nonBlank === true && isBlank(value)) return [{ field, rule: "blank", message: `${field} can't be blank` }]
  return characterLength(value) > rule.max
    ? [{ field, rule: "max_length", message: `${field} is too long (maximum is ${rule.max} characters)` }]
    : []
}

/**
 * An optional field that must be one of a few strings; `expected` describes them for the message.
 *
 * @since 0.1.0
 * @category Checks
 */
export const oneOf = (
  field: string,
  value: unknown,
  isAllowed: (value: unknown) => boolean,
  expected: string
): Array<Issue> =>
  value === undefined || isAllowed(value) ? [] : [{ field, rule: "one_of", message: `${field} must be ${expected}` }]

const isPositiveInteger = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) > 0

/**
 * An optional positive integer id (`nullable`: `null` allowed too).
 *
 * @since 0.1.0
 * @category Checks
 */
export const positiveInteger = (field: string, value: unknown, nullable = false): Array<Issue> =>
  value === undefined || (value === null && nullable) || isPositiveInteger(value) ? [] : [{
    field,
    rule: "positive_integer",
    message: `${field} must be a positive integer${nullable ? " or null" : ""}`
  }]

/**
 * The issue of a field that must be a JSON object.
 *
 * @since 0.1.0
 * @category Checks
 */
export const notAnObject = (field: string): Issue => ({
  field,
  rule: "json_object",
  message: `${field} must be a JSON object (not null, an array or a string)`
})

/**
 * Untrusted input: a plain object whose keys are all known. Gives a copy holding them (built with `fromEntries`, so a
 * `"__proto__"` key could never become the prototype), to be checked by the payload's own rules next, or the issues.
 *
 * @since 0.1.0
 * @category Checks
 */
export const checkObject = (
  input: unknown,
  knownKeys: ReadonlyArray<string>
):
  | { readonly _tag: "Object"; readonly value: Record<string, unknown> }
  | { readonly _tag: "Invalid"; readonly issues: ReadonlyArray<Issue> } =>
{
  if (!isPlainObject(input)) {
    return {
      _tag: "Invalid",
      issues: [{ field: "payload", rule: "type", message: "the payload must be a JSON object" }]
    }
  }
  const unknown = Object.keys(input).filter((key) => !knownKeys.includes(key))
  return unknown.length > 0
    ? {
      _tag: "Invalid",
      issues: unknown.map((key) => ({
        field: key,
        rule: "unknown_field",
        message: `not a field of this payload (expected ${knownKeys.join(", ")})`
      }))
    }
    : { _tag: "Object", value: Object.fromEntries(Object.entries(input)) }
}

const featuresIssues = (value: unknown): Array<Issue> => {
  if (value === undefined) return []
  if (!isPlainObject(value)) return [notAnObject("features")]
  return Object.entries(value).flatMap(([key, enabled]): Array<Issue> => [
    ...(PlatformRules.isFeature(key) ? [] : [{
      field: "features",
      rule: "unknown_key",
      message: `${JSON.stringify(key)} is not one of Chatwoot's ${PlatformRules.features.length} feature flags`
    }]),
    // Chatwoot enables a flag for any "present" value: "false" and 0 would turn it on.
    ...(typeof enabled === "boolean" ? [] : [{
      field: "features",
      rule: "boolean",
      message: `the value of ${JSON.stringify(key)} must be true or false (a JSON boolean, not a string or a number)`
    }])
  ])
}

const limitsIssues = (value: unknown): Array<Issue> => {
  if (value === undefined) return []
  if (!isPlainObject(value)) return [notAnObject("limits")]
  return Object.entries(value).flatMap(([key, limit]): Array<Issue> => [
    ...(PlatformRules.isLimitKey(key) ? [] : [{
      field: "limits",
      rule: "unknown_key",
      message: `${JSON.stringify(key)} is not a limit (expected ${PlatformRules.limitKeys.join(", ")})`
    }]),
    ...(Number.isSafeInteger(limit) && (limit as number) >= 0 ? [] : [{
      field: "limits",
      rule: "non_negative_integer",
      message: `the value of ${JSON.stringify(key)} must be a non-negative integer`
    }])
  ])
}

/**
 * The fields of an accounts payload, as the checks read them (any value, whatever the TypeScript type says).
 *
 * @since 0.1.0
 * @category Models
 */
export interface AccountFields {
  readonly name?: unknown
  readonly locale?: unknown
  readonly domain?: unknown
  readonly support_email?: unknown
  readonly status?: unknown
  readonly features?: unknown
  readonly limits?: unknown
  readonly custom_attributes?: unknown
}

/**
 * Every rule of an accounts payload (PLATFORM.md §8.3): `name` (required on create) 1 to 255 characters and not
 * blank; `locale` one of the enabled codes; `domain` and `support_email` at most 100 characters; `status` `"active"`
 * or `"suspended"`; `features` keys among the flags with JSON boolean values; `limits` keys among the four with
 * non-negative integer values; `custom_attributes` a JSON object.
 *
 * @since 0.1.0
 * @category Payloads
 */
export const accountIssues = (payload: AccountFields, isCreate: boolean): Array<Issue> => [
  ...(isCreate ? required("name", payload.name) : []),
  ...text("name", payload.name, { max: PlatformRules.maxLengths.name, nonBlank: true }),
  ...oneOf(
    "locale",
    payload.locale,
    PlatformRules.isLocale,
    `one of Chatwoot's ${PlatformRules.locales.length} enabled locale codes (such as en or pt_BR, never pt-BR)`
  ),
  ...text("domain", payload.domain, { max: PlatformRules.maxLengths.domain, nullable: true }),
  // The column is varchar(100): 101 to 255 characters pass Chatwoot's validation and then fail with a 500.
  ...text("support_email", payload.support_email, {
    max: PlatformRules.maxLengths.supportEmailColumn,
    nullable: true
  }),
  ...oneOf("status", payload.status, PlatformRules.isAccountStatus, "\"active\" or \"suspended\""),
  ...featuresIssues(payload.features),
  ...limitsIssues(payload.limits),
  ...(payload.custom_attributes === undefined || isJsonObject(payload.custom_attributes)
    ? []
    : [notAnObject("custom_attributes")])
]

const isHttpUrl = (value: string): boolean => {
  try {
    const url = new URL(value)
    return url.protocol === "http:" || url.protocol === "https:"
  } catch {
    return false
  }
}

const avatarUrlIssues = (value: unknown): Array<Issue> => {
  if (value === undefined) return []
  if (typeof value !== "string") return [{ field: "avatar_url", rule: "type", message: "avatar_url must be a string" }]
  return isHttpUrl(value)
    ? []
    : [{ field: "avatar_url", rule: "http_url", message: "avatar_url must be an http(s) URL" }]
}

/**
 * The fields of an agent bots payload, as the checks read them.
 *
 * @since 0.1.0
 * @category Models
 */
export interface AgentBotFields {
  readonly name?: unknown
  readonly description?: unknown
  readonly outgoing_url?: unknown
  readonly account_id?: unknown
  readonly avatar_url?: unknown
}

/**
 * Every rule of an agent bots payload (PLATFORM.md §8.3): `name` and `description` at most 255 characters,
 * `outgoing_url` at most 2048, `account_id` a positive integer or `null`, `avatar_url` an http(s) URL.
 *
 * @since 0.1.0
 * @category Payloads
 */
export const agentBotIssues = (payload: AgentBotFields): Array<Issue> => [
  ...text("name", payload.name, { max: PlatformRules.botLimits.name, nullable: true }),
  ...text("description", payload.description, { max: PlatformRules.botLimits.description, nullable: true }),
  ...text("outgoing_url", payload.outgoing_url, { max: PlatformRules.botLimits.outgoingUrl, nullable: true }),
  ...positiveInteger("account_id", payload.account_id, true),
  ...avatarUrlIssues(payload.avatar_url)
]

/**
 * The rules of an account user's `user_id`: required, a positive integer.
 *
 * @since 0.1.0
 * @category Payloads
 */
export const userIdIssues = (userId: unknown): Array<Issue> => [
  ...required("user_id", userId),
  ...positiveInteger("user_id", userId)
]

/**
 * The rule of a membership's `role` (`field` names it: `role` on the wire and in a provision input): absent, or
 * `"agent"` or `"administrator"`.
 *
 * @since 0.1.0
 * @category Payloads
 */
export const roleIssues = (role: unknown, field = "role"): Array<Issue> =>
  oneOf(field, role, PlatformRules.isRole, "\"agent\" or \"administrator\"")

/**
 * Read-merge-write for the two hashes Chatwoot replaces whole on an account update: `patch` with its
 * `custom_attributes` and `limits` shallow-merged into those of `current` (the patch's keys win). A hash the patch
 * does not send stays absent.
 *
 * @since 0.1.0
 * @category Payloads
 */
export const mergeAccountUpdate = <
  P extends { readonly custom_attributes?: object | undefined; readonly limits?: object | undefined }
>(
  current: { readonly custom_attributes?: object | undefined; readonly limits?: object | undefined },
  patch: P
): P => ({
  ...patch,
  ...(patch.custom_attributes === undefined ? {} : {
    custom_attributes: { ...current.custom_attributes, ...patch.custom_attributes }
  }),
  ...(patch.limits === undefined ? {} : {
    limits: { ...current.limits, ...patch.limits }
  })
})
