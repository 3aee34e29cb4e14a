import * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import { assert, describe, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as fs from "node:fs"
import { LineSet } from "../src/internal/bulkJournal.js"
import { drive, makeFake, runBulk, tempDir, until, write } from "./BulkUpdateFake.js"

const ndjson = (count: number) =>
  Array.from({ length: count }, (_, i) => `{"id": ${i + 1}, "name": "user ${i + 1}"}`).join("\n") + "\n"

const journalLines = (journal: string) => fs.readFileSync(journal, "utf8").split("\n").slice(1).filter((l) => l !== "")

describe("BulkUpdate journal", () => {
  it.scoped("interrupt midway, rerun: every record covered, finished ones not sent again", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const count = 60
      const file = write(dir, "u.ndjson", ndjson(count))
      const journal = `${dir}/u.journal`
      // First run: the first 20 calls succeed, later ones hang until interrupted.
      const never = yield* Deferred.make<void>()
      let answered = 0
      const first = makeFake(() => answered++ < 20 ? Effect.void : Deferred.await(never))
      const run1 = runBulk(first, { file, journal, concurrency: 4, graceMillis: 1000 })
      const fiber = yield* Effect.fork(run1.effect)
      yield* until(() => first.calls.length >= 24)
      // The 4 hanging calls get `graceMillis` to finish, then are interrupted.
      const interrupting = yield* Effect.fork(Fiber.interrupt(fiber))
      yield* drive(interrupting)
      assert.strictEqual(run1.summaries.length, 1)
      assert.isTrue(run1.summaries[0]!.interrupted)
      const ok1 = run1.results().filter((r) => r.status === "ok").map((r) => r.line as number)
      assert.strictEqual(ok1.length, 20)
      assert.deepStrictEqual(journalLines(journal).map(Number).sort((a, b) => a - b), ok1.sort((a, b) => a - b))

      // Second run: resumes.
      const second = makeFake()
      const run2 = runBulk(second, { file, journal, concurrency: 4 })
      const summary = yield* run2.effect
      assert.strictEqual(summary.skipped, 20)
      assert.strictEqual(summary.ok, count - 20)
      for (const id of ok1) assert.notInclude(second.sentIds(), id)
      const covered = new Set([...ok1, ...run2.results().filter((r) => r.status === "ok").map((r) => r.line as number)])
      assert.strictEqual(covered.size, count)
      assert.deepStrictEqual(
        run2.results().filter((r) => r.status === "skipped").map((r) => r.line as number).sort((a, b) => a - b),
        ok1
      )
      // Third run: nothing left to send.
      const third = makeFake()
      const summary3 = yield* runBulk(third, { file, journal }).effect
      assert.strictEqual(third.calls.length, 0)
      assert.strictEqual(summary3.skipped, count)
    }))

  it.scoped("a torn last line is ignored and cut off before appending", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "u.ndjson", ndjson(15))
      const journal = `${dir}/u.journal`
      yield* runBulk(makeFake(), { file, journal, concurrency: 1 }).effect
      // Simulate a crash while writing "15\n": keep the lines of 1..9 and a torn "1" of the next entry.
      const [header, ...entries] = fs.readFileSync(journal, "utf8").split("\n")
      const kept = entries.filter((l) => l !== "" && Number(l) <= 9)
      fs.writeFileSync(journal, [header, ...kept].join("\n") + "\n1")
      const again = makeFake()
      const summary = yield* runBulk(again, { file, journal, concurrency: 1 }).effect
      assert.strictEqual(summary.skipped, 9)
      assert.deepStrictEqual(again.sentIds().sort((a, b) => a - b), [10, 11, 12, 13, 14, 15])
      // Without the cut, appending "10" after the torn "1" would have written "110".
      assert.deepStrictEqual(
        journalLines(journal).map(Number).sort((a, b) => a - b),
        Array.from({ length: 15 }, (_, i) => i + 1)
      )
    }))

  it.scoped("a journal of another input, or of a changed input, is refused", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const fileA = write(dir, "a.ndjson", ndjson(5))
      const fileB = write(dir, "b.ndjson", ndjson(6))
      const journal = `${dir}/j`
      yield* runBulk(makeFake(), { file: fileA, journal }).effect
      const fake = makeFake()
      const other = yield* Effect.flip(runBulk(fake, { file: fileB, journal }).effect)
      assert.strictEqual(other.reason, "JournalMismatch")
      assert.include(other.message, journal)
      assert.include(other.message, "a.ndjson")
      // Same size, different content.
      fs.writeFileSync(fileA, ndjson(5).replace("user 3", "user X"))
      const changed = yield* Effect.flip(runBulk(fake, { file: fileA, journal }).effect)
      assert.strictEqual(changed.reason, "JournalMismatch")
      assert.include(changed.message, "different content")
      // Same content read as another format.
      const csv = yield* Effect.flip(
        runBulk(fake, { file: fileB, journal: `${dir}/j2` }).effect.pipe(
          Effect.zipRight(runBulk(fake, { file: fileB, journal: `${dir}/j2`, format: "csv" }).effect)
        )
      )
      assert.strictEqual(csv.reason, "JournalMismatch")
      assert.strictEqual(fake.calls.length, 6)
    }))

  it.scoped("a file that is not a journal is neither used nor overwritten", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "u.ndjson", ndjson(3))
      const notJournal = write(dir, "important.txt", "my notes\n")
      const fake = makeFake()
      const error = yield* Effect.flip(runBulk(fake, { file, journal: notJournal }).effect)
      assert.strictEqual(error.reason, "JournalCorrupt")
      assert.strictEqual(fs.readFileSync(notJournal, "utf8"), "my notes\n")
      assert.strictEqual(fake.calls.length, 0)
      // A damaged line in the middle is not a torn write.
      const journal = `${dir}/j`
      yield* runBulk(makeFake(), { file, journal }).effect
      const content = fs.readFileSync(journal, "utf8").split("\n")
      content.splice(2, 0, "garbage")
      fs.writeFileSync(journal, content.join("\n"))
      const damaged = yield* Effect.flip(runBulk(fake, { file, journal }).effect)
      assert.strictEqual(damaged.reason, "JournalCorrupt")
    }))

  it.scoped("transient failures are not journaled, so a rerun retries exactly them", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "u.ndjson", ndjson(6) + `{"id": 7, "email": "bad"}\n`)
      const journal = `${dir}/j`
      const first = makeFake((id) =>
        id === 2
          ? Effect.fail(new PlatformUsersError.ServerError({ operation: "update", status: 503 }))
          : id === 4
          ? Effect.fail(
            new PlatformUsersError.TransportError({ operation: "update", reason: "Timeout", detail: "30s" })
          )
          : id === 5
          ? Effect.fail(new PlatformUsersError.NotFound({ operation: "update", resource: "user", id: id as never }))
          : Effect.void
      )
      const summary1 = yield* runBulk(first, { file, journal }).effect
      assert.deepStrictEqual([summary1.ok, summary1.failed, summary1.invalid], [3, 3, 1])
      const second = makeFake()
      const summary2 = yield* runBulk(second, { file, journal }).effect
      assert.deepStrictEqual(second.sentIds().sort(), [2, 4])
      assert.deepStrictEqual([summary2.ok, summary2.skipped], [2, 5])
    }))
})

describe("LineSet", () => {
  it("matches a plain Set whatever the insertion order, and folds runs into intervals", () => {
    let seed = 42
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    const set = new LineSet()
    const reference = new Set<number>()
    for (let i = 0; i < 5000; i++) {
      const n = 1 + Math.floor(random() * 3000)
      set.add(n)
      reference.add(n)
    }
    for (let n = 0; n <= 3001; n++) assert.strictEqual(set.has(n), reference.has(n), String(n))
    assert.strictEqual(set.size, reference.size)

    const ordered = new LineSet()
    for (let n = 1; n <= 100_000; n++) if (n !== 500) ordered.add(n)
    assert.strictEqual(ordered.intervals, 2)
    ordered.add(500)
    assert.strictEqual(ordered.intervals, 1)
    assert.strictEqual(ordered.size, 100_000)
  })
})
