// The floor under this SDK: a bare `@effect/platform` HttpClient on undici (its defaults: a span per request, trace
// propagation headers), the JSON body parsed, no schema, no retries, no timeout; the loops in Effect like ours-effect.
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { runInEffect } from "./effectLoops.js"
// @ts-expect-error: plain JavaScript
import { checkUser, config, path, payload } from "./harness.mjs"

const runtime = ManagedRuntime.make(NodeHttpClient.layerUndici)
const client = await runtime.runPromise(HttpClient.HttpClient)

const one = (i: number) =>
  client.execute(
    HttpClientRequest.patch(config.url + path(i)).pipe(
      HttpClientRequest.acceptJson,
      HttpClientRequest.setHeader("api_access_token", config.token),
      HttpClientRequest.bodyUnsafeJson(payload)
    )
  ).pipe(
    Effect.flatMap((response) =>
      response.status === 200 ? response.json : Effect.dieMessage(`request ${i}: status ${response.status}`)
    ),
    Effect.map((user) => checkUser(user, i))
  )

await runInEffect(runtime, one)
