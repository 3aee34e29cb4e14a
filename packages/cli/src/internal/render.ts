import * as User from "@chatwoot-effect/core/User"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/**
 * The user as Chatwoot's JSON (what `--json` prints): `User` keeps Chatwoot's keys, nulls and key order, so encoding
 * it gives back what the server sent (fields the schema does not know are not kept).
 *
 * @internal
 */
export const userJson = (user: User.User): string => JSON.stringify(Schema.encodeSync(User.User)(user))

const line = (label: string, value: unknown) => `${(label + ":").padEnd(19)} ${value}`

/** The user for people: one field a line. @internal */
export const userText = (user: User.User): string => {
  const lines = [
    line("id", user.id),
    line("name", user.name),
    line("display name", user.display_name ?? "(none)"),
    line("email", user.email)
  ]
  if (user.confirmed !== undefined) lines.push(line("confirmed", user.confirmed ? "yes" : "no"))
  if (user.custom_attributes !== undefined && Object.keys(user.custom_attributes).length > 0) {
    lines.push(line("custom attributes", JSON.stringify(user.custom_attributes)))
  }
  if (user.accounts.length > 0) {
    lines.push(line(
      "accounts",
      user.accounts.map((account) => `${account.name} (#${account.id}${account.role ? `, ${account.role}` : ""})`).join(
        ", "
      )
    ))
  }
  return lines.join("\n")
}

/** @internal */
export const ssoLinkJson = (link: User.SsoLink): string => JSON.stringify(Schema.encodeSync(User.SsoLink)(link))

/** The token response with the user's own token in clear: printing it is what the command is for. @internal */
export const userTokenJson = (token: User.UserToken): string =>
  JSON.stringify({ ...Schema.encodeSync(User.UserToken)(token), access_token: Redacted.value(token.access_token) })

/** @internal */
export const userTokenText = (token: User.UserToken): string =>
  [
    line("access token", Redacted.value(token.access_token)),
    line("user", `${token.user.id} ${token.user.name} <${token.user.email}>`)
  ].join("\n")
