/**
 * One exchange (internal/exchange) over each client the SDK runs on: the lean client as it is, effect/http's
 * FetchHttpClient, and @effect/platform-node's NodeHttpClient (undici and node:http). Real loopback servers: the
 * answer as read, the per-attempt timeout (the server sees the request aborted), the body cap, no redirect followed,
 * no trace headers, and the token redacted in the HTTP client's span.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import type * as Net from "node:net"
import * as ChatwootHttpClient from "../src/ChatwootHttpClient.js"
import * as Exchange from "../src/internal/exchange.js"
import { serve, serveRaw, waitFor } from "./utils/Servers.js"
import { capturingTracer } from "./utils/Tracing.js"

const clients: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["lean", ChatwootHttpClient.layerUndici],
  ["fetch", FetchHttpClient.layer],
  ["node undici", NodeHttpClient.layerUndici],
  ["node http", NodeHttpClient.layerNodeHttp]
]

const exchangeOver = (
  layer: Layer.Layer<HttpClient.HttpClient>,
  options: { readonly timeout?: Duration.Duration; readonly maxResponseBytes?: number } = {}
) =>
  Effect.map(Layer.build(layer), (context) =>
    Exchange.make(Context.get(context, HttpClient.HttpClient), {
      timeout: options.timeout,
      maxResponseBytes: options.maxResponseBytes ?? 4 * 1024 * 1024,
      transformed: false
    }))

const TOKEN = "token-0123456789"

for (const [name, layer] of clients) {
  describe(`exchange over ${name}`, () => {
    it.live("reads status, body and Retry-After; sends the token, no trace headers; a redirect is not followed", () =>
      Effect.gen(function*() {
        const target = yield* serve((_, response) => response.end("should not be reached"))
        const server = yield* serve((seen, response) => {
          if (seen.url === "/redirect") {
            response.writeHead(302, { location: `${target.origin}/elsewhere` })
            return response.end()
          }
          response.writeHead(429, { "content-type": "text/plain", "retry-after": "7" })
          response.end("Too many requests")
        })
        const exchange = yield* exchangeOver(layer)
        const clock = yield* Clock.Clock
        const request = (path: string) =>
          HttpClientRequest.get(`${server.origin}${path}`).pipe(HttpClientRequest.setHeader("api-access-token", TOKEN))
        const answer = yield* exchange(request("/limited"), undefined, clock).pipe(Effect.withSpan("caller"))
        assert.deepStrictEqual(answer, { status: 429, body: "Too many requests", retryAfter: "7" })
        assert.strictEqual(server.seen[0]!.headers["api-access-token"], TOKEN)
        assert.isUndefined(server.seen[0]!.headers["traceparent"])
        assert.isUndefined(server.seen[0]!.headers["b3"])
        const redirect = yield* exchange(request("/redirect"), undefined, clock)
        assert.strictEqual(redirect.status, 302)
        assert.strictEqual(target.seen.length, 0)
      }))

    it.live("an attempt past its timeout fails with TimedOut, and its request is aborted", () =>
      Effect.gen(function*() {
        const asked: Array<Net.Socket> = []
        const server = yield* serveRaw((socket) => {
          socket.once("data", () => {
            asked.push(socket)
            socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"id\":")
          })
        })
        const exchange = yield* exchangeOver(layer, { timeout: Duration.millis(150) })
        const error = yield* Effect.flip(
          exchange(HttpClientRequest.get(`${server.origin}/slow`), undefined, yield* Clock.Clock)
        )
        assert.strictEqual(error._tag, "TimedOut")
        yield* waitFor(() => asked.length > 0 && asked.every((socket) => socket.closed))
        assert.isTrue(asked.length === 1 && asked[0]!.closed)
      }))

    it.live("a body over the maximum is not read further", () =>
      Effect.gen(function*() {
        const server = yield* serve((_, response) => {
          response.writeHead(200)
          response.write("x".repeat(1000))
          response.end("y".repeat(1000))
        })
        const small = name === "lean"
          ? ChatwootHttpClient.layerUndiciWith({ maxBodyBytes: 1024 })
          : layer
        const exchange = yield* exchangeOver(small, { maxResponseBytes: 1024 })
        const error = yield* Effect.flip(
          exchange(HttpClientRequest.get(`${server.origin}/big`), undefined, yield* Clock.Clock)
        )
        if (error._tag === "HttpClientError") {
          // The lean client stops at its own maximum: the body's reads fail with BodyTooLarge.
          assert.instanceOf(error.reason.cause, ChatwootHttpClient.BodyTooLarge)
        } else {
          assert.deepStrictEqual({ ...error }, { _tag: "TooLarge", status: 200, maxBytes: 1024 })
        }
      }))
  })
}

describe("exchange over the platform clients' spans", () => {
  for (const [name, layer] of clients.slice(1)) {
    it.live(`${name}: the http.client span is a child of the operation's, the token and unknown headers redacted`, () =>
      Effect.gen(function*() {
        const server = yield* serve((_, response) => {
          response.writeHead(200, { "content-type": "application/json", "x-echo": TOKEN })
          response.end("{}")
        })
        const { spans, tracer } = capturingTracer()
        const exchange = yield* exchangeOver(layer)
        const clock = yield* Clock.Clock
        yield* Effect.useSpan("PlatformUsers.get", (span) =>
          exchange(
            HttpClientRequest.get(`${server.origin}/x`).pipe(
              HttpClientRequest.setHeader("api-access-token", TOKEN),
              HttpClientRequest.setHeader("api_access_token", TOKEN)
            ),
            span,
            clock
          )).pipe(
            Effect.withTracer(tracer),
            // effect/http records no header unless asked to: a program that asks still sees no secret.
            Effect.provideService(HttpClient.TracerHeaderFilter, () => true)
          )
        const operation = spans.find((span) => span.name === "PlatformUsers.get")!
        const http = spans.find((span) => span.name !== "PlatformUsers.get")
        assert.isDefined(http)
        assert.strictEqual(http!.parent._tag === "Some" ? http!.parent.value.spanId : undefined, operation.spanId)
        const attributes = JSON.stringify(Array.from(http!.attributes.entries()))
        assert.notInclude(attributes, TOKEN)
        assert.strictEqual(http!.attributes.get("http.request.header.api-access-token"), "<redacted>")
        assert.strictEqual(http!.attributes.get("http.request.header.api_access_token"), "<redacted>")
        // A response header we do not know may echo the request: redacted too.
        assert.strictEqual(http!.attributes.get("http.response.header.x-echo"), "<redacted>")
        assert.strictEqual(http!.attributes.get("http.response.header.content-type"), "application/json")
        assert.isUndefined(server.seen[0]!.headers["traceparent"])
      }))
  }
})
