/**
 * The shared behaviour cases of both editions, by resource (README.md).
 */
import { accounts } from "./accounts.js"
import { accountUsers } from "./accountUsers.js"
import { agentBots } from "./agentBots.js"
import type { Case } from "./Case.js"
import { users } from "./users.js"

export type * from "./Case.js"
export { mismatches } from "./match.js"
export type { MatchOptions } from "./match.js"

/** Every case, by resource. */
export const cases: { readonly [resource: string]: ReadonlyArray<Case> } = { users, accounts, accountUsers, agentBots }
