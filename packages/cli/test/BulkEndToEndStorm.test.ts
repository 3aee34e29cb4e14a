/**
 * The long 429 storm, in process under the TestClock: the bulk engine over the live HTTP client answered by the
 * emulator's handler with Chatwoot's rate limit (a fixed one-minute window). The binary test of a storm is short;
 * this one lets a whole minute of 429s pass in virtual time.
 */
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import * as PlatformUsersEmulator from "@chatwoot-effect/http/PlatformUsersEmulator"
import * as PlatformUsersHttp from "@chatwoot-effect/http/PlatformUsersHttp"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as BulkUpdate from "../src/BulkUpdate.js"
import { drive, tempDir, write } from "./BulkUpdateFake.js"

const token = "storm-platform-token"

describe("bulk update through a minute-long 429 storm (in process, TestClock)", () => {
  it.scoped("60 records, 30 allowed a minute, concurrency 8: each reported once, ok exactly when applied", () =>
    Effect.gen(function*() {
      const records = 60
      const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({
        apps: [{ name: "ours", token }],
        users: Array.from({ length: records }, (_, i) => ({
          id: i + 1,
          name: `User ${i + 1}`,
          email: `user${i + 1}@acme.inc`,
          apps: ["ours"]
        }))
      }))
      const emulator = yield* PlatformUsersEmulator.make({ seed, rateLimit: 30, rateLimitBy: "global" })
      const dir = yield* tempDir
      const file = write(
        dir,
        "storm.ndjson",
        Array.from({ length: records }, (_, i) => JSON.stringify({ id: i + 1, custom_attributes: { storm: i + 1 } }))
          .join("\n") + "\n"
      )
      const lines: Array<string> = []
      const summaries: Array<BulkUpdate.BulkSummary> = []
      const layer = Layer.merge(
        PlatformUsersHttp.layerWithHttpClient({ baseUrl: "http://chatwoot.test", apiAccessToken: Redacted.make(token) })
          .pipe(
            Layer.provide(PlatformUsersEmulator.layerHttpClient(emulator))
          ),
        NodeFileSystem.layer
      )
      const startedAt = yield* Clock.currentTimeMillis
      const fiber = yield* BulkUpdate.run({
        file,
        concurrency: 8,
        dryRun: false,
        progress: false,
        output: (line) => Effect.sync(() => void lines.push(line)),
        summary: (summary) => Effect.sync(() => void summaries.push(summary))
      }).pipe(Effect.provide(layer), Effect.fork)
      const exit = yield* drive(fiber, "250 millis")
      assert.isTrue(Exit.isSuccess(exit), String(exit))
      const elapsed = (yield* Clock.currentTimeMillis) - startedAt

      const results = lines.map((line) => JSON.parse(line) as BulkUpdate.BulkResult)
      const seen = results.map((result) => result.line)
      assert.strictEqual(new Set(seen).size, seen.length, "a record reported twice")
      assert.deepStrictEqual([...seen].sort((a, b) => a - b), Array.from({ length: records }, (_, i) => i + 1))
      for (const result of results) {
        if (result.status !== "ok") assert.strictEqual(result.status === "error" && result.kind, "RateLimited")
      }
      const ok = results.filter((result) => result.status === "ok").length
      const summary = summaries[0]!
      assert.strictEqual(summaries.length, 1)
      assert.deepStrictEqual(
        { total: summary.total, ok: summary.ok, failed: summary.failed, invalid: summary.invalid },
        { total: records, ok, failed: records - ok, invalid: 0 }
      )
      // The first window lets 30 through; the run slowed down for the rest and outlived the window.
      assert.isAtLeast(ok, 30)
      assert.isAtLeast(summary.slowdowns, 1)
      assert.isAbove(elapsed, 60_000)
      // A record reported ok was applied; one reported RateLimited never reached the user (a 429 applies nothing).
      for (const result of results) {
        const user = Option.getOrThrow(yield* emulator.memory.user(result.line))
        assert.strictEqual(
          user.custom_attributes.storm,
          result.status === "ok" ? result.line : undefined,
          JSON.stringify(result)
        )
      }
      console.log(
        `429 storm: ${ok} ok, ${records - ok} RateLimited, ${summary.slowdowns} slowdowns, ${elapsed / 1000}s virtual`
      )
    }))
})
