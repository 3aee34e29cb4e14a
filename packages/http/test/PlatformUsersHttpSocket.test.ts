/**
 * The live client over a real socket (node:http on 127.0.0.1, port 0) and the platform's fetch client: checks what a
 * fake transport cannot, i.e. real header names on the wire, real connection errors, real Retry-After headers.
 */
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import { UserId } from "@chatwoot-effect/core/User"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Http from "node:http"
import type * as Net from "node:net"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"
import { realUserBody, TOKEN } from "./utils/FakeTransport.js"

const id = UserId.make(42)

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

type Handler = (seen: Seen, index: number) => { status: number; headers?: Record<string, string>; body: string }

// A server that answers from a script and closes with the test's scope.
const serve = (handler: Handler) =>
  Effect.acquireRelease(
    Effect.async<{ readonly baseUrl: string; readonly seen: Array<Seen>; readonly server: Http.Server }>((resume) => {
      const seen: Array<Seen> = []
      const server = Http.createServer((request, response) => {
        const chunks: Array<Buffer> = []
        request.on("data", (chunk: Buffer) => chunks.push(chunk))
        request.on("end", () => {
          const entry = {
            method: request.method ?? "",
            url: request.url ?? "",
            headers: request.headers,
            body: Buffer.concat(chunks).toString("utf8")
          }
          const reply = handler(entry, seen.length)
          seen.push(entry)
          response.writeHead(reply.status, reply.headers ?? {})
          response.end(reply.body)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as Net.AddressInfo
        resume(Effect.succeed({ baseUrl: `http://127.0.0.1:${port}/chatwoot/`, seen, server }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

const service = (baseUrl: string) =>
  PlatformUsersHttp.make({
    baseUrl,
    apiAccessToken: Redacted.make(TOKEN),
    retry: { base: "5 millis", cap: "20 millis" },
    timeout: "10 seconds"
  }).pipe(Effect.provide(FetchHttpClient.layer))

describe("PlatformUsersHttp over a real socket", () => {
  it.live("sends api-access-token on the wire, honours a real Retry-After and decodes the answer", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const server = yield* serve((_, index) =>
          index === 0
            ? { status: 429, headers: { "content-type": "text/plain", "retry-after": "0" }, body: "Retry later\n" }
            : { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: realUserBody }
        )
        const users = yield* service(server.baseUrl)
        const user = yield* users.update(id, { name: "Dan", email: "dan@acme.inc" })
        assert.strictEqual(user.id, 42)
        assert.strictEqual(server.seen.length, 2)
        const request = server.seen[1]!
        assert.strictEqual(request.method, "PATCH")
        assert.strictEqual(request.url, "/chatwoot/platform/api/v1/users/42")
        assert.strictEqual(request.headers["api-access-token"], TOKEN)
        assert.isUndefined(request.headers["api_access_token"])
        assert.strictEqual(request.headers["accept"], "application/json")
        assert.strictEqual(request.headers["content-type"], "application/json")
        assert.isUndefined(request.headers["traceparent"])
        assert.strictEqual(request.body, "{\"name\":\"Dan\",\"email\":\"dan@acme.inc\"}")
      })
    ))

  it.live("tokenHeader api_access_token: that spelling, and only it, on the wire", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const server = yield* serve(() => ({
          status: 200,
          headers: { "content-type": "application/json; charset=utf-8" },
          body: realUserBody
        }))
        const users = yield* PlatformUsersHttp.make({
          baseUrl: server.baseUrl,
          apiAccessToken: Redacted.make(TOKEN),
          tokenHeader: "api_access_token"
        }).pipe(Effect.provide(FetchHttpClient.layer))
        yield* users.get(id)
        assert.strictEqual(server.seen[0]!.headers["api_access_token"], TOKEN)
        assert.isUndefined(server.seen[0]!.headers["api-access-token"])
      })
    ))

  it.live("a refused connection is TransportError Network, retried, and the token is nowhere in it", () =>
    Effect.scoped(
      Effect.gen(function*() {
        // Take a free port, then close it: nothing listens there any more.
        const server = yield* serve(() => ({ status: 200, body: "" }))
        const baseUrl = server.baseUrl
        yield* Effect.async<void>((resume) => {
          server.server.close(() => resume(Effect.void))
        })
        const users = yield* service(baseUrl)
        const error = yield* Effect.flip(users.get(id))
        assert.strictEqual(error._tag, "TransportError")
        const transport = error as PlatformUsersError.TransportError
        assert.strictEqual(transport.reason, "Network")
        assert.include(transport.detail, "/chatwoot/platform/api/v1/users/42")
        for (const text of [String(error), JSON.stringify(error), transport.message]) {
          assert.notInclude(text, TOKEN)
        }
      })
    ))

  it.live("delete with the default options: 200 with an empty body", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const server = yield* serve(() => ({ status: 200, body: "" }))
        const users = yield* PlatformUsersHttp.make({ baseUrl: server.baseUrl, apiAccessToken: Redacted.make(TOKEN) })
          .pipe(Effect.provide(FetchHttpClient.layer))
        yield* users.delete(id)
        assert.strictEqual(server.seen[0]!.method, "DELETE")
        assert.strictEqual(server.seen[0]!.url, "/chatwoot/platform/api/v1/users/42")
      })
    ))
})
