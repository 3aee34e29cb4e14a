/**
 * The lean undici client on its own, over real sockets (node:http and net on 127.0.0.1, port 0): status, body and
 * headers as sent, no redirect followed, the body cap (announced and streamed), connection errors, interruption. The
 * fault-injection suite (`Faults*.test.ts`) runs the live layer over it too, as the `chatwoot` transport.
 */
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import { UserId } from "@chatwoot-effect/core/User"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import * as Http from "node:http"
import * as Net from "node:net"
import { Agent } from "undici"
import * as ChatwootHttpClient from "../src/ChatwootHttpClient.js"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"
import { realUserBody, TOKEN } from "./utils/FakeTransport.js"

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

type Handler = (seen: Seen, response: Http.ServerResponse) => void

// A node:http server for one test, closed with the test's scope; it records every request it got.
const serve = (handler: Handler) =>
  Effect.acquireRelease(
    Effect.async<{ readonly origin: string; readonly seen: Array<Seen>; readonly server: Http.Server }>((resume) => {
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
          seen.push(entry)
          handler(entry, response)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as Net.AddressInfo
        resume(Effect.succeed({ origin: `http://127.0.0.1:${port}`, seen, server }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

// A raw TCP server: `onConnection` does what it likes with each socket.
const serveRaw = (onConnection: (socket: Net.Socket) => void) =>
  Effect.acquireRelease(
    Effect.async<{ readonly origin: string; readonly server: Net.Server; readonly sockets: Set<Net.Socket> }>(
      (resume) => {
        const sockets = new Set<Net.Socket>()
        const server = Net.createServer((socket) => {
          sockets.add(socket)
          socket.on("close", () => sockets.delete(socket))
          socket.on("error", () => {})
          onConnection(socket)
        })
        server.listen(0, "127.0.0.1", () => {
          const { port } = server.address() as Net.AddressInfo
          resume(Effect.succeed({ origin: `http://127.0.0.1:${port}`, server, sockets }))
        })
      }
    ),
    ({ server, sockets }) =>
      Effect.async<void>((resume) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resume(Effect.void))
      })
  )

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
  it.scoped("sends method, path, query, headers and body; gives back status, headers and body", () =>
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
          HttpClientRequest.bodyUnsafeJson({ name: "Ada" })
        )
      )
      assert.strictEqual(response.status, 201)
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

  it.scoped("an empty body, a chunked body and repeated headers", () =>
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

  it.scoped("a form goes multipart with its boundary, a stream as it comes; HEAD's announced length is no body", () =>
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

  it.scoped("a redirect is not followed: the 3xx comes back as it is", () =>
    Effect.gen(function*() {
      const target = yield* serve((_, response) => response.end("should not be reached"))
      const server = yield* serve((_, response) => {
        response.writeHead(307, { location: `${target.origin}/elsewhere` })
        response.end()
      })
      const http = yield* client()
      const response = yield* http.execute(
        HttpClientRequest.post(`${server.origin}/x`).pipe(HttpClientRequest.bodyUnsafeJson({ password: "p" }))
      )
      assert.strictEqual(response.status, 307)
      assert.strictEqual(response.headers["location"], `${target.origin}/elsewhere`)
      assert.strictEqual(target.seen.length, 0)
    }))

  it.scoped("a body over the maximum (announced or streamed without a length) fails its reads with BodyTooLarge", () =>
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
        const exit = yield* Effect.exit(response.text)
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isFailure(exit)) {
          const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
          assert.strictEqual(error?._tag, "ResponseError")
          assert.instanceOf(error?.cause, ChatwootHttpClient.BodyTooLarge)
        }
      }
      // At the maximum exactly is fine.
      const fits = yield* (yield* client({ maxBodyBytes: 2048 })).get(`${server.origin}/announced`)
      assert.strictEqual((yield* fits.text).length, 2048)
    }))

  it.scoped("connection refused is a RequestError Transport; an invalid URL a RequestError InvalidUrl", () =>
    Effect.gen(function*() {
      // A port that was just free: listen, note it, close.
      const closed = yield* serveRaw(() => {})
      yield* Effect.async<void>((resume) => {
        closed.server.close(() => resume(Effect.void))
      })
      const http = yield* client()
      const refused = yield* Effect.flip(http.get(`${closed.origin}/x`))
      assert.strictEqual(refused._tag, "RequestError")
      assert.strictEqual(refused.reason, "Transport")
      const invalid = yield* Effect.flip(http.get("not a url"))
      assert.strictEqual(invalid.reason, "InvalidUrl")
    }))

  it.scoped("a reset before the answer fails execute; a reset during the body fails the body's reads", () =>
    Effect.gen(function*() {
      const server = yield* serveRaw((socket) => {
        socket.once("data", (data) => {
          if (data.toString("latin1").startsWith("GET /before ")) return socket.resetAndDestroy()
          socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial", () => socket.resetAndDestroy())
        })
      })
      const http = yield* client()
      const before = yield* Effect.flip(http.get(`${server.origin}/before`))
      assert.strictEqual(before._tag, "RequestError")
      const response = yield* http.get(`${server.origin}/during`)
      assert.strictEqual(response.status, 200)
      const during = yield* Effect.flip(response.text)
      assert.strictEqual(during._tag, "ResponseError")
      assert.strictEqual(during.reason, "Decode")
    }))

  it.scoped("interrupting execute aborts the request: the server sees its connection close", () =>
    Effect.gen(function*() {
      let closedConnections = 0
      let connected = 0
      const server = yield* serveRaw((socket) => {
        connected++
        socket.on("close", () => closedConnections++)
      })
      const http = yield* client()
      const fiber = yield* Effect.fork(http.get(`${server.origin}/hang`))
      // Bounded wait for the connection to be there.
      for (let i = 0; i < 200 && connected === 0; i++) yield* Effect.promise(() => new Promise((r) => setTimeout(r, 5)))
      const exit = yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.isInterrupted(exit))
      for (let i = 0; i < 200 && closedConnections === 0; i++) {
        yield* Effect.promise(() => new Promise((r) => setTimeout(r, 5)))
      }
      assert.strictEqual(closedConnections, 1)
    }))
})

// A tracer that keeps every span it starts (a fresh one per test).
const capturingTracer = Effect.map(Effect.tracer, (base) => {
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span: (...args) => {
      const span = base.span(...args)
      spans.push(span)
      return span
    },
    context: base.context
  })
  return { spans, tracer }
})

// The live layer over the lean client as it is (no transformClient): the path where the client times attempts out
// itself and the operation's span is not made the current span.
const liveOver = (origin: string, options: Partial<PlatformUsersHttp.Options> = {}) =>
  Effect.map(
    Layer.build(
      PlatformUsersHttp.layerWithHttpClient({ baseUrl: origin, apiAccessToken: Redacted.make(TOKEN), ...options }).pipe(
        Layer.provide(ChatwootHttpClient.layerUndici)
      )
    ),
    Context.get(PlatformUsers.PlatformUsers)
  )

// Live clock: with a TestClock the layer falls back to Effect.timeoutFail, which is not the path under test.
describe("PlatformUsersHttp over ChatwootHttpClient", () => {
  it.scopedLive("update: PlatformUsers.update span with its attributes, ended; the user decoded", () =>
    Effect.gen(function*() {
      const server = yield* serve((_, response) => {
        response.writeHead(200, { "content-type": "application/json" })
        response.end(realUserBody)
      })
      const { spans, tracer } = yield* capturingTracer
      const users = yield* liveOver(server.origin)
      const user = yield* users.update(UserId.make(42), { name: "Ada" }).pipe(Effect.withTracer(tracer))
      assert.strictEqual(user.id, 42)
      const span = spans.find((span) => span.name === "PlatformUsers.update")
      assert.isDefined(span)
      assert.strictEqual(span!.attributes.get("chatwoot.user_id"), 42)
      assert.strictEqual(span!.attributes.get("chatwoot.operation"), "update")
      assert.strictEqual(span!.kind, "client")
      assert.strictEqual(span!.status._tag, "Ended")
      assert.strictEqual(server.seen[0]!.headers["api-access-token"], TOKEN)
      // No trace headers travel to Chatwoot.
      assert.isUndefined(server.seen[0]!.headers["traceparent"])
      assert.isUndefined(server.seen[0]!.headers["b3"])
    }))

  it.scopedLive("a failure inside a caller's span records the operation's span on the error, as withSpan does", () =>
    Effect.gen(function*() {
      const server = yield* serve((_, response) => {
        response.writeHead(404, { "content-type": "application/json" })
        response.end(`{"error":"Resource could not be found"}`)
      })
      const { spans, tracer } = yield* capturingTracer
      const users = yield* liveOver(server.origin)
      const exit = yield* users.get(UserId.make(42)).pipe(
        Effect.withSpan("caller"),
        Effect.withTracer(tracer),
        Effect.exit
      )
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        const [pretty] = Cause.prettyErrors(exit.cause)
        assert.strictEqual(pretty!.span?.name, "PlatformUsers.get")
      }
      const span = spans.find((span) => span.name === "PlatformUsers.get")!
      assert.strictEqual(Option.getOrUndefined(span.parent)?.spanId, spans.find((s) => s.name === "caller")!.spanId)
      assert.isTrue(span.status._tag === "Ended" && span.status.exit._tag === "Failure")
    }))

  it.scopedLive("with Effect's default tracer, a failure still names the operation's span, under the caller's", () =>
    Effect.gen(function*() {
      const server = yield* serve((_, response) => {
        response.writeHead(404, { "content-type": "application/json" })
        response.end(`{"error":"Resource could not be found"}`)
      })
      const users = yield* liveOver(server.origin)
      for (const inCaller of [false, true]) {
        const call = users.get(UserId.make(42))
        const exit = yield* Effect.exit(inCaller ? Effect.withSpan(call, "caller") : call)
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isFailure(exit)) {
          const span = Cause.prettyErrors(exit.cause)[0]!.span
          assert.strictEqual(span?.name, "PlatformUsers.get")
          assert.strictEqual(span?.attributes.get("chatwoot.user_id"), 42)
          const parent = span === undefined ? undefined : Option.getOrUndefined(span.parent)
          assert.strictEqual(parent?._tag === "Span" ? parent.name : undefined, inCaller ? "caller" : undefined)
        }
      }
    }))

  it.scopedLive("each attempt is timed out by the client (headers, then the body stops): TransportError Timeout", () =>
    Effect.gen(function*() {
      const asked: Array<Net.Socket> = []
      const server = yield* serveRaw((socket) => {
        socket.once("data", () => {
          asked.push(socket)
          socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"id\":")
        })
      })
      const users = yield* liveOver(server.origin, { timeout: "200 millis", retry: { retries: 1, base: "1 millis" } })
      const error = yield* Effect.flip(users.get(UserId.make(42)))
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") assert.strictEqual(error.reason, "Timeout")
      // Two attempts, both aborted: the server sees their connections close soon after.
      assert.strictEqual(asked.length, 2)
      for (let i = 0; i < 200 && asked.some((socket) => !socket.closed); i++) {
        yield* Effect.promise(() => new Promise((r) => setTimeout(r, 5)))
      }
      assert.isTrue(asked.every((socket) => socket.closed))
    }))
})
