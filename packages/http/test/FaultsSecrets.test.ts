/**
 * Servers and proxies that echo the request back (headers and body) in their answer, on real loopback sockets: the
 * platform token and the password being set must not reach any error's text, whatever the status, the content type
 * or the encoding the echo uses (raw, HTML-escaped, JSON strings, Rails' \u003c escapes, percent-encoding).
 */
import type * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import { UserId } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FaultServer from "./utils/FaultServer.js"

const id = UserId.make(42)

type Call = (users: PlatformUsers.Service) => Effect.Effect<unknown, PlatformUsersError.PlatformUsersError>

const calls: ReadonlyArray<readonly [string, Call]> = [
  ["update", (users) => users.update(id, { name: "Dan", password: FaultServer.password })],
  ["create", (users) => users.create({ name: "Dan", email: "dan@acme.inc", password: FaultServer.password })],
  ["get", (users) => users.get(id)]
]

// How the whole request (method, path, headers, body) may come back inside a body.
const railsJson = (text: string) =>
  JSON.stringify(text).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026")

const encodings: ReadonlyArray<readonly [string, (request: string) => string]> = [
  ["raw", (request) => request],
  ["JSON string", (request) => JSON.stringify(request)],
  ["Rails JSON string", railsJson],
  ["percent-encoded", (request) => encodeURIComponent(request)],
  ["form-encoded", (request) => new URLSearchParams({ request }).toString()]
]

const requestText = FaultServer.requestText

type Tag = PlatformUsersError.PlatformUsersError["_tag"]

// [label, the fault given the request, expected tag, attempts]
const echoes: ReadonlyArray<readonly [string, (seen: FaultServer.Seen) => FaultServer.Fault, Tag, number]> = [
  [
    "502 debugging proxy page (raw, HTML-escaped, JSON)",
    (seen) => FaultServer.html(502, FaultServer.echoPage(seen)),
    "ServerError",
    4
  ],
  ["500 echo page", (seen) => FaultServer.html(500, FaultServer.echoPage(seen)), "ServerError", 1],
  ["403 echo page", (seen) => FaultServer.html(403, FaultServer.echoPage(seen)), "UnexpectedResponse", 1],
  [
    "301 echo page to another host",
    (seen) => FaultServer.html(301, FaultServer.echoPage(seen), { location: "http://127.0.0.1:9/" }),
    "UnexpectedResponse",
    1
  ],
  ["429 echo", (seen) => FaultServer.html(429, FaultServer.echoPage(seen)), "RateLimited", 4],
  ["401 echo", (seen) => FaultServer.html(401, FaultServer.echoPage(seen)), "Unauthorized", 1],
  ["400 echo", (seen) => FaultServer.html(400, FaultServer.echoPage(seen)), "UnexpectedResponse", 1],
  ["200 HTML echo", (seen) => FaultServer.html(200, FaultServer.echoPage(seen)), "UnexpectedResponse", 1],
  [
    "200 JSON of the wrong shape echoing the request",
    (seen) => FaultServer.json(200, JSON.stringify({ id: requestText(seen), echo: requestText(seen) })),
    "UnexpectedResponse",
    1
  ],
  [
    "a reset in the middle of an echo",
    (seen) => ({ _tag: "Reset", status: 200, partial: FaultServer.echoPage(seen) }),
    "TransportError",
    4
  ]
]

describe("Faults: a server echoing the request never puts a secret in an error", () => {
  for (const [label, fault, tag, attempts] of echoes) {
    for (const [operation, call] of calls) {
      it.live(`${label}, on ${operation}: ${tag} after ${attempts} attempt(s), no secret`, () =>
        Effect.scoped(Effect.gen(function*() {
          const server = yield* FaultServer.make(fault)
          const { exit } = yield* FaultServer.run("undici", server.origin, call)
          FaultServer.expectFailure(exit, tag)
          assert.strictEqual(server.seen.length, attempts)
          // The echo did carry the secrets: the test would catch them.
          assert.include(server.seen[0]!.headers["api-access-token"], FaultServer.TOKEN)
        })))
    }
  }

  for (const [encoding, encode] of encodings) {
    for (const status of [500, 502, 422]) {
      it.live(`a ${status} whose JSON error field echoes the request ${encoding}: no secret in the error`, () =>
        Effect.scoped(Effect.gen(function*() {
          const server = yield* FaultServer.make((seen) =>
            FaultServer.json(
              status,
              status === 422
                ? JSON.stringify({ message: `Invalid request: ${encode(requestText(seen))}`, attributes: ["password"] })
                : JSON.stringify({ status, error: `upstream rejected ${encode(requestText(seen))}` })
            )
          )
          const { exit } = yield* FaultServer.run("undici", server.origin, calls[0]![1])
          const error = FaultServer.expectFailure(exit, status === 422 ? "Validation" : "ServerError")
          assert.include(JSON.stringify(error), "<redacted>")
          assert.strictEqual(server.seen[0]!.body.includes(FaultServer.PASSWORD_CORE), true)
        })))
    }

    it.live(`a 502 text page echoing the request ${encoding} (fetch): no secret in the error`, () =>
      Effect.scoped(Effect.gen(function*() {
        const server = yield* FaultServer.make((seen) =>
          FaultServer.reply(502, `Bad Gateway: ${encode(requestText(seen))}`, { "content-type": "text/plain" })
        )
        const { exit } = yield* FaultServer.run("fetch", server.origin, calls[1]![1])
        FaultServer.expectFailure(exit, "ServerError")
        assert.strictEqual(server.seen.length, 4)
      })))
  }
})
