// The README's library example, as written there: updates user 42's name with the live layer, handling
// Unauthorized and Validation. Run it with CHATWOOT_URL and CHATWOOT_PLATFORM_TOKEN set.
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import { UserId } from "@chatwoot-effect/core/User"
import * as PlatformUsersHttp from "@chatwoot-effect/http/PlatformUsersHttp"
import { NodeRuntime } from "@effect/platform-node"
import { Config, Console, Effect } from "effect"

const program = Effect.gen(function*() {
  const users = yield* PlatformUsers
  const user = yield* users.update(UserId.make(42), { name: "Dan" })
  yield* Console.log(`renamed ${user.id} to ${user.name}`)
}).pipe(
  Effect.catchTags({
    Unauthorized: (error) => Console.error(`not allowed (${error.reason}): ${error.message}`),
    Validation: (error) => Console.error(`invalid ${error.attributes.join(", ")}: ${error.message}`)
  })
)

const PlatformUsersLive = PlatformUsersHttp.layerConfig({
  baseUrl: Config.string("CHATWOOT_URL"),
  apiAccessToken: Config.redacted("CHATWOOT_PLATFORM_TOKEN")
})

program.pipe(Effect.provide(PlatformUsersLive), NodeRuntime.runMain)
