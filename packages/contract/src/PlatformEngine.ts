/**
 * The accounts, account users and agent bots endpoints (PLATFORM.md), next to the users ones of Engine.ts: one
 * entry point for the resource operations, over the same State.
 *
 * @since 0.1.0
 */
import type { AccountOptions } from "./AccountsEngine.js"
import { runAccounts } from "./AccountsEngine.js"
import { runAgentBots } from "./AgentBotsEngine.js"
import type { AppRow, Entropy, Outcome, State } from "./Engine.js"
import type { ResourceOperation } from "./Operations.js"
import type { Params } from "./RailsParams.js"

/**
 * @since 0.1.0
 */
export type ResourceOptions = AccountOptions

/**
 * A resource request as the controller sees it: raw path segments (`id` for accounts and bots, `account_id` for
 * account users) and the raw params (top-level body keys merged with the query string).
 *
 * @since 0.1.0
 */
export interface ResourceRequest {
  readonly operation: ResourceOperation
  readonly path: { readonly id?: string | undefined; readonly account_id?: string | undefined }
  readonly params: Params
}

/**
 * Runs one resource action for an authenticated platform app: for member routes the record lookup (404), then
 * the permission on it (401); account users check the account, never the user.
 *
 * @since 0.1.0
 */
export const runResource = (
  state: State,
  app: AppRow,
  request: ResourceRequest,
  entropy: Entropy,
  options: ResourceOptions
): [Outcome, State | undefined] => {
  const operation = request.operation
  switch (operation) {
    case "accounts.list":
    case "accounts.create":
    case "accounts.get":
    case "accounts.update":
    case "accounts.delete":
    case "accountUsers.list":
    case "accountUsers.add":
    case "accountUsers.remove": {
      // The account users routes name their account `:account_id`.
      const accountId = operation.startsWith("accountUsers.") ? request.path.account_id : request.path.id
      return runAccounts(state, app, { operation, accountId, params: request.params }, entropy, options)
    }
    case "agentBots.list":
    case "agentBots.create":
    case "agentBots.get":
    case "agentBots.update":
    case "agentBots.delete":
    case "agentBots.deleteAvatar":
      return runAgentBots(state, app, { operation, botId: request.path.id, params: request.params }, entropy)
  }
}
