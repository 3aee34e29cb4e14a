// TODO(contract): move (next to contract Operations.ts' resourceLabels). What an app may manage, and how it comes to
// manage it, per kind of record (PLATFORM.md §1): the hint of a NonPermissibleResource error's message, the same as
// the Effect 3 edition's PlatformUsersError.ts.
import type { ResourceKind } from "@chatwoot-effect/contract/Operations"

export const permissionHints: { readonly [K in ResourceKind]: string } = {
  user: "An app may only manage users it created or claimed: create the user with this app (create with the same " +
    "email claims it).",
  account: "An app may only manage accounts it created: no endpoint grants an existing account to an app (a " +
    "console PlatformAppPermissible.create! does).",
  agent_bot: "An app may only manage agent bots it created: no endpoint grants an existing bot to an app."
}
