/**
 * The lean undici client on its own, over real sockets (node:http and net on 127.0.0.1, port 0): status, body and
 * headers as sent, no redirect followed, the body cap (announced and streamed), connection errors, interruption.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { Agent } from "undici"
import * as ChatwootHttpClient from "../src/ChatwootHttpClient.js"
import { serve, serveRaw, waitFor } from "./utils/Servers.js"

const client = (options: ChatwootHttpClient.Options = {}) =>
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => new Agent()),
      (agent) => Effect.promise(() => agent.destroy())
    ),
    (agent) => ChatwootHttpClient.make(agent, options)
  )

// The layer's client, living as long as the test's scope.
const layerClient = Effect.map(Layer.build(ChatwootHttpClient.layerUndici), Context.get(HttpClient.HttpClient))

describe("ChatwootHttpClient", () => {
  it.live("sends method, path, query, headers and body; gives back status, headers and body", () =>
    Effect.gen(function*() {
      const server = yield* serve((_, response) => {
        response.writeHead(201, { "content-type": "application/json", "x-request-id": "abc" })
        response.end(JSON.stringify({ id: 7, name: "Ada" }))
      })
      const http = yield* client()
      const response = yield* http.execute(
        HttpClientRequest.patch(`${server.origin}/platform/api/v1/users/7`).pipe(
          HttpClientRequest.setUrlParam("q", "a b"),
          HttpClientRequest.setHeader("api_access_token", "secret-token"),
          HttpClientRequest.bodyJsonUnsafe({ name: "Ada" })
        )
      )
      assert.strictEqual(response.status, 201)
      assert.strictEqual(response.url, `${server.origin}/platform/api/v1/users/7?q=a+b`)
      assert.strictEqual(response.headers["content-type"], "application/json")
      assert.strictEqual(response.headers["x-request-id"], "abc")
      assert.deepStrictEqual(yield* response.json, { id: 7, name: "Ada" })
      // The body can be read again, in any form.
      assert.strictEqual(yield* response.text, `{"id":7,"name":"Ada"}`)
      assert.strictEqual(new TextDecoder().decode(yield* response.arrayBuffer), `{"id":7,"name":"Ada"}`)
      const seen = server.seen[0]!
      assert.strictEqual(seen.method, "PATCH")
      assert.strictEqual(seen.url, "/platform/api/v1/users/7?q=a+b")
      assert.strictEqual(seen.headers["api_access_token"], "secret-token")
      assert.strictEqual(seen.headers["content-type"], "application/json")
      assert.strictEqual(seen.body, `{"name":"Ada"}`)
    }))

  it.live("an empty body, a chunked body and repeated headers", () =>
    Effect.gen(function*() {
      const server = yield* serve((seen, response) => {
        if (seen.url === "/empty") {
          response.writeHead(204)
          return response.end()
        }
        response.setHeader("set-cookie", ["a=1", "b=2"])
        response.setHeader("vary", ["accept", "origin"])
        response.writeHead(200)
        response.write("hello ")
        setTimeout(() => response.end("world"), 5)
      })
      const http = yield* layerClient
      const empty = yield* http.get(`${server.origin}/empty`)
      assert.strictEqual(empty.status, 204)
      assert.strictEqual(yield* empty.text, "")
      const chunked = yield* http.get(`${server.origin}/chunked`)
      assert.strictEqual(yield* chunked.text, "hello world")
      assert.strictEqual(chunked.headers["vary"], "accept, origin")
      assert.deepStrictEqual(Object.keys(chunked.cookies.cookies).sort(), ["a", "b"])
    }))

  it.live("a form goes multipart with its boundary, a stream as it comes; HEAD's announced length is no body", () =>
    Effect.gen(function*() {
      const server = yield* serve((seen, response) => {
        if (seen.method === "HEAD") {
          response.writeHead(200, { "content-length": "999999" })
          return response.end()
        }
        response.end("ok")
      })
      const http = yield* client({ maxBodyBytes: 1024 })
      const form = new FormData()
      form.append("name", "Ada")
      yield* http.execute(HttpClientRequest.post(`${server.origin}/form`).pipe(HttpClientRequest.bodyFormData(form)))
      const sentForm = server.seen[0]!
      const boundary = /boundary=(.+)$/.exec(String(sentForm.headers["content-type"]))?.[1]
      assert.isDefined(boundary)
      assert.include(sentForm.body, `--${boundary}`)
      assert.include(sentForm.body, "Ada")
      yield* http.execute(
        HttpClientRequest.post(`${server.origin}/stream`).pipe(
          HttpClientRequest.bodyStream(Stream.make(new TextEncoder().encode("a"), new TextEncoder().encode("b")))
        )
      )
      assert.strictEqual(server.seen[1]!.body, "ab")
      const head = yield* http.head(`${server.origin}/head`)
      assert.strictEqual(head.status, 200)
      assert.strictEqual(yield* head.text, "")
    }))

  it.live("a redirect is not followed: the 3xx comes back as it is", () =>
    Effect.gen(function*() {
      const target = yield* serve((_, response) => response.end("should not be reached"))
      const server = yield* serve((_, response) => {
        response.writeHead(307, { location: `${target.origin}/elsewhere` })
        response.end()
      })
      const http = yield* client()
      const response = yield* http.execute(
        HttpClientRequest.post(`${server.origin}/x`).pipe(HttpClientRequest.bodyJsonUnsafe({ password: "p" }))
      )
      assert.strictEqual(response.status, 307)
      assert.strictEqual(response.headers["location"], `${target.origin}/elsewhere`)
      assert.strictEqual(target.seen.length, 0)
    }))

  it.live("a body over the maximum (announced or streamed without a length) fails its reads with BodyTooLarge", () =>
    Effect.gen(function*() {
      const server = yield* serve((seen, response) => {
        const body = "x".repeat(2048)
        if (seen.url === "/announced") {
          response.writeHead(200, { "content-length": String(body.length) })
          return response.end(body)
        }
        response.writeHead(200)
        response.write(body.slice(0, 1000))
        response.end(body.slice(1000))
      })
      const http = yield* client({ maxBodyBytes: 1024 })
      for (const path of ["/announced", "/streamed"]) {
        const response = yield* http.get(`${server.origin}${path}`)
        assert.strictEqual(response.status, 200)
        const error = yield* Effect.flip(response.text)
        assert.strictEqual(error.reason._tag, "DecodeError")
        assert.instanceOf(error.reason.cause, ChatwootHttpClient.BodyTooLarge)
      }
      // At the maximum exactly is fine.
      const fits = yield* (yield* client({ maxBodyBytes: 2048 })).get(`${server.origin}/announced`)
      assert.strictEqual((yield* fits.text).length, 2048)
    }))

  it.live("connection refused is a TransportError reason; an invalid URL an InvalidUrlError reason", () =>
    Effect.gen(function*() {
      // A port that was just free: listen, note it, close.
      const closed = yield* serveRaw(() => {})
      yield* Effect.callback<void>((resume) => {
        closed.server.close(() => resume(Effect.void))
      })
      const http = yield* client()
      const refused = yield* Effect.flip(http.get(`${closed.origin}/x`))
      assert.strictEqual(refused._tag, "HttpClientError")
      assert.strictEqual(refused.reason._tag, "TransportError")
      assert.strictEqual((refused.reason.cause as { code?: string }).code, "ECONNREFUSED")
      const invalid = yield* Effect.flip(http.get("not a url"))
      assert.strictEqual(invalid.reason._tag, "InvalidUrlError")
    }))

  it.live("a reset before the answer fails execute; a reset during the body fails the body's reads", () =>
    Effect.gen(function*() {
      const server = yield* serveRaw((socket) => {
        socket.once("data", (data) => {
          if (data.toString("latin1").startsWith("GET /before ")) return socket.resetAndDestroy()
          socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial", () => socket.resetAndDestroy())
        })
      })
      const http = yield* client()
      const before = yield* Effect.flip(http.get(`${server.origin}/before`))
      assert.strictEqual(before.reason._tag, "TransportError")
      const response = yield* http.get(`${server.origin}/during`)
      assert.strictEqual(response.status, 200)
      const during = yield* Effect.flip(response.text)
      assert.strictEqual(during.reason._tag, "DecodeError")
    }))

  it.live("interrupting execute aborts the request: the server sees its connection close", () =>
    Effect.gen(function*() {
      let closedConnections = 0
      let connected = 0
      const server = yield* serveRaw((socket) => {
        connected++
        socket.on("close", () => closedConnections++)
      })
      const http = yield* client()
      const fiber = yield* Effect.forkChild(http.get(`${server.origin}/hang`))
      yield* waitFor(() => connected > 0)
      yield* Fiber.interrupt(fiber)
      const exit = yield* Fiber.await(fiber)
      assert.isTrue(Exit.hasInterrupts(exit))
      yield* waitFor(() => closedConnections > 0)
      assert.strictEqual(closedConnections, 1)
    }))
})
