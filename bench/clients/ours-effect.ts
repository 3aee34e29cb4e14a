// This SDK as an Effect app (and the bulk command) uses it: the live layer on undici provided once, the loops in
// Effect, `Effect.forEach` with the same number of requests in flight.
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import { UserId } from "@chatwoot-effect/core/User"
import * as PlatformUsersHttp from "@chatwoot-effect/http/PlatformUsersHttp"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { runInEffect } from "./effectLoops.js"
// @ts-expect-error: plain JavaScript
import { checkUser, config, payload, userId } from "./harness.mjs"

const runtime = ManagedRuntime.make(
  PlatformUsersHttp.layer({ baseUrl: config.url, apiAccessToken: Redacted.make(config.token) })
)
const users = await runtime.runPromise(PlatformUsers)

const one = (i: number) => Effect.map(users.update(UserId.make(userId(i)), payload), (user) => checkUser(user, i))

await runInEffect(runtime, one)
