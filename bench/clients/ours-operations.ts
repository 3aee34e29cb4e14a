// This SDK for every operation of the accounts, account users and agent bots services, and the users update: the
// live layer on this package's lean client (`PlatformHttp.layer`) provided once, the loops in Effect,
// `Effect.forEach` with the same number of requests in flight, as ours-effect does for the users update. The requests
// are operations.mjs's, so raw undici sends the same ones.
import { AccountId } from "@chatwoot-effect/core/Account"
import type { CreateAccountPayload, UpdateAccountPayload } from "@chatwoot-effect/core/AccountPayload"
import { AgentBotId } from "@chatwoot-effect/core/AgentBot"
import type { CreateAgentBotPayload, UpdateAgentBotPayload } from "@chatwoot-effect/core/AgentBotPayload"
import { PlatformAccounts } from "@chatwoot-effect/core/PlatformAccounts"
import { PlatformAccountUsers } from "@chatwoot-effect/core/PlatformAccountUsers"
import { PlatformAgentBots } from "@chatwoot-effect/core/PlatformAgentBots"
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import { UserId } from "@chatwoot-effect/core/User"
import * as PlatformHttp from "@chatwoot-effect/http/PlatformHttp"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import {
  accountCreate,
  accountUpdate,
  agentBotCreate,
  agentBotUpdate,
  config,
  recordId,
  runOperations
  // @ts-expect-error: plain JavaScript
} from "./operations.mjs"
// @ts-expect-error: plain JavaScript
import { payload, userId } from "./harness.mjs"

interface Operation {
  readonly name: string
  readonly check: (value: unknown, i: number) => void
}

const runtime = ManagedRuntime.make(
  PlatformHttp.layer({ baseUrl: config.url, apiAccessToken: Redacted.make(config.token) })
)
const { accountUsers, accounts, agentBots, users } = await runtime.runPromise(Effect.all({
  users: PlatformUsers,
  accounts: PlatformAccounts,
  accountUsers: PlatformAccountUsers,
  agentBots: PlatformAgentBots
}))

const account = (i: number) => AccountId.make(recordId(i))
const bot = (i: number) => AgentBotId.make(recordId(i))

// One call of each operation, by the name operations.mjs gives it.
const calls: Record<string, (i: number) => Effect.Effect<unknown, unknown>> = {
  "users.update": (i) => users.update(UserId.make(userId(i)), payload),
  "accounts.list": () => accounts.list(),
  "accounts.create": () => accounts.create(accountCreate as CreateAccountPayload),
  "accounts.get": (i) => accounts.get(account(i)),
  "accounts.update": (i) => accounts.update(account(i), accountUpdate as UpdateAccountPayload),
  "accounts.delete": (i) => accounts.delete(account(i)),
  "accountUsers.list": (i) => accountUsers.list(account(i)),
  "accountUsers.add": (i) => accountUsers.add(account(i), { user_id: UserId.make(recordId(i)), role: "agent" }),
  "accountUsers.remove": (i) => accountUsers.remove(account(i), UserId.make(recordId(i))),
  "agentBots.list": () => agentBots.list(),
  "agentBots.create": () => agentBots.create(agentBotCreate as CreateAgentBotPayload),
  "agentBots.get": (i) => agentBots.get(bot(i)),
  "agentBots.update": (i) => agentBots.update(bot(i), agentBotUpdate as UpdateAgentBotPayload),
  "agentBots.delete": (i) => agentBots.delete(bot(i)),
  "agentBots.deleteAvatar": (i) => agentBots.deleteAvatar(bot(i))
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

await runOperations({
  concurrent: (operation: Operation, n: number, inflight: number) => {
    const call = calls[operation.name]
    if (call === undefined) return Promise.reject(new Error(`no SDK call for ${operation.name}`))
    return runtime.runPromise(
      Effect.forEach(range(n), (i) => Effect.map(call(i), (value) => operation.check(value, i)), {
        concurrency: inflight,
        discard: true
      })
    )
  },
  close: () => runtime.dispose()
})
