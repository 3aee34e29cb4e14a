// The README's second library example: an agent provisioned into a new account with the whole Platform API.
import { AccountId } from "@chatwoot-effect/core/Account"
import { PlatformAccounts } from "@chatwoot-effect/core/PlatformAccounts"
import { PlatformAccountUsers } from "@chatwoot-effect/core/PlatformAccountUsers"
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import * as PlatformHttp from "@chatwoot-effect/http/PlatformHttp"
import { NodeRuntime } from "@effect/platform-node"
import { Config, Console, Effect, Redacted } from "effect"

const program = Effect.gen(function*() {
  const accounts = yield* PlatformAccounts
  const users = yield* PlatformUsers
  const accountUsers = yield* PlatformAccountUsers
  const account = yield* accounts.create({ name: "Acme Support", locale: "en", features: { help_center: false } })
  const user = yield* users.create({
    name: "Dana Agent",
    email: "dana@acme.example",
    password: Redacted.make(yield* Config.string("AGENT_PASSWORD"))
  })
  const member = yield* accountUsers.add(AccountId.make(account.id), { user_id: user.id, role: "administrator" })
  yield* Console.log(`user ${member.user_id} is ${member.role} of account ${member.account_id} (${account.name})`)
}).pipe(
  Effect.catchTags({
    Unauthorized: (error) => Console.error(`not allowed (${error.reason}): ${error.message}`),
    Validation: (error) => Console.error(`invalid ${error.attributes.join(", ")}: ${error.message}`),
    NotFound: (error) => Console.error(error.message)
  })
)

program.pipe(Effect.provide(PlatformHttp.layerConfig()), NodeRuntime.runMain)
