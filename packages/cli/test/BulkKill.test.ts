/**
 * Resuming after SIGKILL and Ctrl-C: the built binary runs a 2000-record bulk update with a journal against the
 * emulator, is killed at random moments, and a final run completes it. Nothing is lost, the journal is never left
 * damaged, and records are sent again only when a crash caught them in flight.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import * as path from "node:path"
import {
  type Action,
  type Finished,
  parseResults,
  parseSummary,
  readJournal,
  type Result,
  spawnBinary,
  startEmulator,
  startProxy,
  tempDir,
  waitExit,
  waitUntil
} from "./utils/bulkE2e.js"

const token = "bulk-kill-platform-token"
const records = 2000
const concurrency = 8
// What a SIGKILL can catch sent but not journaled: the requests in flight, the answers buffered between the
// concurrent stage and the writer (Stream.mapEffect's buffer, 16), and the one record printed but not yet journaled.
const atRiskPerKill = concurrency + 16 + 1

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

const sent = (stdout: string) => (stdout.match(/"status":"(ok|error)"/g) ?? []).length

describe("bulk update killed and resumed (the built binary)", () => {
  it.scopedLive(
    "SIGKILL at 3 random moments, then Ctrl-C, then a final run: every record reported, none lost",
    () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const seed = {
          apps: [{ name: "ours", token }],
          users: range(1, records).map((id) => ({
            id,
            name: `User ${id}`,
            email: `user${id}@acme.inc`,
            apps: ["ours"]
          }))
        }
        fs.writeFileSync(path.join(dir, "seed.json"), JSON.stringify(seed))
        fs.writeFileSync(path.join(dir, "token"), token + "\n")
        const url = yield* startEmulator(["--seed", path.join(dir, "seed.json")])
        const proxy = yield* startProxy(url, (): Action => ({ _tag: "Forward" }))
        const file = path.join(dir, "users.ndjson")
        fs.writeFileSync(
          file,
          range(1, records).map((id) => JSON.stringify({ id, name: `Bulk ${id}`, custom_attributes: { bulk: id } }))
            .join("\n") + "\n"
        )
        const journal = path.join(dir, "users.journal")
        const args = [
          "--url",
          proxy.url,
          "--token-file",
          path.join(dir, "token"),
          "users",
          "update",
          "--file",
          file,
          "--journal",
          journal,
          "--concurrency",
          String(concurrency),
          // About 3.5 s for the whole file: long enough to be caught mid-run.
          "--rate",
          "600/s"
        ]
        const seedText = `${Date.now()}`
        let random = Number(seedText) % 2147483647
        const nextRandom = () => (random = (random * 48271) % 2147483647) / 2147483647
        const context = `(random seed ${seedText})`

        const reported = new Set<number>() // lines with a final or failed result printed by some run
        let journaled = new Set<number>()
        const timings: Array<string> = []
        const runs: Array<{ signal: string; finished: Finished; results: Array<Result> }> = []

        /** One run, stopped by `signal` once it has printed `after` new results (or run to its end). */
        const runOnce = (signal: "SIGKILL" | "SIGINT" | undefined, after: number) =>
          Effect.scoped(Effect.gen(function*() {
            const t0 = Date.now()
            const logStart = proxy.log.length
            const running = yield* spawnBinary(args)
            if (signal !== undefined) {
              yield* waitUntil(
                () => sent(running.out.stdout) >= after || running.child.exitCode !== null,
                `${after} results ${context}`
              )
              running.child.kill(signal)
            }
            const finished = yield* waitExit(running)
            const results = parseResults(finished.stdout)
            const printedNow = results.filter((result) => result.status !== "skipped").length
            const sendsNow = proxy.log.slice(logStart).filter((request) => request.method === "PATCH").length
            // Sent by this run but never printed: only what the stop caught between the request and the journal.
            const unprinted = sendsNow - printedNow
            if (signal === "SIGKILL") assert.isAtMost(unprinted, atRiskPerKill, context)
            else assert.strictEqual(unprinted, 0, `a drained run left sent records unreported ${context}`)
            timings.push(`${signal ?? "to the end"}: ${Date.now() - t0} ms, ${sendsNow} sent, ${printedNow} printed`)
            runs.push({ signal: signal ?? "none", finished, results })
            // Within one run, each line at most once; the skipped ones are exactly what the journal held.
            const lines = results.map((result) => result.line)
            assert.strictEqual(new Set(lines).size, lines.length, `a line reported twice in one run ${context}`)
            const skipped = results.filter((result) => result.status === "skipped").map((result) => result.line)
            if (signal === undefined || finished.signal === null) {
              assert.deepStrictEqual(new Set(skipped), journaled, `skipped != journal ${context}`)
            } else {
              for (const line of skipped) assert.isTrue(journaled.has(line), `skipped ${line} unjournaled ${context}`)
            }
            for (const result of results) {
              if (result.status === "skipped") continue
              assert.isFalse(journaled.has(result.line), `line ${result.line} was journaled, yet sent again ${context}`)
              assert.strictEqual(result.status, "ok", `${JSON.stringify(result)} ${context}`)
              reported.add(result.line)
            }
            // The journal parses as the engine reads it (a torn last line is tolerated), and holds only lines whose
            // result was printed: it is written after the result.
            const after_ = readJournal(journal).lines
            assert.strictEqual(new Set(after_).size, after_.length, `a line journaled twice ${context}`)
            for (const line of after_) assert.isTrue(reported.has(line), `journaled ${line} never printed ${context}`)
            journaled = new Set(after_)
            return finished
          }))

        // Random moments: after 150..550 new results of each run (of ~2000 left at first).
        for (let kill = 0; kill < 3; kill++) {
          const finished = yield* runOnce("SIGKILL", 150 + Math.floor(nextRandom() * 400))
          assert.strictEqual(finished.signal, "SIGKILL", `${finished.stderr} ${context}`)
        }
        assert.isBelow(journaled.size, records, `the kills came too late to test anything ${context}`)

        // Ctrl-C: the run drains, prints its summary, and flushes the journal: every result it printed is journaled.
        const before = journaled.size
        const interrupted = yield* runOnce("SIGINT", 150)
        // It exits by itself, not by the signal, with 130: a script must not take a run stopped early for a finished one.
        assert.strictEqual(interrupted.signal, null)
        assert.strictEqual(interrupted.code, 130, interrupted.stderr)
        const summary = parseSummary(interrupted.stderr)
        assert.isDefined(summary, interrupted.stderr)
        assert.isTrue(summary!.stoppedEarly, interrupted.stderr)
        const printed = runs.at(-1)!.results
        assert.strictEqual(summary!.ok, printed.filter((result) => result.status === "ok").length)
        assert.strictEqual(summary!.skipped, before)
        for (const result of printed) {
          assert.isTrue(journaled.has(result.line), `line ${result.line} unjournaled after Ctrl-C`)
        }
        assert.strictEqual(journaled.size, before + summary!.ok)

        // The final run completes everything: exit 0, each line once (skipped or ok).
        const last = yield* runOnce(undefined, 0)
        assert.strictEqual(last.code, 0, last.stderr)
        const final = runs.at(-1)!.results.map((result) => result.line).sort((a, b) => a - b)
        assert.deepStrictEqual(final, range(1, records))
        assert.deepStrictEqual(parseSummary(last.stderr)?.total, records)
        assert.strictEqual(journaled.size, records)
        assert.strictEqual(reported.size, records)

        // Every record reached the emulator; again only when a kill caught it unjournaled.
        const sends = new Map<number, number>()
        for (const request of proxy.log) {
          if (request.method === "PATCH") sends.set(request.id!, (sends.get(request.id!) ?? 0) + 1)
        }
        assert.deepStrictEqual([...sends.keys()].sort((a, b) => a - b), range(1, records))
        const extra = [...sends.values()].reduce((sum, n) => sum + n - 1, 0)
        assert.isTrue([...sends.values()].every((n) => n <= 1 + 3), "a record sent more often than there were kills")
        assert.isAtMost(extra, 3 * atRiskPerKill, `sent again: ${extra} ${context}`)
        console.log(`bulk kill: ${extra} records sent twice over 3 SIGKILLs and a Ctrl-C ${context}`)
        console.log(timings.join("\n"))
      }),
    { timeout: 60_000 }
  )
})
