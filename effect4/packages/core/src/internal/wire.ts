// TODO(contract): move (contract Wire.ts). The plain bits of the wire contract that the contract does not hold yet,
// the same as the Effect 3 edition's PlatformWire.ts: the service names spans use, JSON read without throwing, a body
// excerpt for error details, the span attribute of a route's record.
import type { ResourceKind } from "@chatwoot-effect/contract/Operations"

/**
 * The services the routes belong to, as their spans are named (`PlatformAccounts.create`...).
 */
export type ServiceName = "PlatformUsers" | "PlatformAccounts" | "PlatformAccountUsers" | "PlatformAgentBots"

export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export const excerpt = (body: string) => {
  const flat = body.replace(/\s+/g, " ").trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat
}

/**
 * The span attribute naming a route's record: `chatwoot.user_id`, `chatwoot.account_id`, `chatwoot.agent_bot_id`.
 */
export const subjectAttribute = (resource: ResourceKind): string => `chatwoot.${resource}_id`
