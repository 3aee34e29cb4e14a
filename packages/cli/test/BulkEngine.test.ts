/**
 * The bulk engine with an operation other than the update: a provision-like one (records keyed by email, more CSV
 * columns, several status words, extra result fields, an after-pass removing the members the file does not list).
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as Engine from "../src/internal/bulkEngine.js"
import * as Input from "../src/internal/bulkInput.js"
import { drive, tempDir, until, write } from "./BulkUpdateFake.js"

class Gone extends Data.TaggedError("Gone")<{ readonly message: string }> {}
class Busy extends Data.TaggedError("Busy")<{ readonly message: string }> {}
class Slow extends Data.TaggedError("Slow")<{ readonly message: string }> {}
class BadToken extends Data.TaggedError("BadToken")<{ readonly message: string }> {}
type Failure = Gone | Busy | Slow | BadToken

interface Payload {
  readonly email: string
  readonly accountId?: number
  readonly secret?: string
  readonly remove?: true
}
type Status = "created" | "updated" | "unchanged" | "removed"
type Accepted = Input.Accepted<Payload, string>
interface Answer {
  readonly status: Status
  readonly userId: number
}

const check = (line: number, input: unknown): Accepted | Input.Rejected => {
  if (!Input.isPlainObject(input)) return Input.rejected(line, null, "Parse", "the record must be a JSON object")
  const email = input.email
  if (typeof email !== "string" || !email.includes("@")) {
    return Input.rejected(line, null, "Validation", "email is required", [
      { field: "email", rule: "required", message: "email is required" }
    ])
  }
  const accountId = typeof input.account_id === "number" ? { accountId: input.account_id } : {}
  const secret = typeof input.secret === "string" ? { secret: input.secret } : {}
  return { _tag: "Accepted", line, id: email, payload: { email, ...accountId, ...secret } }
}

const columns: Input.Columns<Accepted> = {
  columns: ["email", "name", "display_name", "account_id", "role", "custom_attributes", "action"],
  required: ["email", "account_id"],
  key: "email",
  attributeColumns: true,
  cell: (column, text) => column === "account_id" && /^\d+$/.test(text) ? Number(text) : text,
  id: (value) => typeof value === "string" && value !== "" ? value : null,
  check
}

/**
 * A provision-like operation over a fake directory: `respond(email, attempt)` answers each send; `members` are the
 * accounts' members before the run, removed by the after-pass unless the file lists them.
 */
const makeOperation = (options: {
  readonly respond?: (email: string, attempt: number) => Effect.Effect<Answer, Failure>
  readonly members?: ReadonlyArray<string>
  /** The after-pass only when every record went through (a sync must not prune on a partial picture). */
  readonly pruneOnlyIfClean?: boolean
}) => {
  const sent: Array<Payload> = []
  const attempts = new Map<string, number>()
  const seen = new Set<string>()
  const passes: Array<Engine.Summary<Status>> = []
  const operation: Engine.Operation<Payload, string, Answer, Failure, Status> = {
    name: "provision",
    journalTag: "chatwoot-platform provision journal",
    statuses: ["created", "updated", "unchanged", "removed"],
    reader: { json: check, csv: Input.csvTable(columns) },
    send: (record) =>
      Effect.suspend(() => {
        sent.push(record.payload)
        if (record.payload.remove === true) return Effect.succeed<Answer>({ status: "removed", userId: 0 })
        const attempt = (attempts.get(record.id) ?? 0) + 1
        attempts.set(record.id, attempt)
        return options.respond?.(record.id, attempt) ?? Effect.succeed<Answer>({ status: "created", userId: 1 })
      }),
    done: (answer) => ({ status: answer.status, fields: { user_id: answer.userId } }),
    dryRun: (record) => ({ status: record.payload.remove === true ? "removed" : "unchanged" }),
    verdict: (error) => {
      switch (error._tag) {
        case "Gone":
          return Engine.final
        case "Busy":
          return Engine.transient
        case "Slow":
          return Engine.rateLimited(0)
        case "BadToken":
          return Engine.invalidToken
      }
    },
    secrets: (record) => record.payload.secret === undefined ? [] : [record.payload.secret],
    observe: (record) => {
      if (record._tag === "Accepted") seen.add(record.id)
    },
    after: (pass) => {
      passes.push(pass)
      if (options.pruneOnlyIfClean === true && pass.failed + pass.invalid > 0) return Stream.empty
      return Stream.fromIterable(
        (options.members ?? []).filter((email) => !seen.has(email)).map((email): Accepted => ({
          _tag: "Accepted",
          line: null,
          id: email,
          payload: { email, remove: true }
        }))
      )
    }
  }
  return { operation, sent, seen, passes }
}

const runEngine = (
  operation: Engine.Operation<Payload, string, Answer, Failure, Status>,
  options: Partial<Engine.RunOptions<Status>> & { readonly file: string }
) => {
  const lines: Array<string> = []
  const summaries: Array<Engine.Summary<Status>> = []
  const effect = Engine.run(operation, {
    concurrency: 4,
    dryRun: false,
    progress: false,
    output: (line) => Effect.sync(() => void lines.push(line)),
    summary: (summary) => Effect.sync(() => void summaries.push(summary)),
    ...options
  }).pipe(Effect.provide(NodeFileSystem.layer))
  // In file order; the after-pass's (line null) last, by id.
  const results = () =>
    lines.map((line) => JSON.parse(line) as Record<string, unknown>).sort((a, b) =>
      ((a.line as number | null) ?? Infinity) - ((b.line as number | null) ?? Infinity) ||
      String(a.id).localeCompare(String(b.id))
    )
  return { effect, lines, summaries, results }
}

const ndjson = (...records: ReadonlyArray<unknown>) => records.map((r) => JSON.stringify(r)).join("\n") + "\n"

describe("bulk engine: an operation with several outcomes", () => {
  it.scoped("a status word per record, extra fields after it, string ids, and a count per status", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(
        dir,
        "p.ndjson",
        ndjson({ email: "a@x" }, { email: "b@x" }, { email: "c@x" }, { name: "no email" }, { email: "d@x" })
      )
      const answers: Record<string, Answer> = {
        "a@x": { status: "created", userId: 11 },
        "b@x": { status: "updated", userId: 12 },
        "c@x": { status: "unchanged", userId: 13 },
        "d@x": { status: "created", userId: 14 }
      }
      const { operation } = makeOperation({ respond: (email) => Effect.succeed(answers[email]!) })
      const bulk = runEngine(operation, { file })
      const summary = yield* bulk.effect
      assert.deepStrictEqual(bulk.results(), [
        { line: 1, id: "a@x", status: "created", user_id: 11 },
        { line: 2, id: "b@x", status: "updated", user_id: 12 },
        { line: 3, id: "c@x", status: "unchanged", user_id: 13 },
        {
          line: 4,
          id: null,
          status: "error",
          kind: "Validation",
          message: "email is required",
          issues: [{ field: "email", rule: "required", message: "email is required" }]
        },
        { line: 5, id: "d@x", status: "created", user_id: 14 }
      ])
      // Keys in order: line, id, status, then the operation's fields.
      assert.include(bulk.lines, `{"line":1,"id":"a@x","status":"created","user_id":11}`)
      assert.deepStrictEqual(summary.done, { created: 2, updated: 1, unchanged: 1, removed: 0 })
      assert.deepStrictEqual(Object.keys(summary.done), ["created", "updated", "unchanged", "removed"])
      assert.deepStrictEqual([summary.total, summary.failed, summary.invalid], [5, 0, 1])
      assert.strictEqual(
        Engine.formatSummary("provision", { ...summary, elapsedMs: 1234 }),
        "bulk provision: 5 records: 2 created, 1 updated, 1 unchanged, 0 removed, 0 failed, 1 invalid, 0 skipped " +
          "in 1.2s"
      )
      assert.strictEqual(
        Engine.formatSummary("provision", { ...summary, elapsedMs: 0, dryRun: true, interrupted: true }),
        "bulk provision (dry run, nothing sent) (stopped early): 5 records: 4 valid, 0 failed, 1 invalid, 0 skipped " +
          "in 0.0s"
      )
    }))

  it.scoped("CSV with the operation's columns: numbers where it says, custom_attributes.KEY, its own header rules", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(
        dir,
        "p.csv",
        "email,name,display_name,account_id,role,custom_attributes,action,custom_attributes.plan\n" +
          "a@x,Ann,,7,agent,\"{\"\"seats\"\": 2}\",,pro\n" +
          ",Nobody,,7,,,,\n" +
          "b@x,Bob,,x7,,,\n"
      )
      const { operation, sent } = makeOperation({})
      const bulk = runEngine(operation, { file })
      const summary = yield* bulk.effect
      assert.deepStrictEqual(sent, [{ email: "a@x", accountId: 7 }])
      const results = bulk.results()
      assert.deepStrictEqual(results[1], {
        line: 3,
        id: null,
        status: "error",
        kind: "Validation",
        message: "email is required",
        issues: [{ field: "email", rule: "required", message: "email is required" }]
      })
      // A row with the wrong field count is named by its key cell.
      assert.deepStrictEqual(results[2], {
        line: 4,
        id: "b@x",
        status: "error",
        kind: "Parse",
        message: "the row has 7 fields but the header has 8"
      })
      assert.deepStrictEqual([summary.done.created, summary.invalid], [1, 2])

      for (
        const [header, expected] of [
          ["email,name", "no \"account_id\" column"],
          ["email,account_id,id", "unknown column \"id\". Columns are email, name, display_name, account_id, role, "],
          ["email,account_id,email", "duplicate column \"email\""]
        ] as const
      ) {
        const bad = write(dir, "bad.csv", `${header}\na@x,1\n`)
        const error = yield* Effect.flip(runEngine(makeOperation({}).operation, { file: bad }).effect)
        assert.strictEqual(error.reason, "BadHeader")
        assert.include(error.message, expected)
        // The error names the operation it stopped.
        assert.isTrue(error.message.startsWith("bulk provision: "), error.message)
      }
      const missing = yield* Effect.flip(runEngine(operation, { file: `${dir}/nope.csv` }).effect)
      assert.strictEqual(missing.message, `bulk provision: ${dir}/nope.csv does not exist`)
    }))

  // Real clock: the 429 back-off sleeps (Retry-After 0, then the halved rate).
  it.scopedLive("verdicts: final ones journaled, transient ones and 429s past their retries not; secrets scrubbed", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(
        dir,
        "p.ndjson",
        ndjson(
          { email: "ok@x" },
          { email: "gone@x", secret: "Hunter2Secret" },
          { email: "busy@x" },
          { email: "slow@x" },
          { email: "late@x" },
          { email: "" }
        )
      )
      const journal = `${dir}/j`
      const { operation } = makeOperation({
        respond: (email, attempt) => {
          switch (email) {
            case "gone@x":
              return Effect.fail(new Gone({ message: "no such account (asked with Hunter2Secret)" }))
            case "busy@x":
              return Effect.fail(new Busy({ message: "try later" }))
            case "slow@x":
              return Effect.fail(new Slow({ message: "429" }))
            case "late@x":
              return attempt === 1
                ? Effect.fail(new Slow({ message: "429" }))
                : Effect.succeed<Answer>({ status: "updated", userId: 5 })
            default:
              return Effect.succeed<Answer>({ status: "created", userId: 1 })
          }
        }
      })
      const bulk = runEngine(operation, { file, journal, ratePerSecond: 1000, maxRateLimitRetries: 2 })
      const summary = yield* bulk.effect
      const byEmail = new Map(bulk.results().map((r) => [r.id, r]))
      assert.deepStrictEqual(byEmail.get("gone@x"), {
        line: 2,
        id: "gone@x",
        status: "error",
        kind: "Gone",
        message: "no such account (asked with [redacted])"
      })
      assert.strictEqual(byEmail.get("busy@x")!.kind, "Busy")
      assert.strictEqual(byEmail.get("slow@x")!.kind, "Slow")
      assert.deepStrictEqual(byEmail.get("late@x"), { line: 5, id: "late@x", status: "updated", user_id: 5 })
      assert.deepStrictEqual([summary.failed, summary.invalid, summary.done.created, summary.done.updated], [
        3,
        1,
        1,
        1
      ])
      assert.isAtLeast(summary.slowdowns, 1)
      const journaled = fs.readFileSync(journal, "utf8").split("\n").slice(1).filter((l) => l !== "").map(Number)
      // ok, gone (final), late (done), the rejected record; not busy or slow.
      assert.deepStrictEqual(journaled.sort((a, b) => a - b), [1, 2, 5, 6])
      assert.strictEqual(JSON.parse(fs.readFileSync(journal, "utf8").split("\n")[0]!).journal, operation.journalTag)
      assert.notInclude(bulk.lines.join("\n"), "Hunter2Secret")

      // A journal is its operation's: another operation refuses it, and leaves it as it was.
      const before = fs.readFileSync(journal, "utf8")
      const other: Engine.Operation<Payload, string, Answer, Failure, Status> = {
        ...operation,
        name: "deprovision",
        journalTag: "chatwoot-platform deprovision journal"
      }
      const refused = yield* Effect.flip(runEngine(other, { file, journal }).effect)
      assert.strictEqual(refused.reason, "JournalCorrupt")
      assert.include(refused.message, "bulk deprovision: ")
      assert.include(refused.message, "is not a bulk-deprovision journal")
      assert.strictEqual(fs.readFileSync(journal, "utf8"), before)
    }))

  it.scoped("an invalid token stops the run: reported, not journaled, BulkError InvalidToken naming the operation", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "p.ndjson", ndjson(...Array.from({ length: 100 }, (_, i) => ({ email: `u${i}@x` }))))
      const { operation, passes } = makeOperation({
        respond: () => Effect.fail(new BadToken({ message: "the token was refused" })),
        members: ["z@x"]
      })
      const bulk = runEngine(operation, { file, journal: `${dir}/j`, concurrency: 2 })
      const error = yield* Effect.flip(bulk.effect)
      assert.strictEqual(error.reason, "InvalidToken")
      assert.strictEqual(error.message, "bulk provision: the token was refused")
      assert.isBelow(bulk.lines.length, 100)
      assert.isTrue(bulk.summaries[0]!.interrupted)
      // No after-pass on a partial picture.
      assert.strictEqual(passes.length, 0)
      assert.strictEqual(fs.readFileSync(`${dir}/j`, "utf8").split("\n").filter((l) => l !== "").length, 1)
    }))

  it.effect("refuses status words the engine writes itself", () =>
    Effect.gen(function*() {
      const { operation } = makeOperation({})
      const exit = yield* Effect.exit(
        runEngine({ ...operation, statuses: ["created", "error" as Status] }, { file: "x.ndjson" }).effect
      )
      assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
      assert.include(Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "", "\"error\" cannot be a status word")
    }))
})

describe("bulk engine: the after-pass", () => {
  it.scoped("runs after every record settled; its records are sent, reported with line null, never journaled", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "p.ndjson", ndjson({ email: "a@x" }, { email: "b@x" }, { email: "c@x" }))
      const journal = `${dir}/j`
      const members = ["a@x", "b@x", "c@x", "old1@x", "old2@x"]
      const first = makeOperation({ members })
      const run1 = runEngine(first.operation, { file, journal })
      const summary1 = yield* run1.effect
      assert.deepStrictEqual(first.sent.filter((p) => p.remove === true).map((p) => p.email), ["old1@x", "old2@x"])
      assert.deepStrictEqual(run1.results().slice(3), [
        { line: null, id: "old1@x", status: "removed", user_id: 0 },
        { line: null, id: "old2@x", status: "removed", user_id: 0 }
      ])
      // The after-pass is told the file's counts; its own results count in the summary.
      assert.deepStrictEqual(first.passes.map((p) => [p.total, p.done.created, p.interrupted]), [[3, 3, false]])
      assert.deepStrictEqual([summary1.total, summary1.done.created, summary1.done.removed], [5, 3, 2])
      const journaled = () => fs.readFileSync(journal, "utf8").split("\n").slice(1).filter((l) => l !== "")
      assert.deepStrictEqual(journaled().sort(), ["1", "2", "3"])

      // Resumed: the file's records are skipped but still seen, so the pass removes only what the file does not list.
      const second = makeOperation({ members: ["a@x", "b@x", "c@x", "old1@x"] })
      const run2 = runEngine(second.operation, { file, journal })
      const summary2 = yield* run2.effect
      assert.deepStrictEqual([...second.seen].sort(), ["a@x", "b@x", "c@x"])
      assert.deepStrictEqual(second.sent, [{ email: "old1@x", remove: true }])
      assert.deepStrictEqual([summary2.skipped, summary2.done.removed, summary2.total], [3, 1, 4])
      assert.deepStrictEqual(journaled().sort(), ["1", "2", "3"])
    }))

  it.scoped("the operation decides from the counts: no pruning when a record failed or was invalid", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "p.ndjson", ndjson({ email: "a@x" }, { email: "busy@x" }))
      const op = makeOperation({
        members: ["old@x"],
        pruneOnlyIfClean: true,
        respond: (email) =>
          email === "busy@x"
            ? Effect.fail(new Busy({ message: "503" }))
            : Effect.succeed<Answer>({ status: "created", userId: 1 })
      })
      const summary = yield* runEngine(op.operation, { file }).effect
      assert.strictEqual(op.passes[0]!.failed, 1)
      assert.strictEqual(summary.done.removed, 0)
      assert.isFalse(op.sent.some((p) => p.remove === true))
    }))

  it.scoped("a dry run reports the after-pass's records too, sending nothing", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "p.ndjson", ndjson({ email: "a@x" }))
      const op = makeOperation({ members: ["a@x", "old@x"] })
      const bulk = runEngine(op.operation, { file, dryRun: true })
      const summary = yield* bulk.effect
      assert.deepStrictEqual(op.sent, [])
      assert.deepStrictEqual(bulk.lines, [
        `{"line":1,"id":"a@x","status":"unchanged","dryRun":true}`,
        `{"line":null,"id":"old@x","status":"removed","dryRun":true}`
      ])
      assert.deepStrictEqual([summary.total, summary.dryRun, summary.done.removed], [2, true, 1])
    }))

  it.scoped("not after an interruption", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "p.ndjson", ndjson(...Array.from({ length: 50 }, (_, i) => ({ email: `u${i}@x` }))))
      const never = yield* Deferred.make<Answer>()
      let answered = 0
      const op = makeOperation({
        members: ["old@x"],
        respond: () =>
          answered++ < 10 ? Effect.succeed<Answer>({ status: "created", userId: 1 }) : Deferred.await(never)
      })
      const bulk = runEngine(op.operation, { file, graceMillis: 100 })
      const fiber = yield* Effect.fork(bulk.effect)
      yield* until(() => op.sent.length >= 14)
      yield* drive(yield* Effect.fork(Fiber.interrupt(fiber)))
      assert.isTrue(bulk.summaries[0]!.interrupted)
      assert.strictEqual(op.passes.length, 0)
      assert.isFalse(op.sent.some((p) => p.remove === true))
    }))
})
