/**
 * End to end: the built binary provisions a 2,000-person HR file into account 1 of an emulator served in this test
 * process, which counts every request that reaches its socket (node:http's diagnostics channel, filtered by port).
 * The file has 1% bad rows, each reported while the rest is done; a rerun changes nothing and sends exactly one
 * request per person; a run killed with SIGKILL and resumed with its journal loses nothing; a prune dry run lists
 * exactly who would go and writes nothing, the real prune removes exactly them (memberships only, administrators
 * kept); nothing outside account 1 is touched. And one person, provisioned with an SSO link.
 */
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import * as PlatformUsersEmulator from "@chatwoot-effect/http/PlatformUsersEmulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as DiagnosticsChannel from "node:diagnostics_channel"
import * as fs from "node:fs"
import type * as Http from "node:http"
import type * as Net from "node:net"
import * as path from "node:path"
import { type Finished, runBinary, spawnBinary, tempDir, waitExit, waitUntil } from "./utils/bulkE2e.js"

const TOKEN = "ProvisionE2ePlatformTok1"
const OTHER = "ProvisionE2eOtherAppTok1"
const people = 2000
const concurrency = 16
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

// Person i is on line i + 1 (the header is line 1). Every hundredth row, from 50, is bad: 20 rows, 1%.
const badKinds = ["email", "role", "json"] as const
const badKind = (i: number) => i % 100 === 50 ? badKinds[Math.floor(i / 100) % 3] : undefined
const good = range(1, people).filter((i) => badKind(i) === undefined)
const email = (i: number) => `person${i}@acme.inc`
// Leavers: agents of account 1 the file does not list (the first ten are also members of account 2).
const leavers = range(5001, 5100)
const BOSS = 5200

const seedJson = {
  apps: [{ name: "hr", token: TOKEN }, { name: "other", token: OTHER }],
  accounts: [
    { id: 1, name: "Support", apps: ["hr"] },
    { id: 2, name: "Sales", apps: ["hr"] },
    { id: 3, name: "Theirs", apps: ["other"] }
  ],
  users: [
    // People of the file who already exist, held by no app and as the file wants them (with more it does not
    // name): claimed.
    ...range(1, 50).map((i) => ({
      id: 10_000 + i,
      name: `Person ${i}`,
      email: email(i),
      custom_attributes: { employee_id: i, hired: 2020 }
    })),
    ...leavers.map((id) => ({
      id,
      name: `Leaver ${id}`,
      email: `leaver${id}@acme.inc`,
      custom_attributes: { left: true },
      apps: ["hr"],
      accounts: id < 5011 ? [{ id: 1, role: "agent" }, { id: 2, role: "agent" }] : [{ id: 1, role: "agent" }]
    })),
    {
      id: BOSS,
      name: "Boss",
      email: "boss@acme.inc",
      apps: ["hr"],
      accounts: [{ id: 1, role: "administrator" }]
    },
    ...range(6001, 6020).map((id) => ({
      id,
      name: `Sales ${id}`,
      email: `sales${id}@acme.inc`,
      apps: ["hr"],
      accounts: [{ id: 2, role: "agent" }]
    })),
    ...range(7001, 7005).map((id) => ({
      id,
      name: `Theirs ${id}`,
      email: `theirs${id}@acme.inc`,
      apps: ["other"],
      accounts: [{ id: 3, role: "agent" }]
    }))
  ]
}

const csv = (version: string) =>
  "email,name,display_name,account_id,role,custom_attributes,action\n" +
  range(1, people).map((i) => {
    const kind = badKind(i)
    const address = kind === "email" ? `person${i}.acme.inc` : email(i)
    const role = kind === "role" ? "boss" : i % 250 === 0 ? "administrator" : "agent"
    const attributes = kind === "json" ? "{bad" : `"{""employee_id"":${i}}"`
    return `${address},Person ${i}${version},,1,${role},${attributes},`
  }).join("\n") + "\n"

interface Request {
  readonly method: string
  readonly url: string
}

// The requests that reached the emulator's socket (its port only: tests run side by side).
const recordRequests = (url: string) => {
  const port = Number(new URL(url).port)
  const log: Array<Request> = []
  const onStart = (message: unknown) => {
    const { request, server } = message as { readonly request: Http.IncomingMessage; readonly server?: Net.Server }
    const address = server?.address()
    if (typeof address === "object" && address !== null && address.port === port) {
      log.push({ method: request.method ?? "", url: request.url ?? "" })
    }
  }
  return Effect.acquireRelease(
    Effect.sync(() => {
      DiagnosticsChannel.subscribe("http.server.request.start", onStart)
      return log
    }),
    () => Effect.sync(() => DiagnosticsChannel.unsubscribe("http.server.request.start", onStart))
  )
}

type Line = Record<string, unknown> & { readonly line: number | null; readonly id: unknown; readonly status: string }

/** Complete result lines (a SIGKILL may leave a torn last one). */
const results = (stdout: string): Array<Line> =>
  stdout.slice(0, stdout.lastIndexOf("\n") + 1).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Line)

const count = (lines: ReadonlyArray<Line>, status: string) => lines.filter((line) => line.status === status).length

const fileLines = (lines: ReadonlyArray<Line>) => lines.filter((line) => line.line !== null)

describe("provision end to end (the built binary against an emulator in this process)", () => {
  it.scopedLive(
    "2,000 people with 1% bad rows, a rerun, SIGKILL and resume, a prune dry run and the prune",
    () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed(seedJson))
        const { emulator, url } = yield* PlatformUsersEmulator.serve({ host: "127.0.0.1", port: 0, seed })
        const memory = emulator.memory
        const log = yield* recordRequests(url)
        const tokenFile = path.join(dir, "token")
        fs.writeFileSync(tokenFile, `${TOKEN}\n`)
        const team = path.join(dir, "team.csv")
        fs.writeFileSync(team, csv(""))
        const cli = (args: ReadonlyArray<string>, ms = 60_000) =>
          runBinary(["--url", url, "--token-file", tokenFile, ...args], {}, ms)
        const timings: Array<string> = []
        const timed = <A, E, R>(label: string, effect: Effect.Effect<A, E, R>) =>
          Effect.gen(function*() {
            const t0 = Date.now()
            const sentBefore = log.length
            const value = yield* effect
            timings.push(`${label}: ${Date.now() - t0} ms, ${log.length - sentBefore} requests`)
            return value
          })
        const members = (accountId: number) =>
          Effect.map(
            memory.accountUsers(accountId),
            (rows) => rows.map((row) => `${row.user_id}:${row.role ?? "agent"}`).sort()
          )
        // What must never change: accounts 2 and 3, and every user the file does not name (but for memberships of
        // account 1).
        const outside = Effect.gen(function*() {
          const users = (yield* memory.users).filter((user) => !/^person\d+@/.test(user.email)).map((user) => ({
            ...user,
            accounts: user.accounts.filter((membership) => membership.id !== 1)
          }))
          return JSON.stringify({ two: yield* members(2), three: yield* members(3), users })
        })
        const outsideBefore = yield* outside

        // 1. The file: 1,980 people done, the 20 bad rows each reported with its line and kind.
        const first = yield* timed("first run", cli(["provision", "--file", team, "--concurrency", `${concurrency}`]))
        assert.strictEqual(first.code, 11, first.stderr)
        const firstLines = results(first.stdout)
        assert.strictEqual(firstLines.length, people)
        const errors = firstLines.filter((line) => line.status === "error")
        assert.deepStrictEqual(
          errors.map((line) => line.line as number).sort((a, b) => a - b),
          range(1, people).filter((i) => badKind(i) !== undefined).map((i) => i + 1)
        )
        for (const line of errors) {
          const kind = badKind((line.line as number) - 1)
          assert.strictEqual(line.kind, kind === "json" ? "Parse" : "Validation", JSON.stringify(line))
          if (kind === "role") assert.include(line.message as string, "role must be")
          if (kind === "email") assert.include(line.message as string, "email: Email is invalid")
        }
        // The seeded people 1..50 are claimed, but for person 50, whose row is bad.
        assert.deepStrictEqual([count(firstLines, "created"), count(firstLines, "claimed")], [good.length - 49, 49])
        assert.match(
          first.stderr,
          new RegExp(`^bulk provision: 2000 records: ${good.length - 49} created, 49 claimed, 0 updated`, "m")
        )
        const firstRequests = log.length
        // A new person: create and membership, 2 requests.
        assert.strictEqual(firstRequests, 2 * good.length)
        const support = new Set(yield* members(1))
        const made = new Map((yield* memory.users).map((user) => [user.email, user]))
        for (const i of good) {
          const user = made.get(email(i))
          assert.isDefined(user, email(i))
          assert.isTrue(support.has(`${user!.id}:${i % 250 === 0 ? "administrator" : "agent"}`), email(i))
        }

        // 2. The rerun: everything unchanged, exactly one request per person (the create), nothing changed.
        const state = JSON.stringify(yield* memory.users) + JSON.stringify(yield* members(1))
        const rerunStart = log.length
        const rerun = yield* timed("rerun", cli(["provision", "--file", team, "--concurrency", `${concurrency}`]))
        assert.strictEqual(rerun.code, 11, rerun.stderr)
        const rerunLines = results(rerun.stdout)
        assert.strictEqual(count(rerunLines, "unchanged"), good.length)
        assert.strictEqual(count(rerunLines, "error"), people - good.length)
        const rerunRequests = log.slice(rerunStart)
        assert.strictEqual(rerunRequests.length, good.length)
        assert.isTrue(rerunRequests.every((r) => r.method === "POST" && r.url === "/platform/api/v1/users"))
        assert.strictEqual(JSON.stringify(yield* memory.users) + JSON.stringify(yield* members(1)), state)
        assert.match(rerun.stderr, new RegExp(`in [0-9.]+s, ${good.length} requests$`, "m"))

        // 3. A change for everyone, killed with SIGKILL mid-run, then resumed with the same journal: nothing lost.
        const v2 = path.join(dir, "team-v2.csv")
        fs.writeFileSync(v2, csv(" v2"))
        const journal = path.join(dir, "team.journal")
        const args = [
          "--url",
          url,
          "--token-file",
          tokenFile,
          "provision",
          "--file",
          v2,
          "--journal",
          journal,
          "--concurrency",
          "8",
          // About 3 s for the file: long enough to be caught mid-run.
          "--rate",
          "700/s"
        ]
        const killedStart = log.length
        const killed: Finished = yield* timed(
          "killed run",
          Effect.scoped(Effect.gen(function*() {
            const running = yield* spawnBinary(args)
            yield* waitUntil(
              () => results(running.out.stdout).length >= 600 || running.child.exitCode !== null,
              "600 results before the kill"
            )
            running.child.kill("SIGKILL")
            return yield* waitExit(running)
          }))
        )
        assert.strictEqual(killed.signal, "SIGKILL", killed.stderr)
        const killedLines = results(killed.stdout)
        assert.isBelow(killedLines.length, people, "the kill came too late to test anything")
        const journaled = new Set(
          fs.readFileSync(journal, "utf8").split("\n").slice(1).filter((l) => /^\d+$/.test(l)).map(Number)
        )
        assert.isAbove(journaled.size, 0, "nothing was journaled before the kill")
        // The journal holds only lines whose result was printed.
        const printed = new Set(killedLines.map((line) => line.line))
        for (const line of journaled) assert.isTrue(printed.has(line), `journaled ${line} never printed`)
        const killedCreates = log.slice(killedStart).filter((r) => r.method === "POST").length

        const resumeStart = log.length
        const resumed = yield* timed("resume", runBinary(args, {}, 60_000))
        const resumedLines = results(resumed.stdout)
        const byLine = new Map<number, Line>()
        for (const line of resumedLines) {
          assert.isFalse(byLine.has(line.line as number), `line ${line.line} reported twice`)
          byLine.set(line.line as number, line)
        }
        assert.deepStrictEqual([...byLine.keys()].sort((a, b) => a - b), range(2, people + 1))
        const skipped = resumedLines.filter((line) => line.status === "skipped").map((line) => line.line as number)
        assert.deepStrictEqual(new Set(skipped), journaled)
        assert.strictEqual(resumed.code, count(resumedLines, "error") > 0 ? 11 : 0, resumed.stderr)
        // Every good person was updated by one run or the other; a record the kill caught in flight is unchanged now.
        const killedByLine = new Map(killedLines.map((line) => [line.line, line]))
        for (const i of good) {
          const line = byLine.get(i + 1)!
          const status = line.status === "skipped" ? killedByLine.get(i + 1)!.status : line.status
          assert.include(["updated", "unchanged"], status, `${email(i)}: ${JSON.stringify(line)}`)
        }
        const users = new Map((yield* memory.users).map((user) => [user.email, user]))
        for (const i of good) assert.strictEqual(users.get(email(i))!.name, `Person ${i} v2`, email(i))
        // Sent again only what the kill caught unjournaled (in flight, or answered but not yet printed).
        const resumeCreates = log.slice(resumeStart).filter((r) => r.method === "POST").length
        const again = killedCreates + resumeCreates - good.length
        assert.isAtLeast(again, 0)
        assert.isAtMost(again, 8 + 64, `sent again: ${again}`)
        timings.push(`resume: ${again} people sent twice after the kill`)

        // 4. The prune dry run: exactly the leavers would go, the boss is kept, and nothing is written.
        const dryStart = log.length
        const dry = yield* timed(
          "prune dry run",
          cli(["provision", "--file", v2, "--prune", "1", "--dry-run", "--concurrency", `${concurrency}`])
        )
        assert.strictEqual(dry.code, 11, dry.stderr)
        assert.isTrue(log.slice(dryStart).every((r) => r.method === "GET"), "a dry run sent a write")
        const dryLines = results(dry.stdout)
        const dryPrune = dryLines.filter((line) => line.line === null)
        assert.deepStrictEqual(
          dryPrune.filter((line) => line.status === "removed").map((line) => line.id as number).sort((a, b) => a - b),
          leavers
        )
        assert.isTrue(dryPrune.every((line) => line.dryRun === true))
        assert.deepStrictEqual(
          dryPrune.filter((line) => line.status !== "removed").map((line) => [line.id, line.status, line.prune]),
          [[BOSS, "unchanged", "kept_administrator"]]
        )
        // Every person of the file is a member this app reads now: each decided (unchanged), none undecided.
        assert.strictEqual(count(fileLines(dryLines), "unchanged"), good.length)
        assert.strictEqual(count(dryLines, "undecided"), 0)
        assert.match(dry.stderr, /dry run, no write sent\): 2101 records would be: 0 updated, 0 role_changed, 1981/)

        // 5. The prune: the leavers' memberships of account 1 go, nothing else.
        const pruneStart = log.length
        const prune = yield* timed(
          "prune",
          cli(["provision", "--file", v2, "--prune", "1", "--concurrency", `${concurrency}`])
        )
        assert.strictEqual(prune.code, 11, prune.stderr)
        const pruneLines = results(prune.stdout).filter((line) => line.line === null)
        assert.deepStrictEqual(
          pruneLines.filter((line) => line.status === "removed").map((line) => line.id as number).sort((a, b) => a - b),
          leavers
        )
        const pruneRequests = log.slice(pruneStart)
        // One create per person, one list, one read per member not in the file, one remove per leaver.
        assert.strictEqual(pruneRequests.filter((r) => r.method === "POST").length, good.length)
        assert.strictEqual(pruneRequests.filter((r) => r.method === "GET").length, 1 + leavers.length + 1)
        const removes = pruneRequests.filter((r) => r.method === "DELETE")
        assert.strictEqual(removes.length, leavers.length)
        assert.isTrue(removes.every((r) => r.url.startsWith("/platform/api/v1/accounts/1/account_users?user_id=")))
        const after = new Set(yield* members(1))
        for (const id of leavers) assert.isFalse(after.has(`${id}:agent`), `leaver ${id} still a member`)
        assert.isTrue(after.has(`${BOSS}:administrator`))
        assert.strictEqual(after.size, good.length + 1)
        // Outside account 1 nothing changed: account 2 (the first leavers too) and 3, every other user as it was.
        assert.strictEqual(yield* outside, outsideBefore)

        console.log(`provision e2e (${people} people, concurrency ${concurrency}):\n${timings.join("\n")}`)
      }),
    { timeout: 180_000 }
  )

  it.scopedLive("one person, with an SSO login link; the user's accounts show the membership", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed(seedJson))
      const { url } = yield* PlatformUsersEmulator.serve({
        host: "127.0.0.1",
        port: 0,
        seed,
        frontendUrl: "https://chat.acme.inc"
      })
      const log = yield* recordRequests(url)
      const tokenFile = path.join(dir, "token")
      fs.writeFileSync(tokenFile, `${TOKEN}\n`)
      const cli = (args: ReadonlyArray<string>) => runBinary(["--url", url, "--token-file", tokenFile, ...args])
      const argv = ["provision", "--email", "Dana@Acme.inc", "--name", "Dana", "--account", "1", "--login-url"]
      const made = yield* cli(["--json", ...argv])
      assert.strictEqual(made.code, 0, made.stderr)
      const result = JSON.parse(made.stdout)
      assert.deepStrictEqual(
        [result.status, result.user, result.membership, result.role, result.requests],
        ["created", "created", "added", "agent", 3]
      )
      assert.match(result.login_url, /^https:\/\/chat\.acme\.inc\/app\/login\?email=dana%40acme\.inc&sso_auth_token=/)
      // Create, membership, link.
      assert.deepStrictEqual(log.map((r) => r.method), ["POST", "POST", "GET"])
      const shown = yield* cli(["--json", "users", "get", String(result.user_id)])
      assert.strictEqual(shown.code, 0, shown.stderr)
      assert.deepStrictEqual(
        JSON.parse(shown.stdout).accounts.map((a: { id: number; role: string }) => [a.id, a.role]),
        [[1, "agent"]]
      )
      // Again, in text: unchanged twice, one request (and the link).
      const before = log.length
      const again = yield* cli(argv.filter((arg) => arg !== "--login-url"))
      assert.strictEqual(again.code, 0, again.stderr)
      assert.include(again.stdout, `unchanged: user ${result.user_id} (dana@acme.inc) already as wanted`)
      assert.include(again.stdout, "unchanged: already agent of account 1")
      assert.strictEqual(log.length - before, 1)
    }))
})
