// For the bundle-size comparison of bench/editions.mjs only: "update a user from the command line" on the Effect 3
// edition (the CLI's main job: @effect/cli, the SDK's layerConfig on the lean client, typed errors). Its twin on the
// Effect 4 edition is cli-update4.ts.
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import { UserId } from "@chatwoot-effect/core/User"
import * as PlatformUsersHttp from "@chatwoot-effect/http/PlatformUsersHttp"
import { Args, Command, Options } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Config, Console, Effect } from "effect"

const update = Command.make(
  "update",
  { id: Args.integer({ name: "id" }), name: Options.text("name") },
  ({ id, name }) =>
    Effect.gen(function*() {
      const users = yield* PlatformUsers
      const user = yield* users.update(UserId.make(id), { name })
      yield* Console.log(`id: ${user.id}\nname: ${user.name}`)
    }).pipe(
      Effect.catchTags({ Unauthorized: (error) => Console.error(error.message) }),
      Effect.provide(PlatformUsersHttp.layerConfig({
        baseUrl: Config.string("CHATWOOT_URL"),
        apiAccessToken: Config.redacted("CHATWOOT_PLATFORM_TOKEN")
      }))
    )
)
const cli = Command.run(Command.make("chatwoot-platform").pipe(Command.withSubcommands([update])), {
  name: "chatwoot-platform",
  version: "0.0.0"
})
cli(process.argv).pipe(Effect.provide(NodeContext.layer), NodeRuntime.runMain)
