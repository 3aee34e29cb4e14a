// TODO(contract): move. The plain client-side checks shared by the accounts, account users and agent bots payloads,
// the same as the Effect 3 edition's internal/payloadRules.ts. Every check takes `unknown`: JavaScript callers and the
// CLI can pass anything, whatever the TypeScript type says. Messages name the field and the rule and never quote
// the value.

export interface Issue {
  readonly field: string
  readonly rule: string
  readonly message: string
}

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

export const required = (field: string, value: unknown): Array<Issue> =>
  value === undefined ? [{ field, rule: "required", message: `${field} is required` }] : []

export interface TextRule {
  readonly max: number
  readonly nullable?: boolean
  readonly nonBlank?: boolean
}

/** An optional string field: its type, then blankness, then length. `undefined` (not sent) always passes. */
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

/** An optional field that must be one of a few strings; `expected` describes them for the message. */
export const oneOf = (
  field: string,
  value: unknown,
  isAllowed: (value: unknown) => boolean,
  expected: string
): Array<Issue> =>
  value === undefined || isAllowed(value) ? [] : [{ field, rule: "one_of", message: `${field} must be ${expected}` }]

const isPositiveInteger = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) > 0

/** An optional positive integer id (`nullable`: `null` allowed too). */
export const positiveInteger = (field: string, value: unknown, nullable = false): Array<Issue> =>
  value === undefined || (value === null && nullable) || isPositiveInteger(value) ? [] : [{
    field,
    rule: "positive_integer",
    message: `${field} must be a positive integer${nullable ? " or null" : ""}`
  }]

export const notAnObject = (field: string): Issue => ({
  field,
  rule: "json_object",
  message: `${field} must be a JSON object (not null, an array or a string)`
})
