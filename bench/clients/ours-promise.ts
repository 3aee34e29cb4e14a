// This SDK as a non-Effect caller uses it: the live layer on undici built once into a ManagedRuntime, one
// `runPromise` per call.
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import { UserId } from "@chatwoot-effect/core/User"
import * as PlatformUsersHttp from "@chatwoot-effect/http/PlatformUsersHttp"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
// @ts-expect-error: plain JavaScript
import { checkUser, config, payload, run, userId } from "./harness.mjs"

const runtime = ManagedRuntime.make(
  PlatformUsersHttp.layer({ baseUrl: config.url, apiAccessToken: Redacted.make(config.token) })
)
const users = await runtime.runPromise(PlatformUsers)

await run({
  one: async (i: number) => {
    const user = await runtime.runPromise(users.update(UserId.make(userId(i)), payload))
    checkUser(user, i)
  },
  close: () => runtime.dispose()
})
