// The bench's people for `provision --file`: person n of the generated CSV, and the answers the bench server gives to
// provisioning's two requests (`POST /users`, Chatwoot's find-or-create by email, and `POST
// /accounts/:id/account_users`), shared by the server and run.mjs so that the membership the server's member mode
// reports is the one the file asks for.
import { accountUser } from "./platform.mjs"

/** The accounts the people are spread over: person n is in account `1 + (n % accounts)`. */
export const accounts = 4

const domain = "bench.example.com"
const emailPattern = /^person(\d+)@bench\.example\.com$/

/** The account and role person n of the file asks for: one in ten an administrator. */
export const membershipOf = (n) => ({ account_id: 1 + (n % accounts), role: n % 10 === 0 ? "administrator" : "agent" })

/**
 * Person n (from 1): every column of a provision record but `action`. One in four has no display name (an empty
 * cell: not set, so the user keeps `null`).
 */
export const personOf = (n) => ({
  email: `person${n}@${domain}`,
  name: `Person ${n}`,
  display_name: n % 4 === 0 ? undefined : `P. ${n}`,
  ...membershipOf(n),
  custom_attributes: { team: `support-${n % 20}`, employee_id: `E-${100_000 + n}` }
})

/** The CSV header of the generated file. */
export const csvHeader = "email,name,display_name,account_id,role,custom_attributes\n"

const csvCell = (text) => /[",\r\n]/.test(text) ? `"${text.replaceAll("\"", "\"\"")}"` : text

/** Person n as a CSV row: `custom_attributes` a JSON object cell. */
export const csvRow = (n) => {
  const p = personOf(n)
  return `${p.email},${csvCell(p.name)},${p.display_name === undefined ? "" : csvCell(p.display_name)},` +
    `${p.account_id},${p.role},${csvCell(JSON.stringify(p.custom_attributes))}\n`
}

/** Person n as an NDJSON record: the same fields as its CSV row (no `display_name` key when it has none). */
export const ndjsonRow = (n) => JSON.stringify(personOf(n)) + "\n"

// FNV-1a over the email: a stable id per person, as the same email always finds the same user in Chatwoot.
const idOf = (email) => {
  let hash = 0x811c9dc5
  for (let i = 0; i < email.length; i++) hash = Math.imul(hash ^ email.charCodeAt(i), 0x01000193)
  return (hash >>> 1) + 1
}

const accessToken = JSON.stringify("6Zcqd4Qrgmz6PN8Vj4zBYPtW")
const pubsubToken = JSON.stringify("mN3x8kQ2ZrT7vYc1pL9sW4dE")
const accountName = JSON.stringify("Acme Support")
const activeAt = JSON.stringify("2025-11-20T09:14:07.482Z")

/**
 * The user `POST /users` answers, in `_user.json.jbuilder`'s key order (BEHAVIOUR.md §5), echoing the request's
 * name, email (trimmed, lowercased, as Chatwoot stores it), display_name and custom_attributes, so provisioning finds
 * nothing to update. `member` false: a new person, no account (`account_id` and `role` null, `accounts: []`), so
 * provisioning adds the membership. `member` true: the person is already in the account the file asks for, with that
 * role (from the email, `membershipOf`), so the create is all it sends. `custom_attributes` is left out when empty, as
 * jbuilder does.
 */
export const createdUserJson = (request, member) => {
  const email = typeof request.email === "string" ? request.email.trim().toLowerCase() : ""
  const name = typeof request.name === "string" ? request.name : ""
  const displayName = typeof request.display_name === "string" ? request.display_name : null
  const attributes = request.custom_attributes
  const hasAttributes = attributes !== null && typeof attributes === "object" && Object.keys(attributes).length > 0
  const matched = member ? emailPattern.exec(email) : null
  const membership = matched === null ? undefined : membershipOf(Number(matched[1]))
  const role = membership === undefined ? "null" : JSON.stringify(membership.role)
  const quotedEmail = JSON.stringify(email)
  return `{"access_token":${accessToken},"account_id":${membership?.account_id ?? "null"},"available_name":${
    JSON.stringify(displayName !== null && displayName.trim() !== "" ? displayName : name)
  },"avatar_url":"","confirmed":true,"display_name":${JSON.stringify(displayName)},"message_signature":null,` +
    `"email":${quotedEmail},"id":${idOf(email)},"name":${JSON.stringify(name)},"provider":"email",` +
    `"pubsub_token":${pubsubToken},${hasAttributes ? `"custom_attributes":${JSON.stringify(attributes)},` : ""}` +
    `"role":${role},"ui_settings":{},"uid":${quotedEmail},"accounts":[${
      membership === undefined ?
        "" :
        `{"id":${membership.account_id},"name":${accountName},"active_at":${activeAt},"role":${role}}`
    }]}`
}

/**
 * The account user `POST /accounts/:id/account_users` answers: the 12 columns (PLATFORM.md §4.1) echoing the
 * account of the path and the request's `user_id` and `role` (agent when omitted, as for a new member).
 */
export const addedAccountUserJson = (accountId, request) => {
  const userId = Number.isSafeInteger(request.user_id) ? request.user_id : Number(request.user_id) || 0
  return JSON.stringify({
    ...accountUser(1),
    id: userId,
    account_id: accountId,
    user_id: userId,
    role: request.role === undefined ? "agent" : request.role === "" ? null : request.role
  })
}
