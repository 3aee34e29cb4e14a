// The README's Effect 4 library example, as written (effect4/README.md and the root README show this file's code;
// packages/http/test/ReadmeExample.test.ts runs it with the registry's Node against the emulator).
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
  baseUrl: Config.String("CHATWOOT_URL"),
  apiAccessToken: Config.Redacted("CHATWOOT_PLATFORM_TOKEN")
})

program.pipe(Effect.provide(PlatformUsersLive), NodeRuntime.runMain)
