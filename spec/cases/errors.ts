import type { Expected, Outcome } from "./Case.js"

/** The kinds of record errors name (`ResourceKind`). Account users act on their account. */
export type Resource = "user" | "account" | "agent_bot"

const labels: { readonly [K in Resource]: string } = { user: "user", account: "account", agent_bot: "agent bot" }

const hints: { readonly [K in Resource]: string } = {
  user: "An app may only manage users it created or claimed: create the user with this app (create with the same " +
    "email claims it).",
  account: "An app may only manage accounts it created: no endpoint grants an existing account to an app (a " +
    "console PlatformAppPermissible.create! does).",
  agent_bot: "An app may only manage agent bots it created: no endpoint grants an existing bot to an app."
}

/** A 401 `Invalid access_token`: `Unauthorized` `InvalidToken`, naming the record on member routes. */
export const invalidToken = (
  operation: string,
  subject?: { readonly resource: Resource; readonly id: number }
): Outcome => ({
  fails: {
    error: { _tag: "Unauthorized", operation, reason: "InvalidToken", ...subject },
    message:
      `${operation}${
        subject === undefined ? "" : ` on ${labels[subject.resource]} ${subject.id}`
      }: Chatwoot rejected the platform token (Invalid access_token). ` +
      "Use the access token of a platform app (Super Admin > Platform Apps), not a user's or an agent bot's. " +
      "If the token is right, a proxy in front of Chatwoot may have dropped its header: nginx drops " +
      "api_access_token (a name with underscores) unless underscores_in_headers is on; api-access-token, the " +
      "default, gets through."
  }
})

/** A 401 `Non permissible resource`: `Unauthorized` `NonPermissibleResource` on the record. */
export const nonPermissible = (operation: string, resource: Resource, id: number): Outcome => ({
  fails: {
    error: { _tag: "Unauthorized", operation, reason: "NonPermissibleResource", resource, id },
    message: `${operation} on ${labels[resource]} ${id}: this platform app has no permission on the ${
      labels[resource]
    } (Non permissible resource). ${hints[resource]}`
  }
})

/** A 404: `NotFound` naming the record. */
export const notFound = (operation: string, resource: Resource, id: number): Outcome => ({
  fails: {
    error: { _tag: "NotFound", operation, resource, id },
    message: `${operation}: ${labels[resource]} ${id} was not found`
  }
})

/** One broken client-side rule: the field, the rule and its exact message. */
export type Issue = readonly [field: string, rule: string, message: string]

/** A client-side `Validation`: every issue in order; nothing was sent. */
export const clientValidation = (operation: string, issues: ReadonlyArray<Issue>): Outcome => {
  const attributes = Array.from(new Set(issues.map(([field]) => field)))
  return {
    fails: {
      error: {
        _tag: "Validation",
        operation,
        source: "client",
        attributes,
        issues: issues.map(([field, rule, message]): Expected => ({ field, rule, message }))
      },
      message: `${operation}: invalid ${attributes.join(", ")} (checked before sending, nothing was sent): ${
        issues.map(([field, rule, message]) => `${field}: ${message} [${rule}]`).join("; ")
      }`
    }
  }
}

/** A server-side `Validation` (a 422): Chatwoot's attributes and message. */
export const serverValidation = (
  operation: string,
  attributes: ReadonlyArray<string>,
  serverMessage: string
): Outcome => ({
  fails: {
    error: { _tag: "Validation", operation, source: "server", attributes, issues: [], serverMessage },
    message: `${operation}: invalid ${attributes.join(", ")} (rejected by Chatwoot with 422): ${serverMessage}`
  }
})
