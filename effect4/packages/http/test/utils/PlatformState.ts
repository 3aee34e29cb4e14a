// Everything an in-memory Platform server holds, as plain data: what a test compares before and after a call to show
// that nothing changed (tokens unwrapped, so a changed one shows). The Effect 4 twin of the Effect 3 harness's
// packages/http/test/utils/PlatformState.ts, which reads the emulator behind the socket (caseServer.mjs).
import type * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

export const stateOf = (memory: PlatformUsersMemory.Handle) =>
  Effect.gen(function*() {
    const accounts = yield* memory.accounts
    return {
      apps: (yield* memory.apps).map((app) => [app.name, Redacted.value(app.token)]),
      users: yield* memory.users,
      accounts,
      accountUsers: yield* Effect.forEach(accounts, (account) => memory.accountUsers(account.id)),
      agentBots: (yield* memory.agentBots).map((bot) => ({ ...bot, access_token: Redacted.value(bot.access_token) })),
      pending: yield* memory.pendingAccountDeletes
    }
  })
