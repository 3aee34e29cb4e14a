/**
 * Faults of the answer, on real loopback sockets: 5xx pages from a proxy, 429 bursts with and without `Retry-After`,
 * bodies that are truncated, not JSON, of the wrong shape or of the wrong content type. Each ends in the right typed
 * error after the right number of attempts (or in a success after retries), never in a defect or a hang.
 */
import * as PlatformUsersWire from "@chatwoot-effect/core/PlatformUsersWire"
import { UserId } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { realUserBody } from "./utils/FakeTransport.js"
import * as FaultServer from "./utils/FaultServer.js"

const id = UserId.make(42)
const update = { name: "Dan", password: FaultServer.password }

const gateway = [[502, "Bad Gateway"], [503, "Service Temporarily Unavailable"], [504, "Gateway Time-out"]] as const

describe("Faults: 5xx", () => {
  it.live("500 from Chatwoot (JSON) is ServerError 500 with its error, not retried", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultServer.make(() =>
        FaultServer.json(500, PlatformUsersWire.errorBodies.internalServerError)
      )
      const { exit } = yield* FaultServer.run("undici", server.origin, (users) => users.update(id, update))
      const error = FaultServer.expectFailure(exit, "ServerError")
      assert.strictEqual(error.status, 500)
      assert.strictEqual(error.error, "Internal Server Error")
      assert.strictEqual(server.seen.length, 1)
    })))

  it.live("500 as nginx's HTML page is ServerError 500 with an excerpt of the page, not retried", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultServer.make(() =>
        FaultServer.html(500, FaultServer.nginxPage(500, "Internal Server Error"))
      )
      const { exit } = yield* FaultServer.run("undici", server.origin, (users) => users.get(id))
      const error = FaultServer.expectFailure(exit, "ServerError")
      assert.strictEqual(error.status, 500)
      assert.include(error.error, "500 Internal Server Error")
      assert.strictEqual(server.seen.length, 1)
    })))

  for (const [status, title] of gateway) {
    for (const kind of FaultServer.clientKinds) {
      it.live(`${status} as nginx's HTML page (${kind}) is retried: ServerError ${status} after 4 attempts`, () =>
        Effect.scoped(Effect.gen(function*() {
          const server = yield* FaultServer.make(() => FaultServer.html(status, FaultServer.nginxPage(status, title)))
          const { exit } = yield* FaultServer.run(kind, server.origin, (users) => users.update(id, update))
          const error = FaultServer.expectFailure(exit, "ServerError")
          assert.strictEqual(error.status, status)
          assert.include(error.error, `${status} ${title}`)
          assert.strictEqual(server.seen.length, 4)
        })))
    }

    it.live(`${status} with an empty body, twice, then 200: the third attempt succeeds`, () =>
      Effect.scoped(Effect.gen(function*() {
        const server = yield* FaultServer.make((_, index) =>
          index < 2 ? FaultServer.reply(status, "") : FaultServer.json(200, realUserBody)
        )
        const { exit } = yield* FaultServer.run("undici", server.origin, (users) => users.update(id, update))
        assert.strictEqual(FaultServer.expectSuccess(exit).id, 42)
        assert.strictEqual(server.seen.length, 3)
      })))
  }

  it.live("503 with Retry-After: 1 is waited for, then success; with Retry-After: 3600, ServerError at once", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultServer.make((seen) =>
        seen.url.endsWith("/42") && seen.method === "GET"
          ? FaultServer.html(503, FaultServer.nginxPage(503, "Unavailable"), { "retry-after": "1" })
          : FaultServer.html(503, FaultServer.nginxPage(503, "Unavailable"), { "retry-after": "3600" })
      )
      const started = Date.now()
      const first = yield* FaultServer.run("undici", server.origin, (users) => users.get(id), {
        retry: { retries: 1, base: "5 millis", cap: "20 millis" }
      })
      assert.strictEqual(FaultServer.expectFailure(first.exit, "ServerError").status, 503)
      assert.strictEqual(server.seen.length, 2)
      assert.isAtLeast(Date.now() - started, 900)
      const second = yield* FaultServer.run("undici", server.origin, (users) => users.delete(id))
      assert.strictEqual(FaultServer.expectFailure(second.exit, "ServerError").status, 503)
      assert.strictEqual(server.seen.length, 3)
    })))

  it.live("retries: 0 gives a single attempt on 503", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultServer.make(() => FaultServer.html(503, FaultServer.nginxPage(503, "Unavailable")))
      const { exit } = yield* FaultServer.run("undici", server.origin, (users) => users.get(id), {
        retry: { retries: 0 }
      })
      assert.strictEqual(FaultServer.expectFailure(exit, "ServerError").status, 503)
      assert.strictEqual(server.seen.length, 1)
    })))
})

const retryLater = (headers: Readonly<Record<string, string>> = {}) =>
  FaultServer.reply(429, "Retry later\n", { "content-type": "text/plain", ...headers })

describe("Faults: 429 bursts", () => {
  it.live("a burst longer than the budget, no Retry-After: RateLimited after 4 attempts, no retryAfterMillis", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultServer.make(() => retryLater())
      const { exit } = yield* FaultServer.run("undici", server.origin, (users) => users.update(id, update))
      const error = FaultServer.expectFailure(exit, "RateLimited")
      assert.isUndefined(error.retryAfterMillis)
      assert.strictEqual(server.seen.length, 4)
    })))

  it.live("a burst of 3 without Retry-After: backoff, then the fourth attempt succeeds", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultServer.make((_, index) =>
        index < 3 ? retryLater() : FaultServer.json(200, realUserBody)
      )
      const { exit } = yield* FaultServer.run("undici", server.origin, (users) => users.update(id, update))
      assert.strictEqual(FaultServer.expectSuccess(exit).id, 42)
      assert.strictEqual(server.seen.length, 4)
    })))

  for (const kind of FaultServer.clientKinds) {
    it.live(`Retry-After in seconds (${kind}): "0" and "1" are waited for, then success`, () =>
      Effect.scoped(Effect.gen(function*() {
        const server = yield* FaultServer.make((_, index) =>
          index === 0
            ? retryLater({ "retry-after": "0" })
            : index === 1
            ? retryLater({ "retry-after": "1" })
            : FaultServer.json(200, realUserBody)
        )
        const started = Date.now()
        const { exit } = yield* FaultServer.run(kind, server.origin, (users) => users.get(id))
        assert.strictEqual(FaultServer.expectSuccess(exit).id, 42)
        assert.strictEqual(server.seen.length, 3)
        // The second retry waited the server's second, not the 20 millis backoff cap (a lower bound only).
        assert.isAtLeast(Date.now() - started, 900)
      })))
  }

  it.live("Retry-After as an HTTP date (past, then a second ahead) is honoured, then success", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultServer.make((_, index) =>
        index === 0
          ? retryLater({ "retry-after": new Date(Date.now() - 60_000).toUTCString() })
          : index === 1
          ? retryLater({ "retry-after": new Date(Date.now() + 1_000).toUTCString() })
          : FaultServer.json(200, realUserBody)
      )
      const { exit } = yield* FaultServer.run("undici", server.origin, (users) => users.get(id))
      assert.strictEqual(FaultServer.expectSuccess(exit).id, 42)
      assert.strictEqual(server.seen.length, 3)
    })))

  it.live("Retry-After longer than maxRetryAfter (seconds form): RateLimited at once, with the delay", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultServer.make(() => retryLater({ "retry-after": "3600" }))
      const { exit } = yield* FaultServer.run("undici", server.origin, (users) => users.update(id, update))
      const error = FaultServer.expectFailure(exit, "RateLimited")
      assert.strictEqual(error.retryAfterMillis, 3_600_000)
      assert.include(error.message, "retry after 3600s")
      assert.strictEqual(server.seen.length, 1)
    })))

  it.live("Retry-After longer than maxRetryAfter (HTTP date, 2 hours ahead): RateLimited at once", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultServer.make(() =>
        retryLater({ "retry-after": new Date(Date.now() + 2 * 3600_000).toUTCString() })
      )
      const { exit } = yield* FaultServer.run("fetch", server.origin, (users) => users.get(id))
      const error = FaultServer.expectFailure(exit, "RateLimited")
      assert.isAbove(error.retryAfterMillis ?? 0, 3600_000)
      assert.strictEqual(server.seen.length, 1)
    })))

  it.live("an unreadable Retry-After falls back to the backoff: RateLimited after 4 attempts", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultServer.make(() => retryLater({ "retry-after": "soon-ish" }))
      const { exit } = yield* FaultServer.run("undici", server.origin, (users) => users.get(id))
      const error = FaultServer.expectFailure(exit, "RateLimited")
      assert.isUndefined(error.retryAfterMillis)
      assert.strictEqual(server.seen.length, 4)
    })))
})

describe("Faults: bodies", () => {
  const decodeCases = [
    ["truncated JSON", FaultServer.json(200, realUserBody.slice(0, 80)), "not JSON"],
    ["invalid JSON", FaultServer.json(200, "{id: 42, name: 'Dan'}"), "not JSON"],
    ["an empty 200", FaultServer.json(200, ""), "not JSON"],
    ["JSON of the wrong shape", FaultServer.json(200, JSON.stringify({ user: { id: 42 } })), "does not match"],
    ["a JSON array", FaultServer.json(200, "[]"), "does not match"],
    ["JSON null", FaultServer.json(200, "null"), "does not match"],
    [
      "text/html 200 (a captive portal's login page)",
      FaultServer.html(200, "<!DOCTYPE html><html><body><form action=/login>Sign in</form></body></html>"),
      "not JSON"
    ]
  ] as const

  for (const [label, fault, detail] of decodeCases) {
    for (const kind of FaultServer.clientKinds) {
      it.live(`${label} (${kind}) is UnexpectedResponse Decode, status 200, not retried`, () =>
        Effect.scoped(Effect.gen(function*() {
          const server = yield* FaultServer.make(() => fault)
          const { exit } = yield* FaultServer.run(kind, server.origin, (users) => users.update(id, update))
          const error = FaultServer.expectFailure(exit, "UnexpectedResponse")
          assert.strictEqual(error.reason, "Decode")
          assert.strictEqual(error.status, 200)
          assert.include(error.detail, detail)
          assert.strictEqual(server.seen.length, 1)
        })))
    }
  }

  it.live("a wrong-shape user whose fields hold the token and password: the values are not quoted", () =>
    Effect.scoped(Effect.gen(function*() {
      const body = JSON.parse(realUserBody) as Record<string, unknown>
      const server = yield* FaultServer.make(() =>
        FaultServer.json(
          200,
          JSON.stringify({ ...body, id: FaultServer.TOKEN, email: 7, name: { password: FaultServer.PASSWORD } })
        )
      )
      const { exit } = yield* FaultServer.run("undici", server.origin, (users) => users.update(id, update))
      const error = FaultServer.expectFailure(exit, "UnexpectedResponse")
      assert.strictEqual(error.reason, "Decode")
      assert.include(error.detail, "id")
      assert.strictEqual(server.seen.length, 1)
    })))

  it.live("delete answered by an HTML page with 200 is UnexpectedResponse Decode (expected an empty body)", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultServer.make(() => FaultServer.html(200, "<html><body>Welcome to nginx!</body></html>"))
      const { exit } = yield* FaultServer.run("fetch", server.origin, (users) => users.delete(id))
      const error = FaultServer.expectFailure(exit, "UnexpectedResponse")
      assert.strictEqual(error.reason, "Decode")
      assert.include(error.detail, "expected an empty body")
      assert.strictEqual(server.seen.length, 1)
    })))

  it.live("a proxy's 403 HTML page is UnexpectedResponse Status 403, not retried", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultServer.make(() => FaultServer.html(403, FaultServer.nginxPage(403, "Forbidden")))
      const { exit } = yield* FaultServer.run("undici", server.origin, (users) => users.get(id))
      const error = FaultServer.expectFailure(exit, "UnexpectedResponse")
      assert.strictEqual(error.reason, "Status")
      assert.strictEqual(error.status, 403)
      assert.strictEqual(server.seen.length, 1)
    })))
})
