/**
 * The bulk provision (`provision --file`) in process on the in-memory Platform API: every status word and its
 * fields, bad records each reported, the rerun (everything unchanged, exactly one request per person), failures at
 * each step with the partial result, the journal, the sync (`prune`) with what it removes and never removes, the dry
 * run (no write, and what it cannot decide), and no password in any output.
 */
import type { AccountId } from "@chatwoot-effect/core/Account"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import * as BulkProvision from "../src/BulkProvision.js"
import { tempDir, write } from "./BulkUpdateFake.js"
import { makeMemory, type Memory } from "./utils/provisionMemory.js"

type Line = Record<string, unknown> & { readonly line: number | null; readonly id: unknown; readonly status: string }

const runBulk = (
  memory: Memory,
  file: string,
  options: Partial<BulkProvision.RunOptions> = {}
) =>
  Effect.gen(function*() {
    const output: Array<string> = []
    const summaries: Array<BulkProvision.ProvisionSummary> = []
    const summary = yield* BulkProvision.run({
      file,
      concurrency: 1,
      dryRun: false,
      progress: false,
      output: (line) => Effect.sync(() => void output.push(line)),
      summary: (s) => Effect.sync(() => void summaries.push(s)),
      ...options
    }).pipe(Effect.provide(memory.context), Effect.provide(NodeFileSystem.layer))
    const lines = output.map((text) => JSON.parse(text) as Line)
    const byId = new Map(lines.map((line) => [line.id, line]))
    return { summary, summaries, output, lines, byId }
  })

const ndjson = (...records: ReadonlyArray<unknown>) => records.map((r) => JSON.stringify(r)).join("\n") + "\n"

const account = (id: number) => id as AccountId

const members = (memory: Memory, accountId: number) =>
  Effect.map(
    memory.handle.accountUsers(accountId),
    (rows) => rows.map((row) => [row.user_id, row.role ?? "agent"] as const).sort((a, b) => a[0] - b[0])
  )

const writes = (memory: Memory) =>
  memory.operations().filter((operation) => operation !== "get" && operation !== "accountUsers.list")

describe("bulk provision", () => {
  it.scoped("every status word, its fields, and each bad record reported while the rest is done", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const memory = yield* makeMemory()
      const file = write(
        dir,
        "team.csv",
        "email,name,display_name,account_id,role,custom_attributes,action,custom_attributes.team\n" +
          "new@example.com,New Person,,1,agent,,,\n" + // 2 created
          "Fay@Example.com,Fay,,1,,,provision,\n" + // 3 claimed (she holds more than the record sends)
          "alice@example.com,Alice Smith,Al,1,agent,,,a\n" + // 4 updated
          "bob@example.com,Bob,,1,AGENT,,,\n" + // 5 role_changed
          "gus@example.com,Gus,,2,agent,,,\n" + // 6 unchanged
          "hal@example.com,,,2,,,Deprovision,\n" + // 7 removed
          "not-an-email,X,,1,,,,\n" + // 8 bad email
          "zed@example.com,Zed,,1,boss,,,\n" + // 9 unknown role
          "yan@example.com,Yan,,1,,{bad,,\n" + // 10 bad JSON
          "xu@example.com,,,1,,,,\n" + // 11 no name
          "wu@example.com,Wu,,one,,,,\n" + // 12 bad account id
          "vic@example.com,Vic,,1,,,retire,\n" // 13 unknown action
      )
      const { byId, lines, summary } = yield* runBulk(memory, file)
      const newUser = (yield* memory.handle.users).find((user) => user.email === "new@example.com")!
      assert.deepStrictEqual(byId.get("new@example.com"), {
        line: 2,
        id: "new@example.com",
        status: "created",
        user_id: newUser.id,
        account_id: 1,
        role: "agent",
        user: "created",
        membership: "added",
        updated: [],
        requests: 2
      })
      assert.deepStrictEqual(byId.get("fay@example.com"), {
        line: 3,
        id: "fay@example.com",
        status: "claimed",
        user_id: 6,
        account_id: 1,
        role: "agent",
        user: "claimed",
        membership: "added",
        updated: [],
        requests: 2
      })
      assert.deepStrictEqual(
        [byId.get("alice@example.com")!.status, byId.get("alice@example.com")!.updated],
        ["updated", ["name"]]
      )
      assert.deepStrictEqual(
        [
          byId.get("bob@example.com")!.status,
          byId.get("bob@example.com")!.membership,
          byId.get("bob@example.com")!.role
        ],
        ["role_changed", "role_changed", "agent"]
      )
      assert.deepStrictEqual(
        [byId.get("gus@example.com")!.status, byId.get("gus@example.com")!.requests],
        ["unchanged", 1]
      )
      assert.deepStrictEqual(byId.get("hal@example.com"), {
        line: 7,
        id: "hal@example.com",
        status: "removed",
        action: "deprovision",
        user_id: 8,
        account_id: 2,
        membership: "removed",
        requests: 1
      })
      const rejected = lines.filter((line) => line.status === "error")
      assert.deepStrictEqual(
        rejected.map((
          line
        ) => [line.line, line.id, line.kind, (line.issues as Array<{ field: string }> | undefined)?.[0]?.field]),
        [
          [8, "not-an-email", "Validation", "email"],
          [9, "zed@example.com", "Validation", "role"],
          [10, "yan@example.com", "Parse", undefined],
          [11, "xu@example.com", "Validation", "name"],
          [12, "wu@example.com", "Validation", "account_id"],
          [13, "vic@example.com", "Validation", "action"]
        ]
      )
      assert.include(rejected[1]!.message as string, "role must be \"agent\" or \"administrator\"")
      assert.deepStrictEqual(summary.done, {
        created: 1,
        claimed: 1,
        updated: 1,
        role_changed: 1,
        unchanged: 1,
        removed: 1,
        undecided: 0
      })
      assert.deepStrictEqual([summary.total, summary.failed, summary.invalid], [12, 0, 6])
      // Every request is counted: the records' and the deprovision's read of account 2's members.
      assert.strictEqual(summary.requests, memory.sent.length)
      assert.strictEqual(
        BulkProvision.formatSummary({ ...summary, elapsedMs: 1200 }),
        "bulk provision: 12 records: 1 created, 1 claimed, 1 updated, 1 role_changed, 1 unchanged, 1 removed, " +
          `0 failed, 6 invalid, 0 skipped in 1.2s, ${memory.sent.length} requests`
      )
      // Nothing was sent for a rejected record.
      for (
        const email of ["zed@example.com", "yan@example.com", "xu@example.com", "wu@example.com", "vic@example.com"]
      ) {
        assert.isFalse(JSON.stringify(memory.sent).includes(email), email)
      }
      assert.deepStrictEqual(yield* members(memory, 1), [[1, "agent"], [2, "agent"], [3, "agent"], [6, "agent"], [
        newUser.id,
        "agent"
      ]])
      assert.deepStrictEqual(yield* members(memory, 2), [[7, "agent"]])
    }))

  it.scoped("the rerun: everything unchanged, exactly one request per person, nothing changed", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const memory = yield* makeMemory()
      const people = Array.from({ length: 30 }, (_, i) => ({
        email: `person${i}@example.com`,
        name: `Person ${i}`,
        display_name: i % 2 === 0 ? `P${i}` : undefined,
        account_id: 1 + (i % 2),
        role: i % 5 === 0 ? "administrator" : "agent",
        custom_attributes: { employee: i, team: i % 3 === 0 ? "a" : "b" }
      }))
      const file = write(
        dir,
        "team.ndjson",
        ndjson(...people, { email: "alice@example.com", name: "Alice", account_id: 1 })
      )
      const first = yield* runBulk(memory, file, { concurrency: 4 })
      assert.strictEqual(first.summary.done.created, 30)
      assert.strictEqual(first.summary.done.unchanged, 1)
      const before = yield* memory.state
      memory.sent.length = 0
      const second = yield* runBulk(memory, file, { concurrency: 4 })
      assert.strictEqual(second.summary.done.unchanged, 31)
      assert.isTrue(second.lines.every((line) => line.status === "unchanged" && line.requests === 1))
      assert.isTrue(second.lines.every((line) => line.user === "unchanged" && line.membership === "unchanged"))
      assert.strictEqual(memory.sent.length, 31)
      assert.isTrue(memory.operations().every((operation) => operation === "create"))
      assert.strictEqual(second.summary.requests, 31)
      assert.strictEqual(yield* memory.state, before)
    }))

  it.scoped("failures at each step: the kind, the step, what was done; transient ones rerun, final ones journaled", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const memory = yield* makeMemory()
      const journal = `${dir}/team.journal`
      const file = write(
        dir,
        "team.ndjson",
        ndjson(
          { email: "one@example.com", name: "One", account_id: 1 }, // create fails
          { email: "alice@example.com", name: "Alice 2", account_id: 1 }, // update fails
          { email: "two@example.com", name: "Two", account_id: 1 }, // membership fails
          { email: "three@example.com", name: "Three", account_id: 99 } // no such account: 404, final
        )
      )
      memory.fail("create")
      memory.fail("update")
      memory.fail("accountUsers.add")
      const first = yield* runBulk(memory, file, { journal })
      const one = first.byId.get("one@example.com")!
      assert.deepStrictEqual([one.status, one.kind], ["error", "ServerError"])
      assert.include(
        one.message as string,
        "provision one@example.com in account 1: the user step failed (1 request sent)"
      )
      assert.include(
        first.byId.get("alice@example.com")!.message as string,
        "the update step failed (user claimed; 2 requests sent)"
      )
      assert.include(
        first.byId.get("two@example.com")!.message as string,
        "the membership step failed (user created; 2 requests sent)"
      )
      const three = first.byId.get("three@example.com")!
      assert.deepStrictEqual([three.kind, three.line], ["NotFound", 4])
      assert.include(three.message as string, "the membership step failed (user created; 2 requests sent)")
      assert.deepStrictEqual([first.summary.failed, first.summary.invalid], [4, 0])
      // Only the final answer is journaled; the rerun sends the three others again and finishes them.
      const journaled = fs.readFileSync(journal, "utf8").split("\n").slice(1).filter((l) => l !== "")
      assert.deepStrictEqual(journaled, ["4"])
      memory.sent.length = 0
      const second = yield* runBulk(memory, file, { journal })
      assert.deepStrictEqual(
        second.lines.map((line) => [line.line, line.status]).sort(),
        [[1, "created"], [2, "updated"], [3, "created"], [4, "skipped"]]
      )
      // Two's user was made before its membership failed: found again with no account and exactly what the record
      // sends, it reads as created (Chatwoot does not say whether create found or made a user).
      assert.strictEqual(second.byId.get("two@example.com")!.requests, 2)
      assert.isFalse(JSON.stringify(memory.sent).includes("three@example.com"))

      // A rejected token stops the run: BulkError InvalidToken, the record reported and not journaled.
      memory.fail("create", 100, "InvalidToken")
      const other = write(dir, "other.ndjson", ndjson({ email: "four@example.com", name: "Four", account_id: 1 }))
      const error = yield* Effect.flip(runBulk(memory, other, { journal: `${dir}/other.journal` }))
      assert.strictEqual(error.reason, "InvalidToken")
      assert.include(error.message, "bulk provision: ")
    }))

  it.scoped("no password in any output: a password key is refused without being quoted, random ones never shown", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const memory = yield* makeMemory()
      const secret = "Sup3r-Secret-Passw0rd"
      const file = write(
        dir,
        "team.ndjson",
        ndjson(
          { email: "new@example.com", name: "New", account_id: 1, password: secret },
          { email: "newer@example.com", name: "Newer", account_id: 1 }
        )
      )
      const { byId, output } = yield* runBulk(memory, file)
      assert.deepStrictEqual(byId.get("new@example.com")!.kind, "Validation")
      assert.include(byId.get("new@example.com")!.message as string, "password: not a key of a record")
      assert.strictEqual(byId.get("newer@example.com")!.status, "created")
      assert.strictEqual(memory.passwords.length, 1)
      for (const text of [...output, ...memory.passwords.map(() => JSON.stringify(memory.sent))]) {
        assert.notInclude(text, secret)
        for (const password of memory.passwords) assert.notInclude(text, password)
      }
    }))

  describe("sync (prune)", () => {
    const team = ndjson(
      { email: "alice@example.com", name: "Alice", display_name: "Al", account_id: 1 },
      { email: "new@example.com", name: "New", account_id: 1 }
    )

    it.scoped("removes the members the file omits: the membership only, administrators kept, other accounts untouched", () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const memory = yield* makeMemory()
        const file = write(dir, "team.ndjson", team)
        const usersBefore = (yield* memory.handle.users).length
        const account2 = yield* members(memory, 2)
        const account3 = yield* members(memory, 3)
        const { byId, lines, summary } = yield* runBulk(memory, file, { prune: account(1) })
        // Bob: an administrator, kept. Carol: not readable by this app, but the file was done whole: removed.
        assert.deepStrictEqual(byId.get(2), {
          line: null,
          id: 2,
          status: "unchanged",
          email: "bob@example.com",
          user_id: 2,
          account_id: 1,
          role: "administrator",
          membership: "unchanged",
          prune: "kept_administrator",
          requests: 1
        })
        assert.deepStrictEqual(byId.get(3), {
          line: null,
          id: 3,
          status: "removed",
          user_id: 3,
          account_id: 1,
          role: "agent",
          membership: "removed",
          prune: "not_in_file",
          requests: 2
        })
        // Alice and New were resolved by their provision: no line, no read.
        assert.strictEqual(lines.length, 4)
        assert.strictEqual(summary.done.removed, 1)
        const newUser = (yield* memory.handle.users).find((user) => user.email === "new@example.com")!
        assert.deepStrictEqual(yield* members(memory, 1), [[1, "agent"], [2, "administrator"], [newUser.id, "agent"]])
        // The user stays (in account 3 too); the other accounts are as they were.
        assert.strictEqual((yield* memory.handle.users).length, usersBefore + 1)
        assert.deepStrictEqual(yield* members(memory, 2), account2)
        assert.deepStrictEqual(yield* members(memory, 3), account3)
        assert.isFalse(memory.operations().includes("delete"))
        // The removes were for account 1 only.
        for (const request of memory.sent) {
          if (request.operation === "accountUsers.remove") {
            assert.deepStrictEqual([request.params, request.payload], [{ account_id: 1 }, { user_id: 3 }])
          }
        }

        // Again: nothing to remove; one request per person, one list, one read per kept administrator.
        memory.sent.length = 0
        const again = yield* runBulk(memory, file, { prune: account(1) })
        assert.deepStrictEqual(again.summary.done.removed, 0)
        assert.deepStrictEqual(memory.operations().sort(), ["accountUsers.list", "create", "create", "get"])

        // With --prune-administrators, Bob goes too.
        const admins = yield* runBulk(memory, file, { prune: account(1), pruneAdministrators: true })
        assert.strictEqual(admins.byId.get(2)!.status, "removed")
        assert.deepStrictEqual(yield* members(memory, 1), [[1, "agent"], [newUser.id, "agent"]])
      }))

    it.scoped("the dry run lists exactly who would go, and sends no write", () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const memory = yield* makeMemory()
        const file = write(dir, "team.ndjson", team)
        const before = yield* memory.state
        const { byId, lines, summary } = yield* runBulk(memory, file, { prune: account(1), dryRun: true })
        assert.deepStrictEqual(writes(memory), [])
        assert.strictEqual(yield* memory.state, before)
        assert.strictEqual(summary.requests, memory.sent.length)
        assert.deepStrictEqual(byId.get("alice@example.com")!.status, "unchanged")
        assert.deepStrictEqual(byId.get("alice@example.com")!.dryRun, true)
        const stranger = byId.get("new@example.com")!
        assert.strictEqual(stranger.status, "undecided")
        assert.include(stranger.reason as string, "cannot look a user up by email without claiming it")
        assert.strictEqual(byId.get(2)!.prune, "kept_administrator")
        // Carol cannot be read: the dry run says so rather than guess.
        const carol = byId.get(3)!
        assert.deepStrictEqual([carol.status, carol.prune, carol.dryRun], ["undecided", "unreadable", true])
        assert.include(carol.reason as string, "this app cannot read user 3")
        assert.strictEqual(lines.length, 4)
        assert.include(
          BulkProvision.formatSummary(summary),
          "bulk provision (dry run, no write sent): 4 records would be: 0 updated, 0 role_changed, 2 unchanged, " +
            "0 removed, 2 undecided; 0 invalid in "
        )

        // A readable member the file omits: the dry run says removed, exactly as the run then does.
        const withoutAlice = write(dir, "new.ndjson", ndjson({ email: "new@example.com", name: "New", account_id: 1 }))
        const dry = yield* runBulk(memory, withoutAlice, { prune: account(1), dryRun: true })
        assert.deepStrictEqual(
          [dry.byId.get(1)!.status, dry.byId.get(1)!.email, dry.byId.get(1)!.dryRun],
          ["removed", "alice@example.com", true]
        )
        assert.deepStrictEqual(writes(memory), [])
        const real = yield* runBulk(memory, withoutAlice, { prune: account(1) })
        assert.deepStrictEqual(
          real.lines.filter((line) => line.status === "removed").map((line) => line.id).sort(),
          [1, 3]
        )
      }))

    it.scoped("refused when a record cannot be told apart, or none is for the account: nothing removed", () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const memory = yield* makeMemory()
        const nameless = write(
          dir,
          "nameless.ndjson",
          team + "{not json\n" + ndjson({ name: "No Email", account_id: 1 })
        )
        const refused = yield* runBulk(memory, nameless, { prune: account(1) })
        const line = refused.byId.get("--prune 1")!
        assert.deepStrictEqual([line.line, line.status, line.kind], [null, "error", "PruneRefused"])
        assert.include(line.message as string, "2 records of the file (lines 3, 4) could not be read well enough")
        assert.isFalse(memory.operations().includes("accountUsers.remove"))
        assert.strictEqual(refused.summary.failed, 1)

        const elsewhere = write(
          dir,
          "elsewhere.ndjson",
          ndjson({ email: "gus@example.com", name: "Gus", account_id: 2 })
        )
        const none = yield* runBulk(memory, elsewhere, { prune: account(1) })
        assert.include(none.byId.get("--prune 1")!.message as string, "no record of the file is for account 1")
        assert.isFalse(memory.operations().includes("accountUsers.remove"))
        assert.deepStrictEqual((yield* members(memory, 1)).length, 3 + 1)
      }))

    it.scoped("a record that did not succeed keeps its member, and an unreadable member is then not decided", () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const memory = yield* makeMemory()
        // Alice's create fails (transient): her record did not resolve her, so she is found by email and kept.
        const file = write(
          dir,
          "team.ndjson",
          ndjson(
            { email: "alice@example.com", name: "Alice", account_id: 1 },
            { email: "new@example.com", name: "New", account_id: 1 }
          )
        )
        memory.fail("create")
        const { byId, summary } = yield* runBulk(memory, file, { prune: account(1) })
        assert.strictEqual(byId.get("alice@example.com")!.kind, "ServerError")
        assert.deepStrictEqual([byId.get(1)!.status, byId.get(1)!.prune], ["unchanged", "in_file"])
        const carol = byId.get(3)!
        assert.deepStrictEqual([carol.status, carol.kind], ["error", "Undecided"])
        assert.include(
          carol.message as string,
          "cannot read the user, and 1 person the file lists (for account 1, or in a rejected record) did not"
        )
        assert.strictEqual(summary.failed, 2)
        assert.isFalse(memory.operations().includes("accountUsers.remove"))

        // Resumed with a journal, the skipped records are found by email: the members they list stay.
        const journal = `${dir}/j`
        yield* runBulk(memory, file, { journal })
        memory.sent.length = 0
        const resumed = yield* runBulk(memory, file, { journal, prune: account(1) })
        assert.deepStrictEqual(resumed.summary.skipped, 2)
        assert.deepStrictEqual([resumed.byId.get(1)!.prune, resumed.byId.get(2)!.prune], [
          "in_file",
          "kept_administrator"
        ])
        assert.strictEqual(resumed.byId.get(3)!.kind, "Undecided")
      }))
  })

  it.scoped("a dry run plans every record from reads: decided for members, undecided otherwise; no write", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const memory = yield* makeMemory()
      const file = write(
        dir,
        "team.ndjson",
        ndjson(
          { email: "alice@example.com", name: "Alice Smith", account_id: 1, role: "administrator" },
          { email: "gus@example.com", name: "Gus", account_id: 2 },
          { email: "hal@example.com", account_id: 2, action: "deprovision" },
          { email: "nobody@example.com", account_id: 2, action: "deprovision" },
          { email: "fay@example.com", name: "Fay", account_id: 1 },
          { email: "new@example.com", name: "New", account_id: 99 },
          { email: "bad", name: "Bad", account_id: 1 }
        )
      )
      const before = yield* memory.state
      const { byId, summary } = yield* runBulk(memory, file, { dryRun: true, concurrency: 2 })
      assert.deepStrictEqual(writes(memory), [])
      assert.strictEqual(yield* memory.state, before)
      assert.deepStrictEqual(byId.get("alice@example.com"), {
        line: 1,
        id: "alice@example.com",
        status: "updated",
        user_id: 1,
        account_id: 1,
        role: "administrator",
        user: "updated",
        membership: "role_changed",
        updated: ["name"],
        requests: 3,
        dryRun: true
      })
      assert.strictEqual(byId.get("gus@example.com")!.status, "unchanged")
      assert.deepStrictEqual(
        [byId.get("hal@example.com")!.status, byId.get("hal@example.com")!.user_id],
        ["removed", 8]
      )
      assert.strictEqual(byId.get("nobody@example.com")!.status, "unchanged")
      assert.strictEqual(byId.get("fay@example.com")!.status, "undecided")
      assert.include(byId.get("new@example.com")!.reason as string, "the members of account 99 could not be read")
      assert.strictEqual(byId.get("bad")!.kind, "Validation")
      assert.deepStrictEqual(
        [summary.done.updated, summary.done.unchanged, summary.done.removed, summary.done.undecided, summary.invalid],
        [1, 2, 1, 2, 1]
      )
      // The reads: each account once (a list, a get per member), not per record.
      assert.strictEqual(memory.operations().filter((operation) => operation === "accountUsers.list").length, 3)
    }))
})
