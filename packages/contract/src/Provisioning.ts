/**
 * The plain decisions of provisioning: the random password, JSON comparison, the field-by-field difference between
 * a user as it is and as it is wanted (what a plan reports and the one update that closes it), and the plain parts of
 * checking a provision input (its field names, its account id, what a decode failure says).
 *
 * @since 0.1.0
 */
import type { Operation } from "./Operations.js"
import type { Issue } from "./PayloadChecks.js"
import { positiveInteger, required } from "./PayloadChecks.js"
import type { DecodeLeaf } from "./UserRules.js"
import { PASSWORD_SPECIALS } from "./UserRules.js"

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
const LOWER = "abcdefghijklmnopqrstuvwxyz"
const DIGITS = "0123456789"
// The space is one of Chatwoot's specials, but a password ending in one is easily mangled by whoever copies it.
const SPECIALS = PASSWORD_SPECIALS.replace(" ", "")
const ALL = UPPER + LOWER + DIGITS + SPECIALS

/**
 * The length of a generated password.
 *
 * @since 0.1.0
 * @category Constants
 */
export const PASSWORD_LENGTH = 32

// Random words drawn in batches: one `getRandomValues` call per password or so, where one per character cost most of
// a provisioned person's CPU. Each word is used once.
const pool = new Uint32Array(256)
let nextWord = pool.length
const randomWord = (): number => {
  if (nextWord === pool.length) {
    globalThis.crypto.getRandomValues(pool)
    nextWord = 0
  }
  return pool[nextWord++]!
}

// Uniform in [0, n): rejection sampling, so no character is likelier than another.
const randomIndex = (n: number): number => {
  const limit = Math.floor(0x1_0000_0000 / n) * n
  for (;;) {
    const word = randomWord()
    if (word < limit) return word % n
  }
}

const pick = (alphabet: string): string => alphabet[randomIndex(alphabet.length)]!

/**
 * A cryptographically random password that meets Chatwoot's policy: one character of each class, the rest from all
 * of them, shuffled (Fisher-Yates) so the classes sit anywhere.
 *
 * @since 0.1.0
 * @category Passwords
 */
export const generatePassword = (): string => {
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SPECIALS)]
  while (chars.length < PASSWORD_LENGTH) chars.push(pick(ALL))
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1)
    const swap = chars[i]!
    chars[i] = chars[j]!
    chars[j] = swap
  }
  return chars.join("")
}

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key)

/**
 * An own property only: `object["__proto__"]` of an object without that key would be the prototype.
 *
 * @since 0.1.0
 * @category JSON
 */
export const ownValue = (object: Readonly<Record<string, unknown>> | undefined, key: string): unknown =>
  object !== undefined && hasOwn(object, key) ? object[key] : undefined

/**
 * JSON equality: object keys in any order (Postgres' jsonb reorders them), arrays in order.
 *
 * @since 0.1.0
 * @category JSON
 */
export const jsonEquals = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length &&
      a.every((item, i) => jsonEquals(item, b[i]))
  }
  const keysA = Object.keys(a)
  if (keysA.length !== Object.keys(b).length) return false
  return keysA.every((key) =>
    hasOwn(b, key) &&
    jsonEquals((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])
  )
}

/**
 * What a user is compared on.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Profile {
  readonly name: string
  readonly display_name?: string | null | undefined
  readonly custom_attributes?: Readonly<Record<string, unknown>> | undefined
}

/**
 * The wanted values; a field left out is not wanted, whatever it holds.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Wanted {
  readonly name: string
  readonly display_name?: string | null | undefined
  readonly custom_attributes?: Readonly<Record<string, unknown>> | undefined
}

/**
 * The one update of a user's profile that brings it to the wanted values.
 *
 * @since 0.1.0
 * @category Models
 */
export interface ProfileUpdate {
  readonly name?: string
  readonly display_name?: string | null
  readonly custom_attributes?: Readonly<Record<string, unknown>>
}

/**
 * How a user differs from what is wanted.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Difference {
  /** `name`, `display_name`, `custom_attributes.<key>`, in this order. */
  readonly fields: ReadonlyArray<string>
  /** The one update that brings the user to the wanted values, holding only what differs; none when nothing does. */
  readonly payload: ProfileUpdate | undefined
}

/**
 * Only the wanted `custom_attributes` keys are compared: Chatwoot merges the hash shallowly on update, so the other
 * keys stay whatever is sent.
 *
 * @since 0.1.0
 * @category Decisions
 */
export const difference = (current: Profile, wanted: Wanted): Difference => {
  const fields: Array<string> = []
  const payload: { name?: string; display_name?: string | null; custom_attributes?: Record<string, unknown> } = {}
  if (current.name !== wanted.name) {
    fields.push("name")
    payload.name = wanted.name
  }
  if (wanted.display_name !== undefined && (current.display_name ?? null) !== wanted.display_name) {
    fields.push("display_name")
    payload.display_name = wanted.display_name
  }
  if (wanted.custom_attributes !== undefined) {
    const wantedAttributes = wanted.custom_attributes
    const keys = Object.keys(wantedAttributes).filter((key) =>
      !(current.custom_attributes !== undefined && hasOwn(current.custom_attributes, key) &&
        jsonEquals(current.custom_attributes[key], wantedAttributes[key]))
    )
    if (keys.length > 0) {
      fields.push(...keys.map((key) => `custom_attributes.${key}`))
      // fromEntries defines the keys, so a "__proto__" key stays a key.
      payload.custom_attributes = Object.fromEntries(keys.map((key) => [key, wantedAttributes[key]]))
    }
  }
  return { fields, payload: fields.length > 0 ? payload : undefined }
}

/**
 * Whether a user answered by create holds exactly what was sent (every sent field, `custom_attributes` whole, a
 * `display_name` not sent still `null`): what a user made by this create looks like.
 *
 * @since 0.1.0
 * @category Decisions
 */
export const holdsExactly = (current: Profile, sent: Wanted): boolean =>
  current.name === sent.name &&
  (current.display_name ?? null) === (sent.display_name ?? null) &&
  jsonEquals(current.custom_attributes ?? {}, sent.custom_attributes ?? {})

/**
 * `null` (and a missing role) acts as agent in Chatwoot.
 *
 * @since 0.1.0
 * @category Decisions
 */
export const sameRole = (current: string | null | undefined, wanted: string): boolean => (current ?? "agent") === wanted

// The payload validators name the wire fields; the errors name the input's.
const inputFieldOf = new Map([["custom_attributes", "customAttributes"], ["display_name", "displayName"], [
  "user_id",
  "userId"
]])

/**
 * Broken rules of the payloads a provision input feeds, under the input's field names (`customAttributes`,
 * `displayName`, `userId`) instead of the wire's.
 *
 * @since 0.1.0
 * @category Input checks
 */
export const inputIssues = (issues: ReadonlyArray<Issue>): Array<Issue> =>
  issues.map((issue) => ({ ...issue, field: inputFieldOf.get(issue.field) ?? issue.field }))

const membershipFields = new Set(["accountId", "role"])

/**
 * The operation broken rules of a provision input would have failed: the membership's own (`fallback`) when only
 * `accountId` and `role` are broken, else the user's create.
 *
 * @since 0.1.0
 * @category Input checks
 */
export const inputOperation = <O extends Operation>(issues: ReadonlyArray<Issue>, fallback: O): O | "create" =>
  issues.every((issue) => membershipFields.has(issue.field)) ? fallback : "create"

/**
 * The rules of an input's account id: required, a positive integer.
 *
 * @since 0.1.0
 * @category Input checks
 */
export const accountIdIssues = (accountId: unknown): Array<Issue> => [
  ...required("accountId", accountId),
  ...positiveInteger("accountId", accountId)
]

/**
 * A failed decode of a provision input (its leaves, see `UserRules.DecodeLeaf`) as broken rules, each field and rule once (a value failing a union is reported
 * once per member). `inputKeys` lists the input's fields, for an unknown field's message. A Schema message quotes
 * the value, so the password's is replaced.
 *
 * @since 0.1.0
 * @category Input checks
 */
export const decodeIssues = (leaves: ReadonlyArray<DecodeLeaf>, inputKeys: string): Array<Issue> => {
  const seen = new Set<string>()
  return leaves.map((leaf): Issue => {
    if (leaf.path.length === 0) return { field: "input", rule: "type", message: "the input must be a JSON object" }
    const field = String(leaf.path[0])
    if (leaf.kind === "Missing") return { field, rule: "required", message: `${field} is required` }
    if (leaf.kind === "Unexpected") {
      return { field, rule: "unknown_field", message: `not a field of this input (expected ${inputKeys})` }
    }
    // A parse message quotes the value: never let that be a password.
    return { field, rule: "type", message: field === "password" ? "password must be a string" : leaf.message }
  }).filter((issue) => {
    const key = JSON.stringify([issue.field, issue.rule])
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * What provisioning did to the user: `created`, `claimed` (it existed; the app now holds it), `updated`, `unchanged`.
 *
 * @since 0.1.0
 * @category Outcomes
 */
export const userOutcomes = ["created", "claimed", "updated", "unchanged"] as const

/**
 * What provisioning did to the membership.
 *
 * @since 0.1.0
 * @category Outcomes
 */
export const membershipOutcomes = ["added", "role_changed", "unchanged"] as const

/**
 * What deprovisioning did to the membership.
 *
 * @since 0.1.0
 * @category Outcomes
 */
export const removalOutcomes = ["removed", "unchanged"] as const

/**
 * The operations of the provisioning service, as its errors name them.
 *
 * @since 0.1.0
 * @category Errors
 */
export const operations = ["provision", "deprovision", "plan", "membersOf"] as const

/**
 * The steps a provisioning operation can fail at (see each edition's `ProvisioningStep`).
 *
 * @since 0.1.0
 * @category Errors
 */
export const steps = [
  "input",
  "user",
  "update",
  "membership",
  "loginUrl",
  "members",
  "lookup",
  "remove",
  "deleteUser"
] as const

/**
 * What the steps before a failure did, as a provisioning error's message reads it.
 *
 * @since 0.1.0
 * @category Errors
 */
export interface Progress {
  readonly userId?: number | undefined
  readonly user?: string | undefined
  readonly updated?: ReadonlyArray<string> | undefined
  readonly membership?: string | undefined
  readonly requests: number
}

const describeProgress = (done: Progress): string => {
  const parts: Array<string> = []
  if (done.user !== undefined) parts.push(`user ${done.user}`)
  if (done.updated !== undefined && done.updated.length > 0) parts.push(`updated ${done.updated.join(", ")}`)
  if (done.membership !== undefined) parts.push(`membership ${done.membership.replace("_", " ")}`)
  const did = parts.length > 0 ? `${parts.join(", ")}; ` : ""
  return `${did}${done.requests} request${done.requests === 1 ? "" : "s"} sent`
}

/**
 * The message of a provisioning error: the operation, for whom (the email, else the user id) in which account, the
 * step that failed, what the earlier steps did, and the cause's own message.
 *
 * @since 0.1.0
 * @category Errors
 */
export const errorMessage = (error: {
  readonly operation: string
  readonly step: string
  readonly accountId?: number | undefined
  readonly email?: string | undefined
  readonly cause: { readonly message: string }
  readonly done: Progress
}): string => {
  if (error.step === "input") return `${error.operation}: invalid input: ${error.cause.message}`
  const who = error.email ?? (error.done.userId === undefined ? undefined : `user ${error.done.userId}`)
  const subject = [who, error.accountId === undefined ? undefined : `account ${error.accountId}`]
    .filter((part) => part !== undefined).join(" in ")
  return `${error.operation}${subject === "" ? "" : ` ${subject}`}: the ${error.step} step failed (${
    describeProgress(error.done)
  }): ${error.cause.message}`
}
