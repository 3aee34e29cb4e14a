// For the bundle-size comparison of bench/editions.mjs only: cli-update.ts written on the Effect 4 edition
// (effect/cli, the SDK's layerConfig on the lean client, typed errors).
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import { UserId } from "@chatwoot-effect/core/User"
import * as PlatformUsersHttp from "@chatwoot-effect/http/PlatformUsersHttp"
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Config, Console, Effect } from "effect"
import { Argument, Command, Flag } from "effect/cli"

const update = Command.make(
  "update",
  { id: Argument.Int("id"), name: Flag.String("name") },
  ({ id, name }) =>
    Effect.gen(function*() {
      const users = yield* PlatformUsers
      const user = yield* users.update(UserId.make(id), { name })
      yield* Console.log(`id: ${user.id}\nname: ${user.name}`)
    }).pipe(
      Effect.catchTags({ Unauthorized: (error) => Console.error(error.message) }),
      Effect.provide(PlatformUsersHttp.layerConfig({
        baseUrl: Config.String("CHATWOOT_URL"),
        apiAccessToken: Config.Redacted("CHATWOOT_PLATFORM_TOKEN")
      }))
    )
)
const cli = Command.run(Command.make("chatwoot-platform").pipe(Command.withSubcommands([update])), {
  version: "0.0.0"
})
cli.pipe(Effect.provide(NodeServices.layer), NodeRuntime.runMain)
