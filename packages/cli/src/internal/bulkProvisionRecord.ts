/**
 * The records of a bulk provision: one person and one account a record, `{email, name, display_name, account_id,
 * role, custom_attributes, action}`, `action` `provision` (the default) or `deprovision`. How the bulk engine reads
 * them from NDJSON and CSV, and every check made before anything is sent.
 *
 * @since 0.3.0
 * @internal
 */
import type { AccountId } from "@chatwoot-effect/core/Account"
import * as Provisioning from "@chatwoot-effect/core/Provisioning"
import * as UserRules from "@chatwoot-effect/core/UserRules"
import * as Either from "effect/Either"
import * as Input from "./bulkInput.js"

/**
 * What a record of the file asks: a person brought to the wanted state in an account, or a membership removed.
 *
 * @since 0.3.0
 * @category Models
 * @internal
 */
export type Request =
  | { readonly _tag: "Provision"; readonly input: Provisioning.ProvisionInput }
  | { readonly _tag: "Deprovision"; readonly email: string; readonly accountId: AccountId }

/**
 * A record that may be sent, named by its email (trimmed, lowercased).
 *
 * @since 0.3.0
 * @category Models
 * @internal
 */
export type Accepted = Input.Accepted<Request, string>

/**
 * The keys of a record, which are also the CSV columns, in this order.
 *
 * @since 0.3.0
 * @category Models
 * @internal
 */
export const keys = ["email", "name", "display_name", "account_id", "role", "custom_attributes", "action"] as const

const known: ReadonlySet<string> = new Set(keys)

// The core checks name the input's fields; a record's are the file's keys.
const fileField: Readonly<Record<string, string>> = {
  displayName: "display_name",
  customAttributes: "custom_attributes",
  accountId: "account_id"
}
const renameText = (text: string) =>
  text.replace(/\b(displayName|customAttributes|accountId)\b/g, (name) => fileField[name] ?? name)

/**
 * The email a record is named by, normalised as Chatwoot does (trimmed, lowercased), or `null` when it has none.
 *
 * @since 0.3.0
 * @category Checks
 * @internal
 */
export const idOf = (value: unknown): string | null =>
  typeof value === "string" && value.trim() !== "" ? UserRules.normalizeEmail(value) : null

const isPositiveInteger = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0

const words = (value: unknown) => typeof value === "string" ? value.trim().toLowerCase() : value

/**
 * Checks one decoded record (an NDJSON object, or the object a CSV row spells): only the known keys, an email, an
 * account id (a positive integer), an `action` of `provision` or `deprovision`; a provision also needs a name, and
 * its fields go through `Provisioning.validateProvisionInput` (Chatwoot's email, role and custom attribute rules).
 * `role` and `action` are read case-insensitively. Every broken rule is reported, by the file's key names.
 *
 * @since 0.3.0
 * @category Checks
 * @internal
 */
export const checkRecord = (line: number, input: unknown): Accepted | Input.Rejected => {
  if (!Input.isPlainObject(input)) return Input.rejected(line, null, "Parse", "the record must be a JSON object")
  const id = idOf(input.email)
  const issues: Array<Input.Issue> = []
  for (const key of Object.keys(input)) {
    if (!known.has(key)) {
      issues.push({ field: key, rule: "unknown_field", message: `not a key of a record (expected ${keys.join(", ")})` })
    }
  }
  const action = input.action === undefined ? "provision" : words(input.action)
  if (action !== "provision" && action !== "deprovision") {
    issues.push({ field: "action", rule: "one_of", message: "action must be \"provision\" or \"deprovision\"" })
  }
  if (typeof input.email !== "string" || input.email.trim() === "") {
    issues.push(
      input.email === undefined || typeof input.email === "string"
        ? { field: "email", rule: "required", message: "email is required" }
        : { field: "email", rule: "type", message: "email must be a string" }
    )
  }
  const accountId = input.account_id
  if (accountId === undefined || accountId === null) {
    issues.push({ field: "account_id", rule: "required", message: "account_id is required" })
  } else if (!isPositiveInteger(accountId)) {
    issues.push({ field: "account_id", rule: "positive_integer", message: "account_id must be a positive integer" })
  }
  let request: Request | undefined
  if (action === "deprovision") {
    if (id !== null) {
      issues.push(...UserRules.emailViolations(id))
      if (issues.length === 0) request = { _tag: "Deprovision", email: id, accountId: accountId as AccountId }
    }
  } else {
    const name = input.name
    if (typeof name !== "string" || name.trim() === "") {
      issues.push(
        name === undefined || typeof name === "string"
          ? { field: "name", rule: "required", message: "name is required to provision" }
          : { field: "name", rule: "type", message: "name must be a string" }
      )
    }
    const displayName = input.display_name
    if (displayName !== undefined && displayName !== null && typeof displayName !== "string") {
      issues.push({ field: "display_name", rule: "type", message: "display_name must be a string or null" })
    }
    const role = words(input.role)
    if (role !== undefined && typeof role !== "string") {
      issues.push({ field: "role", rule: "type", message: "role must be \"agent\" or \"administrator\"" })
    }
    const attributes = input.custom_attributes
    if (attributes !== undefined && !Input.isPlainObject(attributes)) {
      issues.push({ field: "custom_attributes", rule: "type", message: "custom_attributes must be a JSON object" })
    }
    // Then the rules of the requests it feeds (broken types stood in for, each field reported once), by file keys.
    const reported = new Set(issues.map((issue) => issue.field))
    const checked = Provisioning.validateProvisionInput({
      email: typeof input.email === "string" ? input.email : "someone@example.com",
      name: typeof name === "string" ? name : "",
      ...(typeof displayName === "string" || displayName === null ? { displayName } : {}),
      ...(Input.isPlainObject(attributes) ? { customAttributes: attributes } : {}),
      accountId: (isPositiveInteger(accountId) ? accountId : 1) as AccountId,
      ...(typeof role === "string" ? { role: role as Provisioning.Role } : {})
    })
    if (Either.isLeft(checked)) {
      for (const issue of checked.left.issues) {
        const field = fileField[issue.field] ?? issue.field
        if (!reported.has(field)) issues.push({ field, rule: issue.rule, message: renameText(issue.message) })
      }
    } else if (issues.length === 0) request = { _tag: "Provision", input: checked.right }
  }
  if (request === undefined || issues.length > 0) {
    const fields = [...new Set(issues.map((issue) => issue.field))]
    return Input.rejected(
      line,
      id,
      "Validation",
      `${action === "deprovision" ? "deprovision" : "provision"}: invalid ${fields.join(", ")} (checked before ` +
        `sending, nothing was sent): ${
          issues.map((issue) => `${issue.field}: ${issue.message} [${issue.rule}]`).join("; ")
        }`,
      issues
    )
  }
  return { _tag: "Accepted", line, id: id!, payload: request }
}

/**
 * The CSV columns: the record's keys, `custom_attributes` a JSON object cell and `custom_attributes.KEY` string
 * cells merged over it; `account_id` digits read as a number; an empty cell is "not set".
 *
 * @since 0.3.0
 * @category CSV
 * @internal
 */
export const columns: Input.Columns<Accepted> = {
  columns: keys,
  required: ["email", "account_id"],
  key: "email",
  attributeColumns: true,
  cell: (column, text) => {
    if (column !== "account_id") return text
    const trimmed = text.trim()
    return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed
  },
  id: idOf,
  check: checkRecord
}

/**
 * @since 0.3.0
 * @category Reading
 * @internal
 */
export const reader: Input.Reader<Accepted> = { json: checkRecord, csv: Input.csvTable(columns) }
