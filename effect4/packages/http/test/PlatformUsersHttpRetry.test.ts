/**
 * Retries and per-attempt timeouts on the TestClock, over a scripted in-process `HttpClient` (`HttpClient.make`
 * answering web `Response`s): backoff with jitter, the cap, `Retry-After` (seconds, HTTP date, too long), network
 * errors, routes that are unsafe to repeat, and a timeout timed by the TestClock.
 */
import * as PlatformAccounts from "@chatwoot-effect/core/PlatformAccounts"
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import { UserId } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/testing/TestClock"
import * as PlatformHttp from "../src/PlatformHttp.js"
import { realUserBody, TOKEN } from "./utils/Fixtures.js"

const id = UserId.make(42)

type Reply =
  | { readonly status: number; readonly body: string; readonly headers?: Record<string, string> }
  | { readonly _tag: "NetworkError"; readonly code: string }
  | { readonly _tag: "Hang" }

const ok: Reply = { status: 200, body: realUserBody, headers: { "content-type": "application/json" } }
const unavailable: Reply = { status: 503, body: "<html>Service Unavailable</html>" }
const accountBody = JSON.stringify({
  id: 7,
  name: "Acme",
  locale: "en",
  domain: null,
  support_email: null,
  status: "active",
  features: {},
  settings: {},
  limits: {},
  custom_attributes: {}
})

// A client answering from a script (the last reply repeats), counting the requests it got.
const scripted = (replies: ReadonlyArray<Reply>) => {
  let count = 0
  const client = HttpClient.make((request) => {
    const reply = replies[Math.min(count, replies.length - 1)]!
    count++
    if ("_tag" in reply) {
      if (reply._tag === "Hang") return Effect.never
      const cause = Object.assign(new Error(`connect ${reply.code}`), { code: reply.code })
      return Effect.fail(
        new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })
      )
    }
    const init = reply.headers === undefined
      ? { status: reply.status }
      : { status: reply.status, headers: reply.headers }
    return Effect.succeed(HttpClientResponse.fromWeb(request, new Response(reply.body, init)))
  })
  return { client, count: () => count }
}

const servicesOver = (replies: ReadonlyArray<Reply>, options: Partial<PlatformHttp.Options> = {}) =>
  Effect.gen(function*() {
    const fake = scripted(replies)
    const context = yield* Layer.build(
      PlatformHttp.layerWithHttpClient({
        baseUrl: "http://chatwoot.test",
        apiAccessToken: Redacted.make(TOKEN),
        ...options
      })
        .pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, fake.client)))
    )
    return {
      count: fake.count,
      users: Context.get(context, PlatformUsers.PlatformUsers),
      accounts: Context.get(context, PlatformAccounts.PlatformAccounts)
    }
  })

// Moves the TestClock, then lets the woken fibers read their (in-memory) answers.
const advance = (duration: Duration.Input) =>
  Effect.andThen(
    TestClock.adjust(duration),
    Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
  )

describe("PlatformHttp retries", () => {
  it.effect("503, 503, 200: succeeds on the third attempt after backing off", () =>
    Effect.gen(function*() {
      const { count, users } = yield* servicesOver([unavailable, unavailable, ok])
      const fiber = yield* Effect.forkChild(users.get(id))
      yield* advance(0)
      yield* advance("1 minute")
      yield* advance("1 minute")
      const user = yield* Fiber.join(fiber)
      assert.strictEqual(user.id, 42)
      assert.strictEqual(count(), 3)
    }))

  it.effect("backoff doubles from 250 ms with ±20% jitter, then gives up after 3 retries with the last error", () =>
    Effect.gen(function*() {
      const { count, users } = yield* servicesOver([
        unavailable,
        unavailable,
        unavailable,
        { status: 504, body: "<html>Gateway Timeout</html>" }
      ])
      const fiber = yield* Effect.forkChild(users.get(id))
      yield* advance(0)
      assert.strictEqual(count(), 1)
      yield* advance(199) // t = 199: the first delay is at least 200 ms
      assert.strictEqual(count(), 1)
      yield* advance(101) // t = 300: at most 300 ms
      assert.strictEqual(count(), 2)
      yield* advance(299) // t = 599: the third attempt comes after 200..300 + 400..600 ms
      assert.strictEqual(count(), 2)
      yield* advance(301) // t = 900
      assert.strictEqual(count(), 3)
      yield* advance(1200) // t = 2100
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(count(), 4)
      assert.strictEqual(error._tag, "ServerError")
      assert.strictEqual((error as PlatformUsersError.ServerError).status, 504)
    }))

  it.effect("the delay is capped", () =>
    Effect.gen(function*() {
      const { count, users } = yield* servicesOver([unavailable], {
        retry: { retries: 5, base: "4 seconds", cap: "5 seconds" }
      })
      const fiber = yield* Effect.forkChild(users.get(id))
      yield* advance(0)
      // Uncapped, the delays would be 4, 8, 16, 32, 64 s (±20%); capped, at most 5 s each.
      for (let i = 0; i < 5; i++) yield* advance("5 seconds")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(count(), 6)
      assert.strictEqual(error._tag, "ServerError")
    }))

  it.effect("429 with Retry-After in seconds waits exactly that long; an HTTP date until that date", () =>
    Effect.gen(function*() {
      const limited = yield* servicesOver([
        { status: 429, body: "Retry later\n", headers: { "retry-after": "5" } },
        ok
      ])
      const first = yield* Effect.forkChild(limited.users.get(id))
      yield* advance(0)
      yield* advance("4999 millis")
      assert.strictEqual(limited.count(), 1)
      yield* advance("1 millis")
      assert.strictEqual((yield* Fiber.join(first)).id, 42)
      assert.strictEqual(limited.count(), 2)

      const now = yield* Clock.currentTimeMillis
      const date = new Date(Math.ceil((now + 7000) / 1000) * 1000).toUTCString()
      const waitMillis = Date.parse(date) - now
      const dated = yield* servicesOver([{ status: 503, body: "", headers: { "retry-after": date } }, ok])
      const second = yield* Effect.forkChild(dated.users.get(id))
      yield* advance(0)
      yield* advance(waitMillis - 1)
      assert.strictEqual(dated.count(), 1)
      yield* advance(1)
      yield* Fiber.join(second)
      assert.strictEqual(dated.count(), 2)
    }))

  it.effect("a Retry-After longer than maxRetryAfter is not waited for: RateLimited at once, with the delay", () =>
    Effect.gen(function*() {
      const { count, users } = yield* servicesOver([
        { status: 429, body: "Retry later\n", headers: { "retry-after": "3600" } },
        ok
      ])
      const fiber = yield* Effect.forkChild(users.get(id))
      yield* advance(0)
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "RateLimited")
      assert.strictEqual((error as PlatformUsersError.RateLimited).retryAfterMillis, 3_600_000)
      assert.strictEqual(count(), 1)
    }))

  it.effect("a network error is retried; retry: false makes one attempt", () =>
    Effect.gen(function*() {
      const retried = yield* servicesOver([{ _tag: "NetworkError", code: "ECONNRESET" }, ok])
      const fiber = yield* Effect.forkChild(retried.users.get(id))
      yield* advance(0)
      yield* advance("1 second")
      assert.strictEqual((yield* Fiber.join(fiber)).id, 42)
      assert.strictEqual(retried.count(), 2)
      const once = yield* servicesOver([unavailable, ok], { retry: false })
      const error = yield* Effect.flip(once.users.get(id))
      assert.strictEqual(error._tag, "ServerError")
      assert.strictEqual(once.count(), 1)
    }))

  it.effect("accounts.create (unsafe to repeat): not retried after a 503 or a reset; retried after 429 and refused", () =>
    Effect.gen(function*() {
      for (const reply of [unavailable, { _tag: "NetworkError", code: "ECONNRESET" } as const]) {
        const { accounts, count } = yield* servicesOver([reply, { status: 200, body: accountBody }])
        const fiber = yield* Effect.forkChild(accounts.create({ name: "Acme" }))
        yield* advance(0)
        yield* advance("1 minute")
        yield* Effect.flip(Fiber.join(fiber))
        assert.strictEqual(count(), 1)
      }
      for (
        const reply of [
          { status: 429, body: "Retry later\n", headers: { "retry-after": "1" } },
          { _tag: "NetworkError", code: "ECONNREFUSED" } as const
        ]
      ) {
        const { accounts, count } = yield* servicesOver([reply, { status: 200, body: accountBody }])
        const fiber = yield* Effect.forkChild(accounts.create({ name: "Acme" }))
        yield* advance(0)
        yield* advance("1 minute")
        const account = yield* Fiber.join(fiber)
        assert.strictEqual(account.id, 7)
        assert.strictEqual(count(), 2)
      }
    }))

  it.effect("an attempt that never answers is timed out by the TestClock: TransportError Timeout", () =>
    Effect.gen(function*() {
      const { count, users } = yield* servicesOver([{ _tag: "Hang" }], { timeout: "2 seconds", retry: { retries: 1 } })
      const fiber = yield* Effect.forkChild(users.get(id))
      yield* advance(0)
      yield* advance("1999 millis")
      assert.strictEqual(count(), 1)
      yield* advance("1 millis")
      yield* advance("1 second")
      yield* advance("2 seconds")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "TransportError")
      assert.strictEqual((error as PlatformUsersError.TransportError).reason, "Timeout")
      assert.strictEqual(count(), 2)
    }))
})
