/**
 * The status mapping of every users operation over a scripted in-process `HttpClient`: each status Chatwoot (or a
 * proxy) answers becomes exactly `PlatformWire.errorFromResponse`'s error for that route, after one request; secrets
 * never in an error, its message, its JSON or its inspection.
 */
import * as Wire from "@chatwoot-effect/contract/Wire"
import type * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import { PlatformUsers as PlatformUsersService } from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformWire from "@chatwoot-effect/core/PlatformWire"
import { UserId } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as NodeUtil from "node:util"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"
import { TOKEN } from "./utils/Fixtures.js"

const id = UserId.make(42)
const PASSWORD = "Secr3t-Passw0rd!"
const password = Redacted.make(PASSWORD)

interface Reply {
  readonly status: number
  readonly body: string
  readonly headers?: Record<string, string>
}

const jsonReply = (status: number, body: string): Reply => ({
  status,
  body,
  headers: { "content-type": "application/json; charset=utf-8" }
})
const textReply = (status: number, body: string, type = "text/plain"): Reply => ({
  status,
  body,
  headers: { "content-type": type }
})

type Call = (users: PlatformUsers.Service) => Effect.Effect<unknown, PlatformUsersError.PlatformUsersError>

const calls: ReadonlyArray<readonly [keyof typeof PlatformWire.userRoutes, Call]> = [
  ["create", (users) => users.create({ name: "Dan", email: "dan@acme.inc", password })],
  ["get", (users) => users.get(id)],
  ["update", (users) => users.update(id, { name: "Dan" })],
  ["delete", (users) => users.delete(id)],
  ["loginUrl", (users) => users.loginUrl(id)],
  ["token", (users) => users.token(id)]
]

const failWith = (reply: Reply, call: Call) =>
  Effect.gen(function*() {
    let count = 0
    const client = HttpClient.make((request) => {
      count++
      const init = reply.headers === undefined
        ? { status: reply.status }
        : { status: reply.status, headers: reply.headers }
      return Effect.succeed(HttpClientResponse.fromWeb(request, new Response(reply.body, init)))
    })
    const context = yield* Layer.build(
      PlatformUsersHttp.layerWithHttpClient({
        baseUrl: "http://chatwoot.test",
        apiAccessToken: Redacted.make(TOKEN),
        retry: false
      }).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, client)))
    )
    const error = yield* Effect.flip(call(Context.get(context, PlatformUsersService)))
    return { count, error }
  })

// Every status Chatwoot answers and some a proxy could add, on every operation.
const statusCases: ReadonlyArray<readonly [string, Reply]> = [
  ["401 Invalid access_token", jsonReply(401, Wire.errorBodies.invalidToken)],
  ["401 Non permissible resource", jsonReply(401, Wire.errorBodies.nonPermissible)],
  ["404 Rails body", jsonReply(404, Wire.errorBodies.notFound)],
  ["422 RecordInvalid", jsonReply(422, JSON.stringify({ message: "Email is not an email", attributes: ["email"] }))],
  ["400 JSON", jsonReply(400, Wire.errorBodies.badRequest)],
  ["400 empty", textReply(400, "", "text/html")],
  ["429 text/plain", textReply(429, "Retry later\n")],
  ["500 JSON", jsonReply(500, Wire.errorBodies.internalServerError)],
  ["502 HTML", textReply(502, "<html><body>Bad Gateway</body></html>", "text/html")],
  ["503 empty", textReply(503, "")],
  ["403 proxy", textReply(403, "Forbidden by policy")],
  ["418", textReply(418, "")],
  ["301", { status: 301, body: "", headers: { location: "https://elsewhere.example.org/" } }]
]

describe("PlatformUsersHttp status mapping", () => {
  for (const [label, reply] of statusCases) {
    it.effect(`${label} on every operation is errorFromResponse's error, after one request`, () =>
      Effect.gen(function*() {
        for (const [operation, call] of calls) {
          const { count, error } = yield* failWith(reply, call)
          assert.strictEqual(count, 1, operation)
          const expected = PlatformWire.errorFromResponse({
            route: PlatformWire.userRoutes[operation],
            id: operation === "create" ? undefined : id,
            status: reply.status,
            body: reply.body,
            now: 0
          })
          assert.strictEqual(error._tag, expected._tag, `${label} on ${operation}`)
          assert.deepStrictEqual(JSON.parse(JSON.stringify(error)), JSON.parse(JSON.stringify(expected)), operation)
          assert.strictEqual(error.message, expected.message, operation)
        }
      }))
  }

  it.effect("a proxy echoing the token and the password: in no error text, JSON or inspection", () =>
    Effect.gen(function*() {
      const echo = textReply(
        500,
        `<pre>api-access-token: ${TOKEN}\n${JSON.stringify({ password: PASSWORD })}\n${
          encodeURIComponent(PASSWORD)
        }</pre>`,
        "text/html"
      )
      // The token on every call; the password on the calls that send it (the only ones that know it).
      const sending: ReadonlyArray<readonly [string, Call]> = [
        ...calls,
        ["update with a password", (users) => users.update(id, { password })]
      ]
      for (const [operation, call] of sending) {
        const { error } = yield* failWith(echo, call)
        const secrets = operation === "create" || operation.includes("password")
          ? [TOKEN, PASSWORD, encodeURIComponent(PASSWORD)]
          : [TOKEN]
        for (const text of [String(error), error.message, JSON.stringify(error), NodeUtil.inspect(error)]) {
          for (const secret of secrets) assert.notInclude(text, secret, operation)
        }
        assert.include(error.message, "<redacted>", operation)
      }
    }))
})
