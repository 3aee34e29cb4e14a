/**
 * Chatwoot's own validation rules for users (BEHAVIOUR.md §4), defined once: the client checks payloads with them
 * before sending, and the in-memory server composes its exact 422 bodies from them.
 *
 * @since 0.1.0
 */
import { isJsonObject } from "./Json.js"

/**
 * One broken rule: the field (a user's `name`, `email`..., or another record's attribute such as an account's
 * `limits`), a stable rule name and Chatwoot's full message for it.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RuleViolation {
  readonly field: string
  readonly rule: string
  readonly message: string
}

/**
 * The 33 characters that count as "special" in Chatwoot's password policy (a space is one of them).
 *
 * @since 0.1.0
 * @category Constants
 */
export const PASSWORD_SPECIALS = " !@#$%^&*()_+-=[]{}|\"/\\.,`<>:;?~'"

/**
 * @since 0.1.0
 * @category Constants
 */
export const PASSWORD_MIN_LENGTH = 6

/**
 * @since 0.1.0
 * @category Constants
 */
export const PASSWORD_MAX_LENGTH = 128

/**
 * Chatwoot's exact messages (note the two spaces before the parenthesised lists: they are in Chatwoot's locale file).
 *
 * @since 0.1.0
 * @category Constants
 */
export const Messages = {
  emailBlank: "Email can't be blank",
  emailInvalid: "Email is invalid",
  emailNotAnEmail: "Email is not an email",
  emailTaken: "Email has already been taken",
  passwordTooShort: `Password must contain at least ${PASSWORD_MIN_LENGTH} characters`,
  passwordTooLong: `Password must contain less than ${PASSWORD_MAX_LENGTH} characters`,
  passwordUppercase: "Password must contain at least 1 uppercase character  (A..Z)",
  passwordLowercase: "Password must contain at least 1 lowercase character  (a..z)",
  passwordNumber: "Password must contain at least 1 number character  (0..9)",
  passwordSpecial: `Password must contain at least 1 special character  (${PASSWORD_SPECIALS})`,
  passwordInvalidCharacters: (count: number, characters: string) =>
    `Password contains ${count} invalid character${count === 1 ? "" : "s"} (${characters})`
} as const

// Devise's `email_regexp` and devise_token_auth's EMAIL_REGEXP. Ruby's `\s` is ASCII whitespace only, JavaScript's
// is Unicode's, so it is spelled out.
const deviseEmailRegexp = /^[^@ \t\n\v\f\r]+@[^@ \t\n\v\f\r]+$/
const tokenAuthEmailRegexp = /^([^@ \t\n\v\f\r]+)@((?:[-a-z0-9]+\.)+[a-z]{2,})$/i

// Ruby's String#strip removes NUL and ASCII whitespace only (JavaScript's trim() also removes Unicode spaces), and
// Ruby's downcase maps each character on its own (JavaScript's toLowerCase applies the Greek final-sigma rule).
const rubyStrip = (text: string) => text.replace(/^[\0\t\n\v\f\r ]+|[\0\t\n\v\f\r ]+$/g, "")
const rubyDowncase = (text: string) => Array.from(text, (char) => char.toLowerCase()).join("")

/**
 * Devise strips and downcases the email before validating and storing it (with Ruby's `strip` and `downcase`).
 *
 * @since 0.1.0
 * @category Rules
 */
export const normalizeEmail = (email: string): string => rubyDowncase(rubyStrip(email))

/**
 * The outcome of the two format checks on a normalised, non-blank email.
 *
 * @since 0.1.0
 * @category Rules
 */
export const emailFormat = (normalized: string): { readonly devise: boolean; readonly tokenAuth: boolean } => ({
  devise: deviseEmailRegexp.test(normalized),
  tokenAuth: tokenAuthEmailRegexp.test(normalized)
})

/**
 * The rules a (normalised) email breaks, each once. Uniqueness needs the server's data and is not checked here.
 *
 * @since 0.1.0
 * @category Rules
 */
export const emailViolations = (normalized: string): Array<RuleViolation> => {
  if (normalized === "") return [{ field: "email", rule: "required", message: Messages.emailBlank }]
  const format = emailFormat(normalized)
  const violations: Array<RuleViolation> = []
  if (!format.devise) violations.push({ field: "email", rule: "format", message: Messages.emailInvalid })
  if (!format.tokenAuth) {
    violations.push({ field: "email", rule: "email_address", message: Messages.emailNotAnEmail })
  }
  return violations
}

/**
 * The characters of a password that belong to none of Chatwoot's classes, in order of first appearance, and how
 * many there are in all.
 *
 * @since 0.1.0
 * @category Rules
 */
export const unknownPasswordCharacters = (password: string): { readonly count: number; readonly distinct: string } => {
  let count = 0
  const distinct = new Set<string>()
  for (const char of password) {
    if (!isKnownPasswordCharacter(char)) {
      count++
      distinct.add(char)
    }
  }
  return { count, distinct: Array.from(distinct).join("") }
}

const isKnownPasswordCharacter = (char: string) =>
  (char >= "A" && char <= "Z") || (char >= "a" && char <= "z") || (char >= "0" && char <= "9") ||
  PASSWORD_SPECIALS.includes(char)

/**
 * The password policy, in Chatwoot's order: length, uppercase, lowercase, number, special, unknown characters.
 * Length counts characters (code points), as Ruby does. The message of the unknown-character rule names the
 * characters only when `revealCharacters` is set: the server does, the client never puts password content in an
 * error.
 *
 * @since 0.1.0
 * @category Rules
 */
export const passwordViolations = (
  password: string,
  options?: { readonly revealCharacters?: boolean | undefined }
): Array<RuleViolation> => {
  const violations: Array<RuleViolation> = []
  const chars = Array.from(password)
  if (chars.length < PASSWORD_MIN_LENGTH) {
    violations.push({ field: "password", rule: "min_length", message: Messages.passwordTooShort })
  } else if (chars.length > PASSWORD_MAX_LENGTH) {
    violations.push({ field: "password", rule: "max_length", message: Messages.passwordTooLong })
  }
  const has = (test: (char: string) => boolean) => chars.some(test)
  if (!has((c) => c >= "A" && c <= "Z")) {
    violations.push({ field: "password", rule: "uppercase", message: Messages.passwordUppercase })
  }
  if (!has((c) => c >= "a" && c <= "z")) {
    violations.push({ field: "password", rule: "lowercase", message: Messages.passwordLowercase })
  }
  if (!has((c) => c >= "0" && c <= "9")) {
    violations.push({ field: "password", rule: "number", message: Messages.passwordNumber })
  }
  if (!has((c) => PASSWORD_SPECIALS.includes(c))) {
    violations.push({ field: "password", rule: "special", message: Messages.passwordSpecial })
  }
  const unknown = unknownPasswordCharacters(password)
  if (unknown.count > 0) {
    violations.push({
      field: "password",
      rule: "invalid_characters",
      message: options?.revealCharacters === true
        ? Messages.passwordInvalidCharacters(unknown.count, unknown.distinct)
        : `Password contains ${unknown.count} invalid character${
          unknown.count === 1 ? "" : "s"
        } (only A-Z, a-z, 0-9 and the special characters are allowed)`
    })
  }
  return violations
}

/**
 * Removes password content from a Chatwoot 422 message: the server lists a password's invalid characters.
 *
 * @since 0.1.0
 * @category Rules
 */
export const redactServerMessage = (message: string): string =>
  message.replace(
    /(Password contains \d+ invalid characters? )\([\s\S]*?\)(?=, Email can't be blank$|$)/,
    "$1([redacted])"
  )

/**
 * What the server knows about the record being saved, for {@link recordInvalid}.
 *
 * @since 0.1.0
 * @category Rules
 */
export interface RecordState {
  /** A new user (create) rather than an existing one (update). */
  readonly isNew: boolean
  /** The email after normalisation ("" when missing or null). */
  readonly email: string
  /** Whether the email differs from the stored one (always true for a new user). */
  readonly emailChanged: boolean
  /** Whether another user already has this email. */
  readonly emailTaken: boolean
  /** The password being set: a string for create (missing counts as ""), `undefined` when unchanged. */
  readonly password: string | undefined
}

/**
 * The server's full error list for a record, in the order Rails runs the validators (Devise's validatable twice,
 * devise_token_auth between them, the secure-password rules, then Chatwoot's own presence check), so duplicated
 * messages come out exactly as the real server writes them. Returns `[]` when the record is valid.
 *
 * @since 0.1.0
 * @category Rules
 */
export const recordInvalid = (state: RecordState): Array<RuleViolation> => {
  const errors: Array<RuleViolation> = []
  const email = state.email
  const blank = email === ""
  const format = blank ? { devise: true, tokenAuth: true } : emailFormat(email)
  const taken: RuleViolation = { field: "email", rule: "taken", message: Messages.emailTaken }
  const deviseValidatable = () => {
    if (state.emailChanged && !blank) {
      if (state.emailTaken) errors.push(taken)
      if (!format.devise) errors.push({ field: "email", rule: "format", message: Messages.emailInvalid })
    }
  }
  deviseValidatable()
  if (blank) errors.push({ field: "email", rule: "required", message: Messages.emailBlank })
  if (!blank && !format.tokenAuth) {
    errors.push({ field: "email", rule: "email_address", message: Messages.emailNotAnEmail })
  }
  if (state.isNew && !blank && state.emailTaken) errors.push(taken)
  deviseValidatable()
  if (state.password !== undefined) {
    errors.push(...passwordViolations(state.password, { revealCharacters: true }))
  }
  if (blank) errors.push({ field: "email", rule: "required", message: Messages.emailBlank })
  return errors
}

/**
 * The 422 body's `attributes`: each field once, in order of first error.
 *
 * @since 0.1.0
 * @category Rules
 */
export const attributesOf = (violations: ReadonlyArray<RuleViolation>): Array<string> =>
  Array.from(new Set(violations.map((violation) => violation.field)))

/**
 * The client-side rules of a users payload (email format, password policy, `custom_attributes` a JSON object): every
 * broken one, and the email normalised (trimmed, lowercased) when one was sent. The password is the revealed value:
 * each edition keeps it `Redacted` around this call.
 *
 * @since 0.1.0
 * @category Rules
 */
export const payloadViolations = (payload: {
  readonly email?: string | undefined
  readonly password?: string | undefined
  readonly custom_attributes?: unknown
}): { readonly violations: Array<RuleViolation>; readonly email: string | undefined } => {
  const violations: Array<RuleViolation> = []
  let email: string | undefined
  if (payload.email !== undefined) {
    email = normalizeEmail(payload.email)
    violations.push(...emailViolations(email))
  }
  if (payload.password !== undefined) violations.push(...passwordViolations(payload.password))
  if (payload.custom_attributes !== undefined && !isJsonObject(payload.custom_attributes)) {
    violations.push({
      field: "custom_attributes",
      rule: "json_object",
      message: "custom_attributes must be a JSON object"
    })
  }
  return { violations, email }
}

/**
 * One leaf of a failed decode of a users payload, as each edition's Schema reports it: its path, its kind
 * (`Missing` for an absent required key, `Unexpected` for an unknown one, anything else for a wrong value) and the
 * Schema's message.
 *
 * @since 0.1.0
 * @category Models
 */
export interface DecodeLeaf {
  readonly path: ReadonlyArray<PropertyKey>
  readonly kind: string
  readonly message: string
}

/**
 * A failed decode's leaf as a broken rule of the payload's first key (`payload` for the whole): `required`,
 * `unknown_field` or `type`. A Schema message quotes the value, so a wrong password's is replaced.
 *
 * @since 0.1.0
 * @category Rules
 */
export const decodeViolation = ({ kind, message, path }: DecodeLeaf): RuleViolation => {
  const field = path.length > 0 ? String(path[0]) : "payload"
  const rule = kind === "Missing" ? "required" : kind === "Unexpected" ? "unknown_field" : "type"
  // A parse message quotes the actual value: never let that be a password.
  return { field, rule, message: field === "password" && rule === "type" ? "password must be a string" : message }
}
