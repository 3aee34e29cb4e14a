import * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import { assert, describe, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { drive, makeFake, runBulk, tempDir, until, write } from "./BulkUpdateFake.js"

const ndjson = (count: number) =>
  Array.from({ length: count }, (_, i) => `{"id": ${i + 1}, "name": "user ${i + 1}"}`).join("\n") + "\n"

const rateLimited = () => Effect.fail(new PlatformUsersError.RateLimited({ operation: "update" }))

describe("BulkUpdate rate limiting", () => {
  it.scoped("the token bucket paces all workers together", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "u.ndjson", ndjson(12))
      const fake = makeFake()
      const bulk = runBulk(fake, { file, concurrency: 4, ratePerSecond: 5 })
      const exit = yield* drive(yield* Effect.fork(bulk.effect))
      assert.isTrue(Exit.isSuccess(exit))
      const times = fake.calls.map((call) => call.at).sort((a, b) => a - b)
      assert.strictEqual(times.length, 12)
      for (let i = 1; i < times.length; i++) assert.isAtLeast(times[i]! - times[i - 1]!, 200, `gap ${i}`)
    }))

  it.scoped("a 429 pauses the whole run and halves the rate; the record is retried and reported once", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "u.ndjson", ndjson(40))
      const fake = makeFake((id, attempt) => id === 10 && attempt === 1 ? rateLimited() : Effect.void)
      const bulk = runBulk(fake, { file, concurrency: 4, ratePerSecond: 20 })
      const exit = yield* drive(yield* Effect.fork(bulk.effect))
      assert.isTrue(Exit.isSuccess(exit))
      const limitedAt = fake.calls.find((call) => call.id === 10)!.at
      const later = fake.calls.filter((call) => call.at > limitedAt).map((call) => call.at).sort((a, b) => a - b)
      // Nobody sends during the 1 s shared pause...
      assert.isAtLeast(later[0]!, limitedAt + 1000)
      // ...and afterwards requests are spaced at the halved rate (10/s) at first.
      assert.isAtLeast(later[1]! - later[0]!, 100)
      const results = bulk.results()
      assert.strictEqual(results.filter((r) => r.id === 10).length, 1)
      assert.strictEqual(results.find((r) => r.id === 10)!.status, "ok")
      assert.strictEqual(fake.calls.filter((call) => call.id === 10).length, 2)
      assert.strictEqual(bulk.summaries[0]!.slowdowns, 1)
      assert.strictEqual(results.length, 40)
    }))

  it.scoped("429s from requests already in flight together slow the run once, without --rate too", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "u.ndjson", ndjson(20))
      // The first four calls are in flight together and all get 429.
      const gate = yield* Deferred.make<void>()
      let arrived = 0
      const fake = makeFake((_, attempt) =>
        attempt > 1 ? Effect.void : Effect.suspend(() =>
          ++arrived <= 4
            ? Effect.zipRight(arrived === 4 ? Deferred.succeed(gate, undefined) : Effect.void, Deferred.await(gate))
              .pipe(Effect.zipRight(rateLimited()))
            : Effect.void
        )
      )
      const bulk = runBulk(fake, { file, concurrency: 4 })
      const exit = yield* drive(yield* Effect.fork(bulk.effect))
      assert.isTrue(Exit.isSuccess(exit))
      assert.strictEqual(bulk.summaries[0]!.slowdowns, 1)
      assert.strictEqual(bulk.summaries[0]!.ok, 20)
      // After the pause no more than one request is in flight at a time at the learned rate... at least none
      // started during the pause.
      const first429 = fake.calls[0]!.at
      assert.isTrue(fake.calls.slice(4).every((call) => call.at >= first429 + 1000))
    }))

  it.scoped("retries of a record are bounded: it is reported once as RateLimited", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "u.ndjson", ndjson(3))
      const fake = makeFake((id) => id === 2 ? rateLimited() : Effect.void)
      const bulk = runBulk(fake, { file, concurrency: 2, maxRateLimitRetries: 3, maxBackoffMillis: 4000 })
      const exit = yield* drive(yield* Effect.fork(bulk.effect), "200 millis")
      assert.isTrue(Exit.isSuccess(exit))
      assert.strictEqual(fake.calls.filter((call) => call.id === 2).length, 4)
      const reported = bulk.results().filter((r) => r.id === 2)
      assert.strictEqual(reported.length, 1)
      assert.strictEqual(reported[0]!.kind, "RateLimited")
      assert.strictEqual(bulk.summaries[0]!.failed, 1)
    }))

  it.scoped("on interruption, requests already sent finish and are reported; queued ones are not sent", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "u.ndjson", ndjson(50))
      const release = yield* Deferred.make<void>()
      const fake = makeFake((id) => id <= 3 ? Effect.void : Deferred.await(release))
      const journal = `${dir}/j`
      const bulk = runBulk(fake, { file, journal, concurrency: 3 })
      const fiber = yield* Effect.fork(bulk.effect)
      yield* until(() => fake.calls.length === 6)
      // The three calls in flight answer 1 s (virtual) after the interruption, well within the 10 s grace.
      yield* Effect.fork(Effect.sleep("1 second").pipe(Effect.zipRight(Deferred.succeed(release, undefined))))
      const interrupting = yield* Effect.fork(Fiber.interrupt(fiber))
      yield* drive(interrupting)
      assert.strictEqual(fake.calls.length, 6)
      assert.deepStrictEqual(bulk.results().map((r) => r.line as number).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6])
      assert.isTrue(bulk.summaries[0]!.interrupted)
      assert.strictEqual(bulk.summaries[0]!.ok, 6)
    }))
})
