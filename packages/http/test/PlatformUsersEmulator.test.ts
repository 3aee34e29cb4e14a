// The emulator's exact bytes over a real loopback socket, read with plain `fetch`.
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import { Messages } from "@chatwoot-effect/core/UserRules"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as Tracer from "effect/Tracer"
import * as PlatformUsersEmulator from "../src/PlatformUsersEmulator.js"

const APP = "EmulatorAppToken00000001"
const OTHER = "EmulatorAppToken00000002"

const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "app", token: APP }, { name: "other", token: OTHER }],
  users: [
    {
      id: 1,
      name: "Dev",
      email: "dev+testing@chatwoot.com",
      password: "Password1!",
      custom_attributes: { test: "test" },
      apps: ["app"]
    },
    { id: 2, name: "Theirs", email: "theirs@example.com", password: "Password1!", apps: ["other"] }
  ]
}))

const serve = (options?: Partial<PlatformUsersEmulator.EmulatorOptions>) =>
  PlatformUsersEmulator.serve({ seed, ...options, port: 0 })

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly body: string
}

const send = (url: string, init?: RequestInit): Effect.Effect<Answer> =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, headers: response.headers, body: await response.text() }
  })

const users = (base: string, rest = "") => `${base}/platform/api/v1/users${rest}`
const auth = (token = APP) => ({ api_access_token: token })
const jsonBody = (body: unknown, token = APP) => ({
  headers: { ...auth(token), "content-type": "application/json", accept: "application/json" },
  body: JSON.stringify(body)
})

const railsJson = "application/json; charset=utf-8"

describe("PlatformUsersEmulator over HTTP", () => {
  it.scoped("serve listens on 127.0.0.1 and resolves port 0 to the real port", () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* serve()
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.notStrictEqual(url, "http://127.0.0.1:0")
      assert.deepStrictEqual(emulator.tokens, [APP, OTHER])
    }))

  it.scoped("serve fails with AddressInUse on a taken port", () =>
    Effect.gen(function*() {
      const { url } = yield* serve()
      const port = Number(new URL(url).port)
      const error = yield* Effect.flip(PlatformUsersEmulator.serve({ seed, port }))
      assert.strictEqual(error._tag, "EmulatorError")
      assert.strictEqual(error.reason, "AddressInUse")
      assert.include(error.message, `127.0.0.1:${port}`)
    }))

  it.scoped("with no token and no seed, one app with a generated 24-character token", () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* PlatformUsersEmulator.serve({ port: 0 })
      assert.strictEqual(emulator.tokens.length, 1)
      assert.match(emulator.tokens[0]!, /^[1-9A-HJ-NP-Za-km-z]{24}$/)
      const created = yield* send(users(url), {
        method: "POST",
        ...jsonBody({ name: "A", email: "a@example.com", password: "Password1!" }, emulator.tokens[0]!)
      })
      assert.strictEqual(created.status, 200)
    }))

  it.scoped("401 Invalid access_token: no header, an unknown token, a user's token", () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* serve()
      const userToken = Option.getOrThrow(yield* emulator.memory.user(1)).access_token
      for (const headers of [{}, auth("invalid"), auth(""), auth(" "), auth(userToken), auth(APP.toLowerCase())]) {
        const answer = yield* send(users(url, "/1"), { headers })
        assert.strictEqual(answer.status, 401)
        assert.strictEqual(answer.body, "{\"error\":\"Invalid access_token\"}")
        assert.strictEqual(answer.headers.get("content-type"), railsJson)
      }
    }))

  it.scoped("the token is read only from the header, in any spelling; never from the query or Authorization", () =>
    Effect.gen(function*() {
      const { url } = yield* serve()
      for (const name of ["api_access_token", "Api-Access-Token", "API_ACCESS_TOKEN", "api-access-token"]) {
        const answer = yield* send(users(url, "/1"), { headers: { [name]: APP } })
        assert.strictEqual(answer.status, 200, name)
      }
      const query = yield* send(users(url, `/1?api_access_token=${APP}`))
      assert.strictEqual(query.status, 401)
      const bearer = yield* send(users(url, "/1"), { headers: { authorization: `Bearer ${APP}` } })
      assert.strictEqual(bearer.status, 401)
      assert.strictEqual(bearer.body, "{\"error\":\"Invalid access_token\"}")
    }))

  it.scoped("the server's spans show either spelling of the token header as <redacted>", () =>
    Effect.gen(function*() {
      const spans: Array<Tracer.Span> = []
      const base = yield* Effect.tracer
      const tracer = Tracer.make({
        span: (...args) => {
          const span = base.span(...args)
          spans.push(span)
          return span
        },
        context: base.context
      })
      // The handlers inherit the serving fiber's tracer.
      const { url } = yield* serve().pipe(Effect.withTracer(tracer))
      for (const name of ["api-access-token", "api_access_token", "Api-Access-Token"]) {
        const answer = yield* send(users(url, "/1"), { headers: { [name]: APP } })
        assert.strictEqual(answer.status, 200, name)
      }
      const headers = spans.flatMap((span) =>
        Array.from(span.attributes).filter(([key]) => /^http\.request\.header\.api[-_]access[-_]token$/.test(key))
      )
      assert.deepStrictEqual(
        headers.map(([key, value]) => [key, String(value)]),
        [
          ["http.request.header.api-access-token", "<redacted>"],
          ["http.request.header.api_access_token", "<redacted>"],
          ["http.request.header.api-access-token", "<redacted>"]
        ]
      )
      for (const span of spans) {
        for (const [key, value] of span.attributes) assert.notInclude(`${key}=${String(value)}`, APP)
      }
    }))

  it.scoped("404 for a missing user comes before the permission check; 401 Non permissible after it", () =>
    Effect.gen(function*() {
      const { url } = yield* serve()
      const missing = yield* send(users(url, "/999"), { headers: auth() })
      assert.strictEqual(missing.status, 404)
      assert.strictEqual(missing.body, "{\"status\":404,\"error\":\"Not Found\"}")
      assert.strictEqual(missing.headers.get("content-type"), railsJson)
      const denied = yield* send(users(url, "/2"), { headers: auth() })
      assert.strictEqual(denied.status, 401)
      assert.strictEqual(denied.body, "{\"error\":\"Non permissible resource\"}")
    }))

  it.scoped("unknown routes and wrong methods are 404 with Rails' JSON body, token or not", () =>
    Effect.gen(function*() {
      const { url } = yield* serve()
      const cases: ReadonlyArray<[string, string]> = [
        ["GET", users(url)],
        ["POST", users(url, "/1")],
        ["DELETE", users(url, "/1/login")],
        ["GET", users(url, "/1/token")],
        ["GET", `${url}/platform/api/v1/agents`],
        ["GET", `${url}/`]
      ]
      for (const [method, target] of cases) {
        for (const headers of [{}, auth()]) {
          const answer = yield* send(target, { method, headers })
          assert.strictEqual(answer.status, 404, `${method} ${target}`)
          assert.strictEqual(answer.body, "{\"status\":404,\"error\":\"Not Found\"}")
        }
      }
    }))

  it.scoped("400 on malformed JSON after the token check; the body depends on Accept", () =>
    Effect.gen(function*() {
      const { url } = yield* serve()
      const bad = { method: "PATCH", body: "{\"name\":" }
      const json = yield* send(users(url, "/1"), {
        ...bad,
        headers: { ...auth(), "content-type": "application/json", accept: "application/json" }
      })
      assert.strictEqual(json.status, 400)
      assert.strictEqual(json.body, "{\"status\":400,\"error\":\"Bad Request\"}")
      assert.strictEqual(json.headers.get("content-type"), railsJson)
      for (const accept of [undefined, "*/*", "text/html, */*"]) {
        const plain = yield* send(users(url, "/1"), {
          ...bad,
          headers: { ...auth(), "content-type": "application/json", ...(accept === undefined ? {} : { accept }) }
        })
        assert.strictEqual(plain.status, 400)
        assert.strictEqual(plain.body, "")
        assert.strictEqual(plain.headers.get("content-type"), "text/html")
        assert.strictEqual(plain.headers.get("content-length"), "0")
      }
      // Before the 404 of a missing user too: set_resource reads params.
      const missing = yield* send(users(url, "/999"), {
        ...bad,
        headers: { ...auth(), "content-type": "application/json", accept: "application/json" }
      })
      assert.strictEqual(missing.status, 400)
      const create = yield* send(users(url), {
        method: "POST",
        body: "nope",
        headers: { ...auth(), "content-type": "application/json" }
      })
      assert.strictEqual(create.status, 400)
      // A bad token wins over a bad body.
      const unauthenticated = yield* send(users(url, "/1"), {
        ...bad,
        headers: { ...auth("invalid"), "content-type": "application/json" }
      })
      assert.strictEqual(unauthenticated.status, 401)
      // Without a JSON content type the body is not parsed at all.
      const text = yield* send(users(url, "/1"), { ...bad, headers: { ...auth(), "content-type": "text/plain" } })
      assert.strictEqual(text.status, 200)
    }))

  it.scoped("422 bodies carry Chatwoot's exact messages and attributes", () =>
    Effect.gen(function*() {
      const { url } = yield* serve()
      const patch = (body: unknown) => send(users(url, "/1"), { method: "PATCH", ...jsonBody(body) })
      const invalidEmail = yield* patch({ email: "foo" })
      assert.strictEqual(invalidEmail.status, 422)
      assert.strictEqual(invalidEmail.headers.get("content-type"), railsJson)
      assert.strictEqual(
        invalidEmail.body,
        "{\"message\":\"Email is invalid, Email is not an email, Email is invalid\",\"attributes\":[\"email\"]}"
      )
      const taken = yield* patch({ email: "theirs@example.com", password: "password" })
      assert.deepStrictEqual(JSON.parse(taken.body), {
        message: [
          Messages.emailTaken,
          Messages.emailTaken,
          Messages.passwordUppercase,
          Messages.passwordNumber,
          Messages.passwordSpecial
        ].join(", "),
        attributes: ["email", "password"]
      })
      // Rails escapes & < > in JSON.
      assert.include(taken.body, "\\u0026*()_+-=[]{}|\\\"/\\\\.,`\\u003c\\u003e:;?~')")
      const blank = yield* patch({ email: null })
      assert.deepStrictEqual(JSON.parse(blank.body), {
        message: `${Messages.emailBlank}, ${Messages.emailBlank}`,
        attributes: ["email"]
      })
      const whitespace = yield* send(users(url), {
        method: "POST",
        ...jsonBody({ name: "x", email: " theirs@example.com", password: "Password1!" })
      })
      assert.deepStrictEqual(JSON.parse(whitespace.body), {
        message: [Messages.emailTaken, Messages.emailTaken, Messages.emailTaken].join(", "),
        attributes: ["email"]
      })
    }))

  it.scoped("500 on a null name, with Rails' production body", () =>
    Effect.gen(function*() {
      const { url } = yield* serve()
      const update = yield* send(users(url, "/1"), { method: "PATCH", ...jsonBody({ name: null }) })
      assert.strictEqual(update.status, 500)
      assert.strictEqual(update.body, "{\"status\":500,\"error\":\"Internal Server Error\"}")
      const create = yield* send(users(url), {
        method: "POST",
        ...jsonBody({ email: "new@example.com", password: "Password1!" })
      })
      assert.strictEqual(create.status, 500)
    }))

  it.scoped("a {\"user\": {...}} wrapper is ignored", () =>
    Effect.gen(function*() {
      const { url } = yield* serve()
      const create = yield* send(users(url, "/"), {
        method: "POST",
        ...jsonBody({ user: { name: "x", email: "x@example.com", password: "Password1!" } })
      })
      assert.strictEqual(create.status, 422)
      assert.deepStrictEqual(JSON.parse(create.body).attributes, ["email", "password"])
      const update = yield* send(users(url, "/1"), { method: "PATCH", ...jsonBody({ user: { name: "changed" } }) })
      assert.strictEqual(update.status, 200)
      assert.strictEqual(JSON.parse(update.body).name, "Dev")
    }))

  it.scoped("200s: Rails' content type and the user JSON in the server's key order", () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* serve()
      const stored = Option.getOrThrow(yield* emulator.memory.user(1))
      const answer = yield* send(users(url, "/1"), { headers: auth() })
      assert.strictEqual(answer.status, 200)
      assert.strictEqual(answer.headers.get("content-type"), railsJson)
      assert.strictEqual(
        answer.body,
        `{"access_token":"${stored.access_token}","account_id":null,"available_name":"Dev","avatar_url":"",` +
          `"confirmed":true,"display_name":null,"message_signature":null,"email":"dev+testing@chatwoot.com","id":1,` +
          `"name":"Dev","provider":"email","pubsub_token":"${stored.pubsub_token}",` +
          `"custom_attributes":{"test":"test"},"role":null,"ui_settings":{},"uid":"dev+testing@chatwoot.com",` +
          `"accounts":[]}`
      )
    }))

  it.scoped("PUT is PATCH, .json works, POST /users/ works, the query string is merged into params", () =>
    Effect.gen(function*() {
      const { url } = yield* serve()
      const put = yield* send(users(url, "/1"), { method: "PUT", ...jsonBody({ name: "via put" }) })
      assert.strictEqual(JSON.parse(put.body).name, "via put")
      const dotJson = yield* send(users(url, "/1.json"), { headers: auth() })
      assert.strictEqual(JSON.parse(dotJson.body).name, "via put")
      const token = yield* send(users(url, "/1/token.json"), { method: "POST", headers: auth() })
      assert.strictEqual(token.status, 200)
      const slash = yield* send(users(url, "/"), {
        method: "POST",
        ...jsonBody({ name: "Slash", email: "slash@example.com", password: "Password1!" })
      })
      assert.strictEqual(JSON.parse(slash.body).name, "Slash")
      const query = yield* send(users(url, "/1?display_name=From%20query"), { method: "PATCH", headers: auth() })
      assert.strictEqual(JSON.parse(query.body).display_name, "From query")
      const head = yield* send(users(url, "/1"), { method: "HEAD", headers: auth() })
      assert.strictEqual(head.status, 200)
      assert.strictEqual(head.body, "")
      const form = yield* send(users(url, "/1"), {
        method: "PATCH",
        headers: { ...auth(), "content-type": "application/x-www-form-urlencoded" },
        body: "name=From+form&custom_attributes[plan]=pro"
      })
      assert.strictEqual(JSON.parse(form.body).name, "From form")
      assert.deepStrictEqual(JSON.parse(form.body).custom_attributes, { plan: "pro", test: "test" })
    }))

  it.scoped("delete answers 200 with an empty body and a charset-less JSON content type", () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* serve()
      const answer = yield* send(users(url, "/1"), { method: "DELETE", headers: auth() })
      assert.strictEqual(answer.status, 200)
      assert.strictEqual(answer.body, "")
      assert.strictEqual(answer.headers.get("content-type"), "application/json")
      assert.strictEqual(answer.headers.get("content-length"), "0")
      assert.isTrue(Option.isNone(yield* emulator.memory.user(1)))
      const again = yield* send(users(url, "/1"), { headers: auth() })
      assert.strictEqual(again.status, 404)
    }))

  it.scoped("login and token bodies", () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* serve({ frontendUrl: "https://chat.example.com" })
      const login = yield* send(users(url, "/1/login"), { headers: auth() })
      // Rails' to_json writes the & of the URL as \u0026.
      assert.match(
        login.body,
        new RegExp(
          "^\\{\"url\":\"https://chat\\.example\\.com/app/login\\?email=dev%2Btesting%40chatwoot\\.com" +
            "\\\\u0026sso_auth_token=[0-9a-f]{64}\"\\}$"
        )
      )
      assert.match(JSON.parse(login.body).url, /&sso_auth_token=[0-9a-f]{64}$/)
      const stored = Option.getOrThrow(yield* emulator.memory.user(1))
      const token = yield* send(users(url, "/1/token"), { method: "POST", headers: auth() })
      assert.strictEqual(
        token.body,
        `{"access_token":"${stored.access_token}","expiry":null,"user":{"id":1,"name":"Dev","display_name":null,` +
          `"email":"dev+testing@chatwoot.com","pubsub_token":"${stored.pubsub_token}"}}`
      )
    }))

  it.scoped("rate limit: off by default; when set, 429 text/plain \"Retry later\\n\" without Retry-After", () =>
    Effect.gen(function*() {
      const open = yield* serve()
      for (let i = 0; i < 5; i++) {
        assert.strictEqual((yield* send(users(open.url, "/1"), { headers: auth() })).status, 200)
      }
      const { url } = yield* serve({ rateLimit: 2, rateLimitBy: "global" })
      assert.strictEqual((yield* send(users(url, "/1"), { headers: auth() })).status, 200)
      assert.strictEqual((yield* send(users(url, "/999"), { headers: auth() })).status, 404)
      const limited = yield* send(users(url, "/1"), { headers: auth() })
      assert.strictEqual(limited.status, 429)
      assert.strictEqual(limited.body, "Retry later\n")
      assert.strictEqual(limited.headers.get("content-type"), "text/plain")
      assert.isNull(limited.headers.get("retry-after"))
      // Throttled before routing and authentication.
      assert.strictEqual((yield* send(`${url}/nowhere`)).status, 429)
      // The next one-minute window starts afresh.
      yield* TestClock.adjust("60 seconds")
      assert.strictEqual((yield* send(users(url, "/1"), { headers: auth() })).status, 200)
    }))

  it.scoped("rate limit per IP counts each client address", () =>
    Effect.gen(function*() {
      const { url } = yield* serve({ rateLimit: 1 })
      assert.strictEqual((yield* send(users(url, "/1"), { headers: auth() })).status, 200)
      assert.strictEqual((yield* send(users(url, "/1"), { headers: auth() })).status, 429)
    }))

  it.scoped("concurrent updates over the socket never lose one", () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* serve()
      yield* Effect.forEach(
        Array.from({ length: 20 }, (_, i) => i),
        (i) => send(users(url, "/1"), { method: "PATCH", ...jsonBody({ custom_attributes: { [`k${i}`]: i } }) }),
        { concurrency: 10 }
      )
      const stored = Option.getOrThrow(yield* emulator.memory.user(1))
      assert.strictEqual(Object.keys(stored.custom_attributes).length, 21)
    }))
})
