// PlatformServices over a recording Caller: every method of the four Context.Service tags calls its own route of
// PlatformWire's table, with the path parameters and payload it was given, and answers what the caller answers.
import { AccountId } from "@chatwoot-effect/core/Account"
import { AgentBotId } from "@chatwoot-effect/core/AgentBot"
import { PlatformAccounts } from "@chatwoot-effect/core/PlatformAccounts"
import { PlatformAccountUsers } from "@chatwoot-effect/core/PlatformAccountUsers"
import { PlatformAgentBots } from "@chatwoot-effect/core/PlatformAgentBots"
import * as PlatformServices from "@chatwoot-effect/core/PlatformServices"
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import * as PlatformWire from "@chatwoot-effect/core/PlatformWire"
import { UserId } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

describe("PlatformServices (Effect 4)", () => {
  it.effect("each service method calls its route with its parameters and payload", () =>
    Effect.gen(function*() {
      const calls: Array<[string, string, unknown]> = []
      const caller: PlatformServices.Caller = (route, params, payload) => {
        calls.push([route.operation, PlatformWire.pathOf(route, params), payload])
        return Effect.succeed(route.operation as never)
      }
      const program = Effect.gen(function*() {
        const users = yield* PlatformUsers
        const accounts = yield* PlatformAccounts
        const accountUsers = yield* PlatformAccountUsers
        const bots = yield* PlatformAgentBots
        const user = UserId.make(5)
        const account = AccountId.make(7)
        const bot = AgentBotId.make(3)
        return [
          yield* users.create({ name: "N", email: "n@example.com", password: Redacted.make("Secret-123") }),
          yield* users.get(user),
          yield* users.update(user, { name: "M" }),
          yield* users.delete(user),
          yield* users.loginUrl(user),
          yield* users.token(user),
          yield* accounts.list(),
          yield* accounts.create({ name: "A" }),
          yield* accounts.get(account),
          yield* accounts.update(account, { name: "B" }),
          yield* accounts.delete(account),
          yield* accountUsers.list(account),
          yield* accountUsers.add(account, { user_id: user }),
          yield* accountUsers.remove(account, user),
          yield* bots.list(),
          yield* bots.create({ name: "bot" }),
          yield* bots.get(bot),
          yield* bots.update(bot, { name: null }),
          yield* bots.delete(bot),
          yield* bots.deleteAvatar(bot)
        ]
      })
      const answers = yield* program.pipe(Effect.provideContext(PlatformServices.context(caller)))
      assert.deepStrictEqual(answers as ReadonlyArray<unknown>, calls.map(([operation]) => operation))
      assert.deepStrictEqual(calls.map(([operation, path]) => `${operation} ${path}`), [
        "create /users",
        "get /users/5",
        "update /users/5",
        "delete /users/5",
        "loginUrl /users/5/login",
        "token /users/5/token",
        "accounts.list /accounts",
        "accounts.create /accounts",
        "accounts.get /accounts/7",
        "accounts.update /accounts/7",
        "accounts.delete /accounts/7",
        "accountUsers.list /accounts/7/account_users",
        "accountUsers.add /accounts/7/account_users",
        "accountUsers.remove /accounts/7/account_users",
        "agentBots.list /agent_bots",
        "agentBots.create /agent_bots",
        "agentBots.get /agent_bots/3",
        "agentBots.update /agent_bots/3",
        "agentBots.delete /agent_bots/3",
        "agentBots.deleteAvatar /agent_bots/3/avatar"
      ])
      assert.deepStrictEqual(calls[13]![2], { user_id: 5 })
      assert.deepStrictEqual(calls[17]![2], { name: null })
    }))
})
