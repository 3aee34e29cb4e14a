/**
 * Bulk runs of the built binary as a child process against `chatwoot-platform emulator` over loopback, with trouble
 * injected (bad records, unknown and foreign ids, a 429 storm, a slow server): every record is reported exactly once,
 * the summary adds up, and only final outcomes are journaled.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import * as path from "node:path"
import {
  type Action,
  parseResults,
  parseSummary,
  readJournal,
  type Result,
  runBinary,
  startEmulator,
  startProxy,
  tempDir,
  tooManyRequests
} from "./utils/bulkE2e.js"

const token = "bulk-e2e-platform-token"

/** Users 1..count belong to our app; 900 and 901 to another one. */
const writeSeed = (dir: string, count: number) => {
  const users = Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    name: `User ${i + 1}`,
    email: `user${i + 1}@acme.inc`,
    apps: ["ours"]
  }))
  users.push({ id: 900, name: "Theirs", email: "theirs@acme.inc", apps: ["theirs"] })
  users.push({ id: 901, name: "Theirs 2", email: "theirs2@acme.inc", apps: ["theirs"] })
  const seed = { apps: [{ name: "ours", token }, { name: "theirs", token: "their-platform-token" }], users }
  const file = path.join(dir, "seed.json")
  fs.writeFileSync(file, JSON.stringify(seed))
  fs.writeFileSync(path.join(dir, "token"), token + "\n")
  return file
}

/** Each record line reported exactly once; returns the results by line. */
const exactlyOnce = (results: ReadonlyArray<Result>, expected: ReadonlyArray<number>): Map<number, Result> => {
  const byLine = new Map<number, Result>()
  for (const result of results) {
    assert.isFalse(byLine.has(result.line), `line ${result.line} reported twice`)
    byLine.set(result.line, result)
  }
  assert.deepStrictEqual([...byLine.keys()].sort((a, b) => a - b), [...expected].sort((a, b) => a - b))
  return byLine
}

const ndjson = (ids: ReadonlyArray<number>, tag: string) =>
  ids.map((id) => JSON.stringify({ id, name: `${tag} ${id}`, custom_attributes: { [tag]: id } })).join("\n") + "\n"

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe("bulk update end to end (the built binary against the emulator)", () => {
  it.scopedLive("valid, unreadable, invalid, unknown and foreign records mixed: each reported once, by kind", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const url = yield* startEmulator(["--seed", writeSeed(dir, 20)])
      const rows: Array<[string, string]> = [
        [JSON.stringify({ id: 1, name: "One", custom_attributes: { wave: 1 } }), "ok"],
        ["{\"id\": 2, \"name\": \"Two\"", "Parse"],
        [JSON.stringify({ id: 3, nickname: "x" }), "Validation"],
        [JSON.stringify({ id: 4, email: "not-an-email" }), "Validation"],
        [JSON.stringify({ id: 5, password: "weak" }), "Validation"],
        [JSON.stringify({ id: 404, name: "Nobody" }), "NotFound"],
        [JSON.stringify({ id: 900, name: "Not ours" }), "Unauthorized"],
        ["", "blank"],
        [JSON.stringify({ id: 6, email: "user1@acme.inc" }), "Validation"], // taken: Chatwoot's 422
        [JSON.stringify({ id: 0, name: "Zero" }), "Validation"],
        ["[1, 2]", "Parse"],
        [JSON.stringify({ id: 7, password: "N3w$ecret!x" }), "ok"],
        [JSON.stringify({ id: 901, custom_attributes: { a: 1 } }), "Unauthorized"],
        [JSON.stringify({ id: 405, email: "x@acme.inc" }), "NotFound"],
        ...range(8, 20).map((id): [string, string] => [JSON.stringify({ id, custom_attributes: { wave: id } }), "ok"])
      ]
      const text = rows.map(([row]) => row).join("\n") + "\n"
      const file = path.join(dir, "mixed.ndjson")
      fs.writeFileSync(file, text)
      const expected = new Map(rows.flatMap(([, kind], i) => kind === "blank" ? [] : [[i + 1, kind] as const]))
      const journal = path.join(dir, "mixed.journal")
      const args = ["--url", url, "--token-file", path.join(dir, "token"), "users", "update", "--file", file]

      const run = yield* runBinary([...args, "--concurrency", "4", "--journal", journal])
      assert.strictEqual(run.code, 11, run.stderr)
      assert.notInclude(run.stdout + run.stderr, "N3w$ecret")
      assert.notInclude(run.stdout + run.stderr, token)
      const byLine = exactlyOnce(parseResults(run.stdout), [...expected.keys()])
      for (const [line, kind] of expected) {
        const result = byLine.get(line)!
        if (kind === "ok") assert.strictEqual(result.status, "ok", `line ${line}: ${JSON.stringify(result)}`)
        else assert.strictEqual(result.kind, kind, `line ${line}: ${JSON.stringify(result)}`)
      }
      const count = (kind: string) => [...expected.values()].filter((k) => k === kind).length
      const invalid = count("Parse") + 4 // unknown field, bad email, weak password, id 0: rejected before sending
      assert.deepStrictEqual(parseSummary(run.stderr), {
        total: expected.size,
        ok: count("ok"),
        failed: expected.size - count("ok") - invalid,
        invalid,
        skipped: 0,
        stoppedEarly: false
      })
      // Every outcome here is final (ok, rejected, 404, 422, NonPermissibleResource): all journaled, once each.
      const written = readJournal(journal).lines
      assert.deepStrictEqual([...written].sort((a, b) => a - b), [...expected.keys()])

      // The updates took effect.
      const tokenFile = path.join(dir, "token")
      const got = yield* runBinary(["--url", url, "--token-file", tokenFile, "--json", "users", "get", "20"])
      assert.strictEqual(got.code, 0, got.stderr)
      assert.deepStrictEqual(JSON.parse(got.stdout).custom_attributes, { wave: 20 })

      // A rerun with the same journal sends nothing and skips every record once.
      const rerun = yield* runBinary([...args, "--journal", journal])
      assert.strictEqual(rerun.code, 0, rerun.stderr)
      const skipped = exactlyOnce(parseResults(rerun.stdout), [...expected.keys()])
      assert.isTrue([...skipped.values()].every((result) => result.status === "skipped"))
      assert.deepStrictEqual(parseSummary(rerun.stderr), {
        total: expected.size,
        ok: 0,
        failed: 0,
        invalid: 0,
        skipped: expected.size,
        stoppedEarly: false
      })
    }))

  it.scopedLive("global options anywhere: users update --file team.ndjson --concurrency 8 --json, and after it --url", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const records = 12
      const url = yield* startEmulator(["--seed", writeSeed(dir, records)])
      const token = ["--token-file", path.join(dir, "token")]
      const file = path.join(dir, "team.ndjson")
      const placements: ReadonlyArray<ReadonlyArray<string>> = [
        ["--url", url, ...token, "users", "update", "--file", file, "--concurrency", "8", "--json"],
        ["users", "update", "--file", file, "--concurrency", "8", "--json", "--url", url, ...token],
        ["users", "--json", "update", `--url=${url}`, "--file", file, ...token, "--concurrency", "8"],
        ["--json", "users", "update", "--concurrency", "8", "--url", url, "--file", file, ...token]
      ]
      for (const [index, args] of placements.entries()) {
        const tag = `wave${index}`
        fs.writeFileSync(file, ndjson(range(1, records), tag))
        const run = yield* runBinary(args)
        assert.strictEqual(run.code, 0, `${args.join(" ")}: ${run.stderr}`)
        const byLine = exactlyOnce(parseResults(run.stdout), range(1, records))
        assert.isTrue([...byLine.values()].every((result) => result.status === "ok"), run.stdout)
        assert.strictEqual(parseSummary(run.stderr)?.ok, records)
        // The emulator has this wave's names: the run reached it with the URL and token given after the command.
        const user = yield* runBinary(["users", "get", String(records), "--json", "--url", url, ...token])
        assert.strictEqual(user.code, 0, user.stderr)
        assert.strictEqual(JSON.parse(user.stdout).name, `${tag} ${records}`)
        assert.strictEqual(JSON.parse(user.stdout).custom_attributes[tag], records)
      }
    }))

  it.scopedLive("a 429 storm slows the run down; every record is applied once and reported ok once", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const records = 40
      const url = yield* startEmulator(["--seed", writeSeed(dir, records)])
      // After 10 updates, every request gets Rack::Attack's 429 for 3 s (counted from the first 429).
      let updates = 0
      let stormStarted: number | undefined
      const proxy = yield* startProxy(url, (request): Action => {
        if (request.method !== "PATCH") return { _tag: "Forward" }
        if (stormStarted === undefined && ++updates > 10) stormStarted = Date.now()
        return stormStarted !== undefined && Date.now() - stormStarted < 3000 ? tooManyRequests : { _tag: "Forward" }
      })
      const file = path.join(dir, "storm.ndjson")
      fs.writeFileSync(file, ndjson(range(1, records), "storm"))
      // --rate sets the ceiling the run climbs back to after the slowdown (without it, the rate the storm hit).
      const run = yield* runBinary(
        ["--url", proxy.url, "--token-file", path.join(dir, "token"), "users", "update", "--file", file]
          .concat(["--concurrency", "8", "--rate", "40/s"])
      )
      assert.strictEqual(run.code, 0, run.stderr)
      const byLine = exactlyOnce(parseResults(run.stdout), range(1, records))
      assert.isTrue([...byLine.values()].every((result) => result.status === "ok"))
      const summary = parseSummary(run.stderr)
      assert.deepStrictEqual(summary, {
        total: records,
        ok: records,
        failed: 0,
        invalid: 0,
        skipped: 0,
        stoppedEarly: false
      })
      // The storm outlasted the client's own retries of the first requests it hit, so the whole run slowed down.
      assert.match(run.stderr, /slowed down \d+x by 429/)
      assert.isAbove(proxy.log.filter((request) => request.action === "Respond").length, 8)
      // A 429 is not applied: each record reached the emulator exactly once.
      const forwarded = proxy.log.filter((request) => request.action === "Forward" && request.method === "PATCH")
      assert.deepStrictEqual(forwarded.map((request) => request.id!).sort((a, b) => a - b), range(1, records))
    }))

  it.scopedLive("slow answers past CHATWOOT_TIMEOUT fail once as TransportError; a rerun sends only those", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const records = 30
      const url = yield* startEmulator(["--seed", writeSeed(dir, records)])
      const slow = (id: number) => id % 5 === 0
      // The answers for ids 5, 10, ... come 3 s late: past the 1 s timeout of both attempts.
      const proxy = yield* startProxy(
        url,
        (request): Action =>
          request.id !== undefined && slow(request.id) ? { _tag: "Forward", delayMillis: 3000 } : { _tag: "Forward" }
      )
      const file = path.join(dir, "slow.ndjson")
      fs.writeFileSync(file, ndjson(range(1, records), "slow"))
      const journal = path.join(dir, "slow.journal")
      const args = ["--token-file", path.join(dir, "token"), "users", "update", "--file", file, "--journal", journal]
      const env = { CHATWOOT_TIMEOUT: "1 second", CHATWOOT_RETRIES: "1" }
      const run = yield* runBinary(["--url", proxy.url, ...args, "--concurrency", "8"], env)
      assert.strictEqual(run.code, 11, run.stderr)
      const byLine = exactlyOnce(parseResults(run.stdout), range(1, records))
      const slowLines = range(1, records).filter(slow)
      for (const [line, result] of byLine) {
        if (slow(line)) {
          assert.strictEqual(result.kind, "TransportError", JSON.stringify(result))
          assert.match(result.message!, /time/i)
        } else assert.strictEqual(result.status, "ok", JSON.stringify(result))
      }
      assert.deepStrictEqual(parseSummary(run.stderr), {
        total: records,
        ok: records - slowLines.length,
        failed: slowLines.length,
        invalid: 0,
        skipped: 0,
        stoppedEarly: false
      })
      // Each slow record was tried twice (CHATWOOT_RETRIES=1), the others once.
      for (const id of range(1, records)) {
        assert.strictEqual(proxy.log.filter((request) => request.id === id).length, slow(id) ? 2 : 1, `id ${id}`)
      }
      // A transport failure is not final: not journaled, so the rerun (now straight to the emulator) sends those only.
      const journaled = readJournal(journal).lines.sort((a, b) => a - b)
      assert.deepStrictEqual(journaled, range(1, records).filter((id) => !slow(id)))
      const rerun = yield* runBinary(["--url", url, ...args], env)
      assert.strictEqual(rerun.code, 0, rerun.stderr)
      const again = exactlyOnce(parseResults(rerun.stdout), range(1, records))
      for (const [line, result] of again) assert.strictEqual(result.status, slow(line) ? "ok" : "skipped")
      assert.deepStrictEqual(readJournal(journal).lines.sort((a, b) => a - b), range(1, records))
    }))
})
