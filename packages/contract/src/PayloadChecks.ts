/**
 * The client-side checks shared by the accounts, account users and agent bots payloads, as plain data: each returns
 * the issues it finds (none when the value passes). Every check takes `unknown`: JavaScript callers and the CLI can pass
 * anything, whatever the TypeScript type says. Messages name the field and the rule and never quote the value.
 *
 * @since 0.1.0
 */

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
