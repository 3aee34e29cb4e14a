import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformUsersWire from "@chatwoot-effect/core/PlatformUsersWire"
import { UserId } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import type * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"
import type { Reply } from "./utils/FakeTransport.js"
import { jsonReply, makeFake, realUserBody, serviceOver, textReply } from "./utils/FakeTransport.js"

const id = UserId.make(42)
const ok = jsonReply(200, realUserBody)
const unavailable = textReply(503, "<html>Service Unavailable</html>", "text/html")
const network: Reply = { _tag: "NetworkError", message: "read ECONNRESET" }

// Moves the TestClock, then lets the woken fibers run their (synchronous) fake requests.
const advance = (duration: Duration.DurationInput) =>
  Effect.zipRight(TestClock.adjust(duration), Effect.repeatN(Effect.yieldNow(), 20))

const setup = (replies: ReadonlyArray<Reply>, options?: Partial<PlatformUsersHttp.Options>) =>
  Effect.gen(function*() {
    const fake = yield* makeFake(replies)
    const users = yield* serviceOver(fake, { retry: {}, ...options })
    return { fake, users }
  })

const isDone = <A, E>(fiber: Fiber.RuntimeFiber<A, E>) => Effect.map(Fiber.poll(fiber), Option.isSome)

describe("PlatformUsersHttp retries", () => {
  it.scoped("503, 503, 200: succeeds on the third attempt after backing off", () =>
    Effect.gen(function*() {
      const { fake, users } = yield* setup([unavailable, unavailable, ok])
      const fiber = yield* Effect.fork(users.get(id))
      yield* advance("1 minute")
      const user = yield* Fiber.join(fiber)
      assert.strictEqual(user.id, 42)
      assert.strictEqual(yield* fake.count, 3)
    }))

  it.scoped("backoff doubles from 250 ms with ±20% jitter, then gives up after 3 retries with the last error", () =>
    Effect.gen(function*() {
      const { fake, users } = yield* setup([
        unavailable,
        unavailable,
        unavailable,
        textReply(504, "<html>Gateway Timeout</html>", "text/html")
      ])
      const fiber = yield* Effect.fork(users.get(id))
      yield* advance(0)
      assert.strictEqual(yield* fake.count, 1)
      yield* advance(199) // t = 199: the first delay is at least 200 ms
      assert.strictEqual(yield* fake.count, 1)
      yield* advance(101) // t = 300: at most 300 ms
      assert.strictEqual(yield* fake.count, 2)
      yield* advance(299) // t = 599: the third attempt comes after 200..300 + 400..600 ms
      assert.strictEqual(yield* fake.count, 2)
      yield* advance(301) // t = 900
      assert.strictEqual(yield* fake.count, 3)
      yield* advance(499) // t = 1399: the fourth comes after 600..900 + 800..1200 ms
      assert.strictEqual(yield* fake.count, 3)
      assert.isFalse(yield* isDone(fiber))
      yield* advance(701) // t = 2100
      const exit = yield* Fiber.await(fiber)
      assert.strictEqual(yield* fake.count, 4)
      assert.isTrue(Exit.isFailure(exit))
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "ServerError")
      assert.strictEqual((error as PlatformUsersError.ServerError).status, 504)
    }))

  it.scoped("the delay is capped", () =>
    Effect.gen(function*() {
      const retry = { retries: 5, base: "4 seconds", cap: "5 seconds" } as const
      const { fake, users } = yield* setup([unavailable], { retry })
      const fiber = yield* Effect.fork(users.get(id))
      // Uncapped, the delays would be 4, 8, 16, 32, 64 s (±20%); capped, at most 5 s each.
      yield* advance("25 seconds")
      assert.strictEqual(yield* fake.count, 6)
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "ServerError")
    }))

  it.scoped("429 with Retry-After in seconds waits exactly that long", () =>
    Effect.gen(function*() {
      const { fake, users } = yield* setup([
        { ...textReply(429, "Retry later\n"), headers: { "content-type": "text/plain", "retry-after": "5" } },
        ok
      ])
      const fiber = yield* Effect.fork(users.get(id))
      yield* advance("4999 millis")
      assert.strictEqual(yield* fake.count, 1)
      yield* advance("1 millis")
      const user = yield* Fiber.join(fiber)
      assert.strictEqual(user.id, 42)
      assert.strictEqual(yield* fake.count, 2)
    }))

  it.scoped("503 with Retry-After as an HTTP date waits until that date", () =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const date = new Date(Math.ceil((now + 7000) / 1000) * 1000).toUTCString()
      const waitMillis = Date.parse(date) - now
      const { fake, users } = yield* setup([
        { status: 503, body: "", headers: { "retry-after": date } },
        ok
      ])
      const fiber = yield* Effect.fork(users.get(id))
      yield* advance(waitMillis - 1)
      assert.strictEqual(yield* fake.count, 1)
      yield* advance(1)
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* fake.count, 2)
    }))

  it.scoped("429 without Retry-After keeps failing: RateLimited after 4 attempts", () =>
    Effect.gen(function*() {
      const { fake, users } = yield* setup([textReply(429, "Retry later\n")])
      const fiber = yield* Effect.fork(users.update(id, { name: "Dan" }))
      yield* advance("1 minute")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "RateLimited")
      assert.strictEqual(yield* fake.count, 4)
    }))

  it.scoped("a Retry-After beyond maxRetryAfter is not waited for: RateLimited at once, with the delay", () =>
    Effect.gen(function*() {
      const { fake, users } = yield* setup([
        { status: 429, body: "Retry later\n", headers: { "content-type": "text/plain", "retry-after": "120" } },
        ok
      ])
      const error = yield* Effect.flip(users.get(id))
      assert.strictEqual(error._tag, "RateLimited")
      assert.strictEqual((error as PlatformUsersError.RateLimited).retryAfterMillis, 120_000)
      assert.strictEqual(yield* fake.count, 1)
    }))

  it.scoped("network errors are retried", () =>
    Effect.gen(function*() {
      const { fake, users } = yield* setup([network, network, ok])
      const fiber = yield* Effect.fork(
        users.create({ name: "Dan", email: "dan@acme.inc", password: Redacted.make("Passw0rd!") })
      )
      yield* advance("1 minute")
      const user = yield* Fiber.join(fiber)
      assert.strictEqual(user.id, 42)
      const requests = yield* fake.requests
      assert.strictEqual(requests.length, 3)
      // Every attempt sends the same request.
      assert.deepStrictEqual(requests[2], requests[0])
    }))

  it.scoped("network errors until the bound: TransportError Network after 4 attempts", () =>
    Effect.gen(function*() {
      const { fake, users } = yield* setup([network])
      const fiber = yield* Effect.fork(users.delete(id))
      yield* advance("1 minute")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "TransportError")
      assert.strictEqual((error as PlatformUsersError.TransportError).reason, "Network")
      assert.strictEqual(yield* fake.count, 4)
    }))

  const final: ReadonlyArray<readonly [string, Reply]> = [
    ["500", jsonReply(500, PlatformUsersWire.errorBodies.internalServerError)],
    ["422", jsonReply(422, { message: "Email has already been taken", attributes: ["email"] })],
    ["401", jsonReply(401, PlatformUsersWire.errorBodies.invalidToken)],
    ["404", jsonReply(404, PlatformUsersWire.errorBodies.notFound)],
    ["400", jsonReply(400, PlatformUsersWire.errorBodies.badRequest)],
    ["403", textReply(403, "Forbidden")]
  ]
  for (const [status, reply] of final) {
    it.scoped(`${status} is never retried`, () =>
      Effect.gen(function*() {
        const { fake, users } = yield* setup([reply, ok])
        const fiber = yield* Effect.fork(users.update(id, { email: "taken@acme.inc" }))
        yield* advance("1 minute")
        const exit = yield* Fiber.await(fiber)
        assert.isTrue(Exit.isFailure(exit))
        assert.strictEqual(yield* fake.count, 1)
      }))
  }

  it.scoped("client-side validation errors are never retried and send nothing", () =>
    Effect.gen(function*() {
      const { fake, users } = yield* setup([ok])
      const fiber = yield* Effect.fork(users.update(id, { email: "not-an-email" }))
      yield* advance("1 minute")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "Validation")
      assert.strictEqual(yield* fake.count, 0)
    }))

  it.scoped("retry: false makes a single attempt", () =>
    Effect.gen(function*() {
      const { fake, users } = yield* setup([unavailable, ok], { retry: false })
      const error = yield* Effect.flip(users.get(id))
      assert.strictEqual(error._tag, "ServerError")
      assert.strictEqual(yield* fake.count, 1)
    }))

  it.scoped("retry: { retries: 1 } makes two attempts", () =>
    Effect.gen(function*() {
      const { fake, users } = yield* setup([unavailable], { retry: { retries: 1 } })
      const fiber = yield* Effect.fork(users.get(id))
      yield* advance("1 minute")
      yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(yield* fake.count, 2)
    }))
})

describe("PlatformUsersHttp timeout", () => {
  it.scoped("a request that never answers fails with TransportError Timeout after 30 s by default", () =>
    Effect.gen(function*() {
      const { fake, users } = yield* setup([{ _tag: "Hang" }], { retry: false })
      const fiber = yield* Effect.fork(users.get(id))
      yield* advance("29999 millis")
      assert.isFalse(yield* isDone(fiber))
      yield* advance("1 millis")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "TransportError")
      assert.strictEqual((error as PlatformUsersError.TransportError).reason, "Timeout")
      assert.strictEqual(yield* fake.count, 1)
    }))

  it.scoped("timeouts are per attempt and retried", () =>
    Effect.gen(function*() {
      const { fake, users } = yield* setup([{ _tag: "Hang" }, ok], { timeout: "2 seconds" })
      const fiber = yield* Effect.fork(users.get(id))
      yield* advance("2 seconds")
      assert.strictEqual(yield* fake.count, 1)
      yield* advance("1 second")
      const user = yield* Fiber.join(fiber)
      assert.strictEqual(user.id, 42)
      assert.strictEqual(yield* fake.count, 2)
    }))

  it.scoped("timeout: false waits as long as it takes", () =>
    Effect.gen(function*() {
      const { users } = yield* setup([{ _tag: "Hang" }], { timeout: false })
      const fiber = yield* Effect.fork(users.get(id))
      yield* advance("1 hour")
      assert.isFalse(yield* isDone(fiber))
      yield* Fiber.interrupt(fiber)
    }))
})
