/**
 * The live users layer over real loopback sockets (node:http on 127.0.0.1, port 0), over every client it runs on:
 * the lean client, effect/http's FetchHttpClient and @effect/platform-node's NodeHttpClient (undici and node:http).
 * What is on the wire (path under a sub-path install, the token header, body, no trace headers), the status mapping,
 * retries (Retry-After, gateway errors; never a 500 or a 4xx), timeouts, client-side validation, and secrets never
 * in an error.
 */
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import { UserId } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Net from "node:net"
import { clients, realUserBody, TOKEN, usersOver } from "./utils/Fixtures.js"
import { serve, serveRaw, waitFor } from "./utils/Servers.js"

const id = UserId.make(42)

interface Reply {
  readonly status: number
  readonly headers?: Record<string, string>
  readonly body: string
}

// A server that answers from a script (the request and its index).
const scripted = (script: (url: string, index: number) => Reply) =>
  Effect.map(
    serve((seen, response) => {
      // `seen` is recorded before the handler runs.
      const reply = script(seen.url, 0)
      response.writeHead(reply.status, reply.headers ?? {})
      response.end(reply.body)
    }),
    (server) => ({ ...server, baseUrl: `${server.origin}/chatwoot/` })
  )

const json = { "content-type": "application/json; charset=utf-8" }
const fast = { retry: { base: "5 millis", cap: "20 millis" }, timeout: "10 seconds" } as const

const notIn = (error: unknown, secrets: ReadonlyArray<string>) => {
  for (const text of [String(error), JSON.stringify(error), (error as Error).message]) {
    for (const secret of secrets) assert.notInclude(text, secret)
  }
}

for (const [name, client] of clients) {
  describe(`PlatformUsersHttp over ${name}`, () => {
    it.live("sends api-access-token on the wire, honours a real Retry-After and decodes the answer", () =>
      Effect.gen(function*() {
        let calls = 0
        const server = yield* scripted(() =>
          calls++ === 0
            ? { status: 429, headers: { "content-type": "text/plain", "retry-after": "0" }, body: "Retry later\n" }
            : { status: 200, headers: json, body: realUserBody }
        )
        const users = yield* usersOver(client, { baseUrl: server.baseUrl, ...fast })
        const user = yield* users.update(id, { name: "Dan", email: "dan@acme.inc" })
        assert.strictEqual(user.id, 42)
        assert.strictEqual(user.email, "dan@acme.inc")
        assert.strictEqual(server.seen.length, 2)
        const request = server.seen[1]!
        assert.strictEqual(request.method, "PATCH")
        assert.strictEqual(request.url, "/chatwoot/platform/api/v1/users/42")
        assert.strictEqual(request.headers["api-access-token"], TOKEN)
        assert.isUndefined(request.headers["api_access_token"])
        assert.strictEqual(request.headers["accept"], "application/json")
        assert.strictEqual(request.headers["content-type"], "application/json")
        assert.isUndefined(request.headers["traceparent"])
        assert.isUndefined(request.headers["b3"])
        assert.strictEqual(request.body, "{\"name\":\"Dan\",\"email\":\"dan@acme.inc\"}")
      }))

    it.live("tokenHeader api_access_token: that spelling, and only it, on the wire; delete is 200 with no body", () =>
      Effect.gen(function*() {
        const server = yield* scripted((url) =>
          url.endsWith("/users/42") ? { status: 200, body: "" } : { status: 500, body: "" }
        )
        const users = yield* usersOver(client, { baseUrl: server.baseUrl, tokenHeader: "api_access_token" })
        yield* users.delete(id)
        assert.strictEqual(server.seen[0]!.method, "DELETE")
        assert.strictEqual(server.seen[0]!.headers["api_access_token"], TOKEN)
        assert.isUndefined(server.seen[0]!.headers["api-access-token"])
      }))

    it.live("401, 404, 422 and 500 are typed and not retried; 503 is retried; a 3xx is not followed", () =>
      Effect.gen(function*() {
        let replies: Array<Reply> = []
        const server = yield* scripted(() => replies.shift() ?? { status: 599, body: "" })
        const users = yield* usersOver(client, { baseUrl: server.baseUrl, ...fast })
        const failWith = (...script: Array<Reply>) => {
          replies = script
          const before = server.seen.length
          return Effect.map(Effect.flip(users.update(id, { name: "Dan" })), (error) => ({
            error,
            sent: server.seen.length - before
          }))
        }
        const unauthorized = yield* failWith({
          status: 401,
          headers: json,
          body: "{\"error\":\"Invalid access_token\"}"
        })
        assert.deepStrictEqual([unauthorized.error._tag, unauthorized.sent], ["Unauthorized", 1])
        const notFound = yield* failWith({
          status: 404,
          headers: json,
          body: "{\"status\":404,\"error\":\"Not Found\"}"
        })
        assert.deepStrictEqual([notFound.error._tag, notFound.sent], ["NotFound", 1])
        const invalid = yield* failWith({
          status: 422,
          headers: json,
          body: "{\"message\":\"Email has already been taken\",\"attributes\":[\"email\"]}"
        })
        assert.deepStrictEqual([invalid.error._tag, invalid.sent], ["Validation", 1])
        assert.deepStrictEqual((invalid.error as PlatformUsersError.Validation).attributes, ["email"])
        const server500 = yield* failWith({
          status: 500,
          headers: json,
          body: "{\"status\":500,\"error\":\"Internal Server Error\"}"
        })
        assert.deepStrictEqual([server500.error._tag, server500.sent], ["ServerError", 1])
        const gateway = yield* failWith(
          { status: 503, body: "busy" },
          { status: 502, body: "bad gateway" },
          { status: 504, body: "timeout" },
          { status: 503, body: "still busy" }
        )
        // 3 retries by default: 4 attempts, then the last error.
        assert.deepStrictEqual([gateway.error._tag, gateway.sent], ["ServerError", 4])
        const moved = yield* failWith({ status: 302, headers: { location: "http://127.0.0.1:1/elsewhere" }, body: "" })
        assert.deepStrictEqual([moved.error._tag, moved.sent], ["UnexpectedResponse", 1])
        assert.strictEqual((moved.error as PlatformUsersError.UnexpectedResponse).status, 302)
      }))

    it.live("a proxy page echoing the token and the password: neither is in the error", () =>
      Effect.gen(function*() {
        const password = "S3cret-Passw0rd!"
        const server = yield* serve((seen, response) => {
          response.writeHead(500, { "content-type": "text/html" })
          response.end(`<pre>${JSON.stringify(seen.headers)}\n${seen.body.replace(/&/g, "&amp;")}</pre>`)
        })
        const users = yield* usersOver(client, { baseUrl: server.origin, retry: false })
        const error = yield* Effect.flip(users.update(id, { password: Redacted.make(password) }))
        assert.strictEqual(error._tag, "ServerError")
        assert.include(server.seen[0]!.body, password)
        notIn(error, [TOKEN, password])
      }))

    it.live("client-side validation fails before anything is sent", () =>
      Effect.gen(function*() {
        const server = yield* scripted(() => ({ status: 200, headers: json, body: realUserBody }))
        const users = yield* usersOver(client, { baseUrl: server.baseUrl })
        const error = yield* Effect.flip(users.update(id, { email: "not an email" }))
        assert.strictEqual(error._tag, "Validation")
        assert.strictEqual((error as PlatformUsersError.Validation).source, "client")
        assert.strictEqual(server.seen.length, 0)
      }))

    it.live("a 2xx that does not decode is UnexpectedResponse Decode, without the values in it", () =>
      Effect.gen(function*() {
        const server = yield* scripted(() => ({
          status: 200,
          headers: json,
          body: realUserBody.replace("\"id\":42", "\"id\":\"UsErAcc3ssT0kenAbCdEfGhJ\"")
        }))
        const users = yield* usersOver(client, { baseUrl: server.baseUrl })
        const error = yield* Effect.flip(users.get(id))
        assert.strictEqual(error._tag, "UnexpectedResponse")
        const unexpected = error as PlatformUsersError.UnexpectedResponse
        assert.strictEqual(unexpected.reason, "Decode")
        assert.include(unexpected.detail, "id")
        notIn(error, ["UsErAcc3ssT0kenAbCdEfGhJ", "PuBsUbT0kenAbCdEfGhJkLmN", TOKEN])
      }))

    it.live("a refused connection is TransportError Network, retried, and the token is nowhere in it", () =>
      Effect.gen(function*() {
        const closed = yield* serveRaw(() => {})
        yield* Effect.callback<void>((resume) => {
          closed.server.close(() => resume(Effect.void))
        })
        const users = yield* usersOver(client, { baseUrl: `${closed.origin}/chatwoot`, ...fast })
        const error = yield* Effect.flip(users.get(id))
        assert.strictEqual(error._tag, "TransportError")
        const transport = error as PlatformUsersError.TransportError
        assert.strictEqual(transport.reason, "Network")
        assert.include(transport.detail, "/chatwoot/platform/api/v1/users/42")
        notIn(error, [TOKEN])
      }))

    it.live("each attempt is timed out (headers, then the body stops): TransportError Timeout, requests aborted", () =>
      Effect.gen(function*() {
        const asked: Array<Net.Socket> = []
        const server = yield* serveRaw((socket) => {
          socket.once("data", () => {
            asked.push(socket)
            socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"id\":")
          })
        })
        const users = yield* usersOver(client, {
          baseUrl: server.origin,
          timeout: "200 millis",
          retry: { retries: 1, base: "1 millis" }
        })
        const error = yield* Effect.flip(users.get(id))
        assert.strictEqual(error._tag, "TransportError")
        assert.strictEqual((error as PlatformUsersError.TransportError).reason, "Timeout")
        assert.strictEqual(asked.length, 2)
        yield* waitFor(() => asked.every((socket) => socket.closed))
        assert.isTrue(asked.every((socket) => socket.closed))
      }))
  })
}
