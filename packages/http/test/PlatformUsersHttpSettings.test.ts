/**
 * Over an HttpClient of the platform, each attempt runs on the caller's fiber with the layer's settings (no trace
 * propagation, redacted names, the attempt's Scope in context) and puts them back after: nothing leaks into the
 * caller's fiber, on success, on failure or on interruption, and an interrupted attempt aborts its request.
 */
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import { UserId } from "@chatwoot-effect/core/User"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import * as Http from "node:http"
import type * as Net from "node:net"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"
import { realUserBody, TOKEN } from "./utils/FakeTransport.js"

// `hang` requests get no answer; their connection's close is reported.
const serve = (hang: (url: string) => boolean) =>
  Effect.acquireRelease(
    Effect.async<
      {
        readonly baseUrl: string
        readonly arrived: Array<string>
        readonly closed: Array<string>
        readonly server: Http.Server
      }
    >((resume) => {
      const arrived: Array<string> = []
      const closed: Array<string> = []
      const server = Http.createServer((request, response) => {
        const url = request.url ?? ""
        arrived.push(url)
        request.resume()
        if (hang(url)) {
          response.on("close", () => closed.push(url))
          return
        }
        request.on("end", () => {
          const status = url.endsWith("/404") ? 404 : 200
          response.writeHead(status, { "content-type": "application/json" })
          response.end(status === 404 ? "{\"status\":404,\"error\":\"Not Found\"}" : realUserBody)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as Net.AddressInfo
        resume(Effect.succeed({ baseUrl: `http://127.0.0.1:${port}`, arrived, closed, server }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

// Built in the test's scope, so the HTTP client lives as long as the test.
const users = (baseUrl: string, options: Partial<PlatformUsersHttp.Options> = {}) =>
  Effect.map(
    Layer.build(
      PlatformUsersHttp.layerWithHttpClient({ baseUrl, apiAccessToken: Redacted.make(TOKEN), retry: false, ...options })
        .pipe(Layer.provide(NodeHttpClient.layerUndici))
    ),
    Context.get(PlatformUsers)
  )

const snapshot = Effect.all({
  propagation: FiberRef.get(HttpClient.currentTracerPropagation),
  names: FiberRef.get(Headers.currentRedactedNames),
  context: FiberRef.get(FiberRef.currentContext)
})

describe("PlatformUsersHttp over a platform HttpClient: the attempt's settings", () => {
  it.live("are put back after a call that succeeds and after one that fails", () =>
    Effect.gen(function*() {
      const server = yield* serve(() => false)
      const service = yield* users(server.baseUrl)
      const before = yield* snapshot
      const user = yield* service.get(UserId.make(42))
      assert.strictEqual(user.id, 42)
      const afterSuccess = yield* snapshot
      const error = yield* Effect.flip(service.get(UserId.make(404)))
      assert.strictEqual(error._tag, "NotFound")
      const afterFailure = yield* snapshot
      for (const after of [afterSuccess, afterFailure]) {
        assert.strictEqual(after.propagation, before.propagation)
        assert.strictEqual(after.names, before.names)
        assert.strictEqual(after.context, before.context)
        assert.strictEqual(
          Context.getOption(after.context, Scope.Scope)._tag,
          Context.getOption(before.context, Scope.Scope)._tag
        )
      }
      assert.deepStrictEqual(server.arrived, ["/platform/api/v1/users/42", "/platform/api/v1/users/404"])
    }).pipe(Effect.scoped))

  it.live("an interrupted call aborts its request and leaves the caller's fiber as it was", () =>
    Effect.gen(function*() {
      const server = yield* serve((url) => url.endsWith("/7"))
      const service = yield* users(server.baseUrl)
      const started = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        Effect.gen(function*() {
          const before = yield* snapshot
          yield* Deferred.succeed(started, undefined)
          yield* Effect.onInterrupt(
            service.get(UserId.make(7)),
            () =>
              Effect.flatMap(snapshot, (after) =>
                Effect.sync(() => {
                  assert.strictEqual(after.propagation, before.propagation)
                  assert.strictEqual(after.names, before.names)
                  assert.strictEqual(after.context, before.context)
                }))
          )
        })
      )
      yield* Deferred.await(started)
      // Bounded wait for the request to reach the server.
      for (let i = 0; i < 200 && server.arrived.length === 0; i++) yield* Effect.sleep("10 millis")
      assert.deepStrictEqual(server.arrived, ["/platform/api/v1/users/7"])
      const exit = yield* Fiber.interrupt(fiber)
      assert.strictEqual(exit._tag, "Failure")
      for (let i = 0; i < 200 && server.closed.length === 0; i++) yield* Effect.sleep("10 millis")
      assert.deepStrictEqual(server.closed, ["/platform/api/v1/users/7"])
    }).pipe(Effect.scoped))

  it.live("a live-clock timeout aborts the request and is a TransportError Timeout", () =>
    Effect.gen(function*() {
      const server = yield* serve((url) => url.endsWith("/8"))
      const service = yield* users(server.baseUrl, { timeout: "200 millis" })
      const before = yield* snapshot
      const error = yield* Effect.flip(service.get(UserId.make(8)))
      assert.strictEqual(error._tag, "TransportError")
      assert.strictEqual(error._tag === "TransportError" ? error.reason : undefined, "Timeout")
      const after = yield* snapshot
      assert.strictEqual(after.context, before.context)
      for (let i = 0; i < 200 && server.closed.length === 0; i++) yield* Effect.sleep("10 millis")
      assert.deepStrictEqual(server.closed, ["/platform/api/v1/users/8"])
    }).pipe(Effect.scoped))
})
