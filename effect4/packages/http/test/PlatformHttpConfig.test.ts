/**
 * `PlatformHttp`'s configuration (`optionsConfig` and its readers) from a ConfigProvider, and the layers built from
 * it talking to a real loopback server; the token redacted when a program logs our requests.
 */
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import { UserId } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import type * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import * as PlatformHttp from "../src/PlatformHttp.js"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"
import { realUserBody, TOKEN } from "./utils/Fixtures.js"
import { serve } from "./utils/Servers.js"

const read = <A>(config: Config.Config<A>, env: Record<string, string>) =>
  config.parse(ConfigProvider.fromEnvRecord(env))

describe("PlatformHttp configuration", () => {
  it.effect("reads the URL, the token (redacted), retries, timeout and token header", () =>
    Effect.gen(function*() {
      const options = yield* read(PlatformHttp.optionsConfig(), {
        CHATWOOT_URL: "https://chatwoot.example.org/",
        CHATWOOT_PLATFORM_TOKEN: TOKEN,
        CHATWOOT_RETRIES: "5",
        CHATWOOT_TIMEOUT: "500 millis",
        CHATWOOT_TOKEN_HEADER: "API_ACCESS_TOKEN"
      })
      assert.strictEqual(options.baseUrl, "https://chatwoot.example.org/")
      assert.isTrue(Redacted.isRedacted(options.apiAccessToken))
      assert.strictEqual(Redacted.value(options.apiAccessToken), TOKEN)
      assert.notInclude(String(options.apiAccessToken), TOKEN)
      assert.deepStrictEqual(options.retry, { retries: 5 })
      assert.strictEqual(Duration.toMillis(options.timeout as Duration.Duration), 500)
      assert.strictEqual(options.tokenHeader, "api_access_token")
      const defaults = yield* read(PlatformHttp.optionsConfig(), { CHATWOOT_URL: "u", CHATWOOT_PLATFORM_TOKEN: "t" })
      assert.deepStrictEqual([defaults.retry, defaults.timeout, defaults.tokenHeader], [
        undefined,
        undefined,
        undefined
      ])
      const off = yield* read(PlatformHttp.optionsConfig(), {
        CHATWOOT_URL: "u",
        CHATWOOT_PLATFORM_TOKEN: "t",
        CHATWOOT_RETRIES: "off",
        CHATWOOT_TIMEOUT: "0"
      })
      assert.deepStrictEqual([off.retry, off.timeout], [false, false])
    }))

  it.effect("rejects what Chatwoot cannot mean: a bad count, duration or header name; a missing token", () =>
    Effect.gen(function*() {
      const base = { CHATWOOT_URL: "u", CHATWOOT_PLATFORM_TOKEN: "t" }
      for (
        const [env, name] of [
          [{ ...base, CHATWOOT_RETRIES: "many" }, "CHATWOOT_RETRIES"],
          [{ ...base, CHATWOOT_TIMEOUT: "soon" }, "CHATWOOT_TIMEOUT"],
          [{ ...base, CHATWOOT_TOKEN_HEADER: "authorization" }, "CHATWOOT_TOKEN_HEADER"],
          [{ CHATWOOT_URL: "u" }, "CHATWOOT_PLATFORM_TOKEN"]
        ] as const
      ) {
        const error = yield* Effect.flip(read(PlatformHttp.optionsConfig(), env))
        assert.strictEqual(error._tag, "ConfigError")
        assert.include(error.message, name)
      }
    }))

  it.live("layerConfig talks to the server configured; a program logging our requests never sees the token", () =>
    Effect.gen(function*() {
      const server = yield* serve((_, response) => {
        response.writeHead(200, { "content-type": "application/json" })
        response.end(realUserBody)
      })
      const logs: Array<string> = []
      const logger = Logger.make(({ message }) => logs.push(JSON.stringify(message)))
      const env = {
        CHATWOOT_URL: server.origin,
        CHATWOOT_PLATFORM_TOKEN: TOKEN,
        CHATWOOT_TOKEN_HEADER: "api_access_token"
      }
      const context = yield* Layer.build(
        PlatformUsersHttp.layerConfig({
          transformClient: HttpClient.tapRequest((request) => Effect.log(request))
        }).pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))))
      )
      const users = Context.get(context, PlatformUsers.PlatformUsers)
      const user = yield* users.get(UserId.make(42)).pipe(Effect.provide(Logger.layer([logger])))
      assert.strictEqual(user.id, 42)
      assert.strictEqual(server.seen[0]!.headers["api_access_token"], TOKEN)
      assert.isAbove(logs.length, 0)
      for (const line of logs) assert.notInclude(line, TOKEN)
      assert.include(logs.join("\n"), `"api_access_token":"<redacted>"`)
    }))
})
