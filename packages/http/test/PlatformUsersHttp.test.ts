import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import { UserId } from "@chatwoot-effect/core/User"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"
import {
  jsonReply,
  makeFake,
  realUserBody,
  serviceOver,
  specUserBody,
  textReply,
  TOKEN
} from "./utils/FakeTransport.js"

const id = UserId.make(42)
const password = Redacted.make("N3w-Passw0rd!")

describe("PlatformUsersHttp operations", () => {
  it.scoped("get: GET /platform/api/v1/users/42 and decodes the real response shape", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, realUserBody)])
      const users = yield* serviceOver(fake)
      const user = yield* users.get(id)
      assert.strictEqual(user.id, 42)
      assert.strictEqual(user.email, "dan@acme.inc")
      assert.strictEqual(user.access_token, "UsErAcc3ssT0kenAbCdEfGhJ")
      assert.isNull(user.account_id)
      assert.isNull(user.role)
      assert.isNull(user.display_name)
      assert.isNull(user.message_signature)
      assert.isFalse("custom_attributes" in user)
      assert.deepStrictEqual(user.accounts, [])
      assert.strictEqual(user.avatar_url, "")
      const [request] = yield* fake.requests
      assert.strictEqual(request!.method, "GET")
      assert.strictEqual(request!.url, "https://chatwoot.example.org/platform/api/v1/users/42")
      assert.isUndefined(request!.body)
    }))

  it.scoped("get: decodes a spec-shaped response (extra fields, richer account items)", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, specUserBody)])
      const users = yield* serviceOver(fake)
      const user = yield* users.get(id)
      assert.strictEqual(user.account_id, 7)
      assert.strictEqual(user.role, "administrator")
      assert.deepStrictEqual(user.custom_attributes, { plan: "pro", seats: 3, tags: ["a", "b"] })
      assert.strictEqual(user.accounts.length, 1)
      assert.strictEqual(user.accounts[0]!.name, "Acme")
      assert.strictEqual(user.accounts[0]!.active_at, "2025-06-01T10:00:00.000Z")
      assert.isFalse("hmac_identifier" in user)
      assert.isFalse("status" in user.accounts[0]!)
    }))

  it.scoped("create: POST /users with the encoded body (email normalised, password unwrapped)", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, realUserBody)])
      const users = yield* serviceOver(fake)
      const user = yield* users.create({ name: "Dan", email: "  Dan@ACME.inc ", password })
      assert.strictEqual(user.id, 42)
      const [request] = yield* fake.requests
      assert.strictEqual(request!.method, "POST")
      assert.strictEqual(request!.url, "https://chatwoot.example.org/platform/api/v1/users")
      assert.strictEqual(request!.body, "{\"name\":\"Dan\",\"email\":\"dan@acme.inc\",\"password\":\"N3w-Passw0rd!\"}")
      assert.strictEqual(request!.headers["content-type"], "application/json")
    }))

  it.scoped("create: custom_attributes and display_name are sent as given", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, specUserBody)])
      const users = yield* serviceOver(fake)
      yield* users.create({
        name: "Dan",
        display_name: null,
        email: "dan@acme.inc",
        password,
        custom_attributes: { plan: "pro", nested: { a: [1, null] } }
      })
      const [request] = yield* fake.requests
      assert.deepStrictEqual(JSON.parse(request!.body!), {
        name: "Dan",
        display_name: null,
        email: "dan@acme.inc",
        password: "N3w-Passw0rd!",
        custom_attributes: { plan: "pro", nested: { a: [1, null] } }
      })
    }))

  it.scoped("update: PATCH /users/42 with exactly the fields given", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, realUserBody)])
      const users = yield* serviceOver(fake)
      const user = yield* users.update(id, { name: "Dan", email: "Dan@Acme.Inc" })
      assert.strictEqual(user.name, "Dan")
      const [request] = yield* fake.requests
      assert.strictEqual(request!.method, "PATCH")
      assert.strictEqual(request!.url, "https://chatwoot.example.org/platform/api/v1/users/42")
      assert.strictEqual(request!.body, "{\"name\":\"Dan\",\"email\":\"dan@acme.inc\"}")
    }))

  it.scoped("update: an empty payload sends {}", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, realUserBody)])
      const users = yield* serviceOver(fake)
      yield* users.update(id, {})
      const [request] = yield* fake.requests
      assert.strictEqual(request!.body, "{}")
    }))

  it.scoped("update: fields outside the payload schema are not sent", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, realUserBody)])
      const users = yield* serviceOver(fake)
      // A variable (not a literal) escapes the excess-property check, as untyped callers do.
      const payload = { name: "Dan", role: "administrator" }
      yield* users.update(id, payload)
      const [request] = yield* fake.requests
      assert.strictEqual(request!.body, "{\"name\":\"Dan\"}")
    }))

  it.scoped("delete: DELETE /users/42, 200 with an empty body", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([{ status: 200, body: "", headers: { "content-type": "application/json" } }])
      const users = yield* serviceOver(fake)
      const result = yield* users.delete(id)
      assert.isUndefined(result)
      const [request] = yield* fake.requests
      assert.strictEqual(request!.method, "DELETE")
      assert.strictEqual(request!.url, "https://chatwoot.example.org/platform/api/v1/users/42")
      assert.isUndefined(request!.body)
    }))

  it.scoped("delete: a 200 with a body (e.g. an HTML page at a wrong base URL) is not a success", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([textReply(200, "<!doctype html><html></html>", "text/html")])
      const users = yield* serviceOver(fake)
      const error = yield* Effect.flip(users.delete(id))
      assert.strictEqual(error._tag, "UnexpectedResponse")
      assert.strictEqual((error as PlatformUsersError.UnexpectedResponse).reason, "Decode")
    }))

  it.scoped("loginUrl: GET /users/42/login gives the SSO link", () =>
    Effect.gen(function*() {
      const url = "https://app.example.org/app/login?email=dan%40acme.inc&sso_auth_token=" + "ab".repeat(32)
      const fake = yield* makeFake([jsonReply(200, { url })])
      const users = yield* serviceOver(fake)
      const link = yield* users.loginUrl(id)
      assert.strictEqual(link.url, url)
      const [request] = yield* fake.requests
      assert.strictEqual(request!.method, "GET")
      assert.strictEqual(request!.url, "https://chatwoot.example.org/platform/api/v1/users/42/login")
    }))

  it.scoped("token: POST /users/42/token with no body; the user's token comes back redacted", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, {
        access_token: "UsErAcc3ssT0kenAbCdEfGhJ",
        expiry: null,
        user: { id: 42, name: "Dan", display_name: null, email: "dan@acme.inc", pubsub_token: "PuBsUb" }
      })])
      const users = yield* serviceOver(fake)
      const token = yield* users.token(id)
      assert.isTrue(Redacted.isRedacted(token.access_token))
      assert.strictEqual(Redacted.value(token.access_token), "UsErAcc3ssT0kenAbCdEfGhJ")
      assert.isFalse(String(token.access_token).includes("UsErAcc3ss"))
      assert.strictEqual(token.user.id, 42)
      const [request] = yield* fake.requests
      assert.strictEqual(request!.method, "POST")
      assert.strictEqual(request!.url, "https://chatwoot.example.org/platform/api/v1/users/42/token")
      assert.isUndefined(request!.body)
    }))
})

describe("PlatformUsersHttp request composition", () => {
  it.scoped("headers: api-access-token (and not the underscore form), accept JSON, no trace propagation", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, realUserBody)])
      const users = yield* serviceOver(fake)
      yield* users.update(id, { name: "Dan" })
      const [request] = yield* fake.requests
      assert.strictEqual(request!.headers["api-access-token"], TOKEN)
      assert.isUndefined(request!.headers["api_access_token"])
      assert.strictEqual(request!.headers["accept"], "application/json")
      assert.isUndefined(request!.headers["traceparent"])
      assert.isUndefined(request!.headers["b3"])
      assert.isUndefined(request!.headers["authorization"])
    }))

  it.scoped("tokenHeader: api_access_token sends that spelling only, on every operation", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, realUserBody), jsonReply(200, realUserBody), textReply(200, "")])
      const users = yield* serviceOver(fake, { tokenHeader: "api_access_token" })
      yield* users.get(id)
      yield* users.update(id, { name: "Dan" })
      yield* users.delete(id)
      const requests = yield* fake.requests
      assert.strictEqual(requests.length, 3)
      for (const request of requests) {
        assert.strictEqual(request.headers["api_access_token"], TOKEN)
        assert.isUndefined(request.headers["api-access-token"])
      }
    }))

  for (
    const [baseUrl, expected] of [
      ["https://example.org/chatwoot", "https://example.org/chatwoot/platform/api/v1/users/42"],
      ["https://example.org/chatwoot/", "https://example.org/chatwoot/platform/api/v1/users/42"],
      ["https://example.org/chatwoot///", "https://example.org/chatwoot/platform/api/v1/users/42"],
      [" https://app.chatwoot.com/ ", "https://app.chatwoot.com/platform/api/v1/users/42"],
      ["http://127.0.0.1:3000", "http://127.0.0.1:3000/platform/api/v1/users/42"]
    ] as const
  ) {
    it.scoped(`base URL ${JSON.stringify(baseUrl)} gives ${expected}`, () =>
      Effect.gen(function*() {
        const fake = yield* makeFake([jsonReply(200, realUserBody)])
        const users = yield* serviceOver(fake, { baseUrl })
        yield* users.get(id)
        const [request] = yield* fake.requests
        assert.strictEqual(request!.url, expected)
      }))
  }

  it("normalizeBaseUrl strips whitespace and trailing slashes only", () => {
    assert.strictEqual(PlatformUsersHttp.normalizeBaseUrl("https://x.org/a/b//"), "https://x.org/a/b")
    assert.strictEqual(PlatformUsersHttp.normalizeBaseUrl("https://x.org"), "https://x.org")
  })

  it.scoped("an invalid base URL fails with TransportError InvalidUrl and sends nothing", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, realUserBody)])
      const users = yield* serviceOver(fake, { baseUrl: "not a url", retry: {} })
      const error = yield* Effect.flip(users.get(id))
      assert.strictEqual(error._tag, "TransportError")
      assert.strictEqual((error as PlatformUsersError.TransportError).reason, "InvalidUrl")
      assert.strictEqual(yield* fake.count, 0)
    }))

  it.scoped("transformClient is applied to the client", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, realUserBody)])
      const users = yield* serviceOver(fake)
      yield* users.get(id)
      const tagged = yield* serviceOver(fake, {
        transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("x-trace-me", "yes"))
      })
      yield* tagged.get(id)
      const requests = yield* fake.requests
      assert.strictEqual(requests.length, 2)
      assert.isUndefined(requests[0]!.headers["x-trace-me"])
      assert.strictEqual(requests[1]!.headers["x-trace-me"], "yes")
    }))
})

describe("PlatformUsersHttp decoding failures", () => {
  it.scoped("a 200 that is not JSON is UnexpectedResponse Decode", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([textReply(200, "<html>login</html>", "text/html")])
      const users = yield* serviceOver(fake)
      const error = yield* Effect.flip(users.get(id))
      assert.strictEqual(error._tag, "UnexpectedResponse")
      const unexpected = error as PlatformUsersError.UnexpectedResponse
      assert.strictEqual(unexpected.reason, "Decode")
      assert.strictEqual(unexpected.status, 200)
      assert.isFalse(unexpected.detail.includes("login"))
    }))

  it.scoped("a 200 of the wrong shape names the paths but not the values (the user's token stays out)", () =>
    Effect.gen(function*() {
      const body = JSON.parse(realUserBody)
      const fake = yield* makeFake([jsonReply(200, { ...body, id: "UsErAcc3ssT0kenAbCdEfGhJ", name: 12345 })])
      const users = yield* serviceOver(fake)
      const error = yield* Effect.flip(users.get(id))
      assert.strictEqual(error._tag, "UnexpectedResponse")
      const unexpected = error as PlatformUsersError.UnexpectedResponse
      assert.strictEqual(unexpected.reason, "Decode")
      assert.include(unexpected.detail, "id")
      assert.include(unexpected.detail, "name")
      for (const text of [unexpected.detail, String(error), JSON.stringify(error)]) {
        assert.notInclude(text, "UsErAcc3ssT0kenAbCdEfGhJ")
        assert.notInclude(text, "12345")
      }
    }))
})

describe("PlatformUsersHttp layers", () => {
  it.effect("layer provides PlatformUsers", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, realUserBody)])
      const user = yield* PlatformUsers.PlatformUsers.pipe(
        Effect.flatMap((users) => users.get(id)),
        Effect.provide(
          PlatformUsersHttp.layerWithHttpClient({
            baseUrl: "https://cw.example.org/",
            apiAccessToken: Redacted.make(TOKEN)
          }).pipe(
            Layer.provide(Layer.succeed(HttpClient.HttpClient, fake.client))
          )
        )
      )
      assert.strictEqual(user.id, 42)
      const [request] = yield* fake.requests
      assert.strictEqual(request!.url, "https://cw.example.org/platform/api/v1/users/42")
    }))

  it.effect("layerConfig reads CHATWOOT_URL, CHATWOOT_PLATFORM_TOKEN, CHATWOOT_RETRIES, CHATWOOT_TIMEOUT", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, realUserBody), textReply(503, "<html>busy</html>", "text/html")])
      const provider = ConfigProvider.fromMap(
        new Map([
          ["CHATWOOT_URL", "https://example.org/chatwoot/"],
          ["CHATWOOT_PLATFORM_TOKEN", TOKEN],
          ["CHATWOOT_RETRIES", "0"],
          ["CHATWOOT_TIMEOUT", "5 seconds"]
        ])
      )
      const live = PlatformUsersHttp.layerConfigWithHttpClient().pipe(
        Layer.provide(Layer.succeed(HttpClient.HttpClient, fake.client)),
        Layer.provide(Layer.setConfigProvider(provider))
      )
      const [user, error] = yield* PlatformUsers.PlatformUsers.pipe(
        Effect.flatMap((users) => Effect.all([users.get(id), Effect.flip(users.get(id))])),
        Effect.provide(live)
      )
      assert.strictEqual(user.id, 42)
      // CHATWOOT_RETRIES=0: the 503 is not retried.
      assert.strictEqual(error._tag, "ServerError")
      const requests = yield* fake.requests
      assert.strictEqual(requests.length, 2)
      assert.strictEqual(requests[0]!.url, "https://example.org/chatwoot/platform/api/v1/users/42")
      assert.strictEqual(requests[0]!.headers["api-access-token"], TOKEN)
    }))

  it.effect("layerConfig reads CHATWOOT_TOKEN_HEADER: either spelling, in any case, around spaces", () =>
    Effect.gen(function*() {
      const sent = (value: string) =>
        Effect.gen(function*() {
          const fake = yield* makeFake([jsonReply(200, realUserBody)])
          const provider = ConfigProvider.fromMap(
            new Map([["CHATWOOT_URL", "https://x.org"], ["CHATWOOT_PLATFORM_TOKEN", TOKEN], [
              "CHATWOOT_TOKEN_HEADER",
              value
            ]])
          )
          yield* PlatformUsers.PlatformUsers.pipe(
            Effect.flatMap((users) => users.get(id)),
            Effect.provide(
              PlatformUsersHttp.layerConfigWithHttpClient().pipe(
                Layer.provide(Layer.succeed(HttpClient.HttpClient, fake.client)),
                Layer.provide(Layer.setConfigProvider(provider))
              )
            )
          )
          const [request] = yield* fake.requests
          return Object.keys(request!.headers).filter((name) => name.includes("access"))
        })
      assert.deepStrictEqual(yield* sent("api_access_token"), ["api_access_token"])
      assert.deepStrictEqual(yield* sent(" API_Access_Token "), ["api_access_token"])
      assert.deepStrictEqual(yield* sent("Api-Access-Token"), ["api-access-token"])
    }))

  it.effect("layerConfig fails with a ConfigError on a missing CHATWOOT_URL or a bad CHATWOOT_RETRIES/TIMEOUT/TOKEN_HEADER", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake([jsonReply(200, realUserBody)])
      const run = (entries: ReadonlyArray<readonly [string, string]>) =>
        PlatformUsers.PlatformUsers.pipe(
          Effect.provide(
            PlatformUsersHttp.layerConfigWithHttpClient().pipe(
              Layer.provide(Layer.succeed(HttpClient.HttpClient, fake.client)),
              Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(entries))))
            )
          ),
          Effect.exit
        )
      const missingUrl = yield* run([["CHATWOOT_PLATFORM_TOKEN", TOKEN]])
      const badRetries = yield* run([["CHATWOOT_URL", "https://x.org"], ["CHATWOOT_PLATFORM_TOKEN", TOKEN], [
        "CHATWOOT_RETRIES",
        "many"
      ]])
      const badTimeout = yield* run([["CHATWOOT_URL", "https://x.org"], ["CHATWOOT_PLATFORM_TOKEN", TOKEN], [
        "CHATWOOT_TIMEOUT",
        "soon"
      ]])
      const badHeaders = yield* Effect.forEach(
        ["authorization", "api-access_token", "x-api-access-token", ""],
        (value) =>
          run([["CHATWOOT_URL", "https://x.org"], ["CHATWOOT_PLATFORM_TOKEN", TOKEN], ["CHATWOOT_TOKEN_HEADER", value]])
      )
      for (const exit of badHeaders) {
        assert.isTrue(Exit.isFailure(exit))
        assert.include(JSON.stringify(exit), "CHATWOOT_TOKEN_HEADER")
        assert.include(JSON.stringify(exit), "Expected api-access-token (the default) or api_access_token")
      }
      const fine = yield* run([["CHATWOOT_URL", "https://x.org"], ["CHATWOOT_PLATFORM_TOKEN", TOKEN], [
        "CHATWOOT_TIMEOUT",
        "off"
      ], ["CHATWOOT_RETRIES", "5"]])
      assert.isTrue(Exit.isFailure(missingUrl))
      assert.isTrue(Exit.isFailure(badRetries))
      assert.isTrue(Exit.isFailure(badTimeout))
      assert.isTrue(Exit.isSuccess(fine))
      for (const exit of [missingUrl, badRetries, badTimeout, ...badHeaders]) {
        assert.notInclude(JSON.stringify(exit), TOKEN)
      }
    }))
})
