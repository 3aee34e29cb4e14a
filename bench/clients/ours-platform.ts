// This SDK over a given HttpClient, the advanced case: the live layer on `NodeHttpClient.layerUndici` (the platform's
// client with its defaults), the loops in Effect like ours-effect. Compared with effect-bare, the same HttpClient on
// its own, it shows what the SDK adds per call over any HttpClient.
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import { UserId } from "@chatwoot-effect/core/User"
import * as PlatformUsersHttp from "@chatwoot-effect/http/PlatformUsersHttp"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { runInEffect } from "./effectLoops.js"
// @ts-expect-error: plain JavaScript
import { checkUser, config, payload, userId } from "./harness.mjs"

const runtime = ManagedRuntime.make(
  PlatformUsersHttp.layerWithHttpClient({ baseUrl: config.url, apiAccessToken: Redacted.make(config.token) }).pipe(
    Layer.provide(NodeHttpClient.layerUndici)
  )
)
const users = await runtime.runPromise(PlatformUsers)

const one = (i: number) => Effect.map(users.update(UserId.make(userId(i)), payload), (user) => checkUser(user, i))

await runInEffect(runtime, one)
