// The Effect 4 edition as an Effect 4 app uses it, the twin of ours-effect.ts: the live layer on the lean client
// provided once, the same loops (effectLoops.ts, bundled against effect 4 by bench/editions.mjs).
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
const users = await runtime.runPromise(Effect.service(PlatformUsers))

const one = (i: number) => Effect.map(users.update(UserId.make(userId(i)), payload), (user) => checkUser(user, i))

await runInEffect(runtime, one)
