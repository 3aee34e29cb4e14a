import * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as fs from "node:fs"
import * as BulkUpdate from "../src/BulkUpdate.js"
import { makeFake, runBulk, tempDir, write } from "./BulkUpdateFake.js"

const byLine = (results: ReadonlyArray<Record<string, unknown>>) =>
  new Map(results.map((result) => [result.line as number, result]))

describe("BulkUpdate: NDJSON", () => {
  it.scoped("sends every valid record and reports each once, skipping blank lines", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(
        dir,
        "users.ndjson",
        [
          `{"id": 1, "name": "Dan"}`,
          ``,
          `{"id": 2, "email": " Ann@Example.com ", "custom_attributes": {"plan": "pro", "seats": 3}}`,
          `   `,
          `{"id": 3, "display_name": null}`
        ].join("\n") + "\n"
      )
      const fake = makeFake()
      const bulk = runBulk(fake, { file })
      const summary = yield* bulk.effect
      assert.deepStrictEqual(
        bulk.results().sort((a, b) => (a.line as number) - (b.line as number)),
        [{ line: 1, id: 1, status: "ok" }, { line: 3, id: 2, status: "ok" }, { line: 5, id: 3, status: "ok" }]
      )
      assert.deepStrictEqual(
        fake.calls.map((call) => [call.id, call.payload]).sort((a, b) => (a[0] as number) - (b[0] as number)),
        [
          [1, { name: "Dan" }],
          [2, { email: "ann@example.com", custom_attributes: { plan: "pro", seats: 3 } }],
          [3, { display_name: null }]
        ]
      )
      assert.deepStrictEqual(
        { ...summary, elapsedMs: 0 },
        {
          total: 3,
          ok: 3,
          failed: 0,
          skipped: 0,
          invalid: 0,
          elapsedMs: 0,
          interrupted: false,
          dryRun: false,
          slowdowns: 0
        }
      )
      assert.deepStrictEqual(bulk.summaries, [summary])
    }))

  it.scoped("reports and skips invalid records without aborting the run", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(
        dir,
        "users.jsonl",
        [
          `{"id": 1, "name": "ok"}`,
          `{"id": 2, "name": "broken"`,
          `[1, 2]`,
          `{"name": "no id"}`,
          `{"id": "abc", "name": "x"}`,
          `{"id": -4, "name": "x"}`,
          `{"id": 7, "nmae": "typo"}`,
          `{"id": 8, "email": "not-an-email"}`,
          `{"id": 9}`,
          `{"id": 10, "custom_attributes": [1]}`,
          `{"id": 11, "name": "also ok"}`
        ].join("\n")
      )
      const fake = makeFake()
      const bulk = runBulk(fake, { file })
      const summary = yield* bulk.effect
      const results = byLine(bulk.results())
      assert.strictEqual(bulk.lines.length, 11)
      assert.deepStrictEqual(fake.sentIds().sort((a, b) => a - b), [1, 11])
      assert.strictEqual(summary.invalid, 9)
      assert.strictEqual(summary.ok, 2)
      const kindOf = (line: number) => results.get(line)!.kind
      assert.strictEqual(kindOf(2), "Parse")
      assert.include(results.get(2)!.message as string, "not valid JSON")
      assert.strictEqual(kindOf(3), "Parse")
      assert.strictEqual(kindOf(4), "Validation")
      assert.deepStrictEqual((results.get(4)!.issues as Array<{ rule: string }>).map((i) => i.rule), ["required"])
      assert.strictEqual(results.get(5)!.id, null)
      assert.include(results.get(6)!.message as string, "positive integer")
      assert.strictEqual(results.get(7)!.id, 7)
      assert.strictEqual((results.get(7)!.issues as Array<unknown>).length, 1)
      assert.strictEqual((results.get(7)!.issues as Array<{ field: string; rule: string }>)[0]!.rule, "unknown_field")
      assert.strictEqual((results.get(7)!.issues as Array<{ field: string }>)[0]!.field, "nmae")
      assert.strictEqual((results.get(8)!.issues as Array<{ field: string }>)[0]!.field, "email")
      assert.strictEqual((results.get(9)!.issues as Array<{ rule: string }>)[0]!.rule, "empty")
      assert.strictEqual((results.get(10)!.issues as Array<{ field: string }>)[0]!.field, "custom_attributes")
      for (const line of [2, 3, 4, 5, 6, 7, 8, 9, 10]) assert.strictEqual(results.get(line)!.status, "error")
    }))

  it.scoped("maps Chatwoot's answers to error kinds per record", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "u.ndjson", [1, 2, 3, 4, 5].map((id) => `{"id": ${id}, "name": "n${id}"}`).join("\n"))
      const fake = makeFake((id) => {
        switch (id) {
          case 2:
            return Effect.fail(
              new PlatformUsersError.NotFound({ operation: "update", resource: "user", id: id as never })
            )
          case 3:
            return Effect.fail(
              new PlatformUsersError.Validation({
                operation: "update",
                source: "server",
                attributes: ["email"],
                issues: [],
                serverMessage: "Email has already been taken"
              })
            )
          case 4:
            return Effect.fail(new PlatformUsersError.ServerError({ operation: "update", status: 502 }))
          case 5:
            return Effect.fail(
              new PlatformUsersError.Unauthorized({
                operation: "update",
                reason: "NonPermissibleResource",
                resource: "user",
                id: id as never
              })
            )
          default:
            return Effect.void
        }
      })
      const bulk = runBulk(fake, { file })
      const summary = yield* bulk.effect
      const results = byLine(bulk.results())
      assert.deepStrictEqual([1, 2, 3, 4, 5].map((line) => results.get(line)!.kind ?? results.get(line)!.status), [
        "ok",
        "NotFound",
        "Validation",
        "ServerError",
        "Unauthorized"
      ])
      assert.include(results.get(3)!.message as string, "Email has already been taken")
      assert.strictEqual(summary.failed, 4)
      assert.strictEqual(summary.invalid, 0)
    }))

  it.scoped("an invalid platform token stops the run with InvalidToken after reporting what was sent", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(
        dir,
        "u.ndjson",
        Array.from({ length: 200 }, (_, i) => `{"id": ${i + 1}, "name": "n"}`).join("\n")
      )
      const fake = makeFake(() =>
        Effect.fail(new PlatformUsersError.Unauthorized({ operation: "update", reason: "InvalidToken" }))
      )
      const bulk = runBulk(fake, { file, concurrency: 2 })
      const error = yield* Effect.flip(bulk.effect)
      assert.strictEqual(error.reason, "InvalidToken")
      assert.isBelow(fake.calls.length, 200)
      assert.strictEqual(bulk.lines.length, fake.calls.length)
      assert.strictEqual(bulk.summaries.length, 1)
      assert.isTrue(bulk.summaries[0]!.interrupted)
    }))

  it.scoped("reports every record exactly once under concurrency, never exceeding it", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const count = 500
      const file = write(
        dir,
        "u.ndjson",
        Array.from({ length: count }, (_, i) => i % 50 === 7 ? `{"id": 0}` : `{"id": ${i + 1}, "name": "n"}`).join(
          "\n"
        )
      )
      const fake = makeFake((id) =>
        id % 3 === 0
          ? Effect.fail(new PlatformUsersError.NotFound({ operation: "update", resource: "user", id: id as never }))
          : Effect.yieldNow()
      )
      const bulk = runBulk(fake, { file, concurrency: 8 })
      const summary = yield* bulk.effect
      const lines = bulk.results().map((result) => result.line as number).sort((a, b) => a - b)
      assert.deepStrictEqual(lines, Array.from({ length: count }, (_, i) => i + 1))
      assert.strictEqual(summary.total, count)
      assert.strictEqual(summary.invalid, 10)
      assert.strictEqual(summary.ok + summary.failed, count - 10)
      assert.strictEqual(fake.calls.length, count - 10)
      assert.isAtMost(fake.maxInFlight(), 8)
    }))
})

describe("BulkUpdate: CSV", () => {
  it.scoped("parses quotes, escaped quotes, embedded newlines and custom_attributes columns", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(
        dir,
        "users.csv",
        "\ufeffid,name,display_name,email,custom_attributes,custom_attributes.plan\r\n" +
          `1,"Dan ""the man"" D",,,,\r\n` +
          `2,"two\r\nlines",Ann,ANN@example.com,"{""seats"": 3, ""plan"": ""free""}",pro\r\n` +
          `\r\n` +
          `3,,,,"{""nested"": {""a"": [1, 2]}}",\r\n` +
          `4,"comma, inside",,,,gold\r\n`
      )
      const fake = makeFake()
      const bulk = runBulk(fake, { file })
      const summary = yield* bulk.effect
      assert.strictEqual(summary.ok, 4)
      const payloads = new Map(fake.calls.map((call) => [call.id, call.payload]))
      assert.deepStrictEqual(payloads.get(1), { name: "Dan \"the man\" D" })
      assert.deepStrictEqual(payloads.get(2), {
        name: "two\r\nlines",
        display_name: "Ann",
        email: "ann@example.com",
        custom_attributes: { seats: 3, plan: "pro" }
      })
      assert.deepStrictEqual(payloads.get(3), { custom_attributes: { nested: { a: [1, 2] } } })
      assert.deepStrictEqual(payloads.get(4), { name: "comma, inside", custom_attributes: { plan: "gold" } })
      // Lines are where each record starts: the header is line 1, record 2 spans lines 3-4, line 5 is blank.
      assert.deepStrictEqual(
        bulk.results().map((r) => [r.line, r.id]).sort((a, b) => (a[0] as number) - (b[0] as number)),
        [[2, 1], [3, 2], [6, 3], [7, 4]]
      )
    }))

  it.scoped("reports bad rows (field count, JSON cell, rules, unclosed quote) and keeps going", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(
        dir,
        "users.csv",
        "id,name,custom_attributes\n" +
          "1,short\n" +
          "2,n,{not json}\n" +
          "3,n,\"[1,2]\"\n" +
          "x,n,\n" +
          "5,fine,\n" +
          "6,too,many,fields\n" +
          "7,\"never closed,\n" +
          "8,lost,\n"
      )
      const fake = makeFake()
      const bulk = runBulk(fake, { file })
      const summary = yield* bulk.effect
      const results = byLine(bulk.results())
      assert.deepStrictEqual(fake.sentIds(), [5])
      assert.strictEqual(summary.ok, 1)
      assert.strictEqual(summary.invalid, 6)
      assert.strictEqual(results.get(2)!.kind, "Parse")
      assert.strictEqual(results.get(2)!.id, 1)
      assert.include(results.get(2)!.message as string, "2 fields but the header has 3")
      assert.include(results.get(3)!.message as string, "custom_attributes cell is not valid JSON")
      assert.strictEqual(results.get(4)!.kind, "Validation")
      assert.strictEqual(results.get(5)!.kind, "Validation")
      assert.strictEqual(results.get(5)!.id, null)
      assert.strictEqual(results.get(7)!.kind, "Parse")
      assert.strictEqual(results.get(8)!.kind, "Parse")
      assert.include(results.get(8)!.message as string, "never closed")
    }))

  it.scoped("refuses a bad header before sending anything", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const fake = makeFake()
      for (
        const [header, expected] of [
          ["name,email", "no \"id\" column"],
          ["id,nmae", "unknown column \"nmae\""],
          ["id,name,name", "duplicate column \"name\""],
          ["id,custom_attributes.", "unknown column"]
        ] as const
      ) {
        const file = write(dir, "bad.csv", `${header}\n1,a\n`)
        const error = yield* Effect.flip(runBulk(fake, { file }).effect)
        assert.strictEqual(error.reason, "BadHeader")
        assert.include(error.message, expected)
      }
      assert.strictEqual(fake.calls.length, 0)
    }))
})

describe("BulkUpdate: modes and errors", () => {
  it.scoped("a dry run validates and reports every record and sends nothing", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = write(dir, "u.ndjson", `{"id": 1, "name": "a"}\n{"id": 2, "email": "bad"}\n{"id": 3, "name": "c"}\n`)
      const fake = makeFake()
      const bulk = runBulk(fake, { file, dryRun: true, journal: `${dir}/journal` })
      const summary = yield* bulk.effect
      assert.strictEqual(fake.calls.length, 0)
      assert.deepStrictEqual(byLine(bulk.results()).get(1), { line: 1, id: 1, status: "ok", dryRun: true })
      assert.strictEqual(byLine(bulk.results()).get(2)!.kind, "Validation")
      assert.deepStrictEqual([summary.ok, summary.invalid, summary.dryRun], [2, 1, true])
      assert.isFalse(fs.existsSync(`${dir}/journal`))
    }))

  it.scoped("format from --format, else from the extension, else a clear error", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const fake = makeFake()
      const file = write(dir, "users.txt", "id,name\n1,a\n")
      const error = yield* Effect.flip(runBulk(fake, { file }).effect)
      assert.strictEqual(error.reason, "UnknownFormat")
      assert.include(error.message, "--format")
      const summary = yield* runBulk(fake, { file, format: "csv" }).effect
      assert.strictEqual(summary.ok, 1)
      const missing = yield* Effect.flip(runBulk(fake, { file: `${dir}/nope.csv` }).effect)
      assert.strictEqual(missing.reason, "InputNotFound")
    }))

  it.scoped("a password is validated and sent but never appears in results, messages or the journal", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const secrets = ["Sup3r$ecretPass", "short", "Oth3r$ecretPass", "N0tJs0n$ecret", "Csv$ecret9Pass", "Wr0ng$ecret"]
      const file = write(
        dir,
        "u.ndjson",
        [
          `{"id": 1, "password": "${secrets[0]}"}`,
          `{"id": 2, "password": "${secrets[1]}"}`,
          `{"id": 3, "password": "${secrets[2]}", "email": "broken"}`,
          `{"id": 4, "password": "${secrets[3]}", `,
          `{"id": 5, "password": 12345}`,
          `{"id": 6, "pasword": "${secrets[5]}"}`,
          `{"id": 7, "password": "${secrets[0]}"}`
        ].join("\n")
      )
      // Chatwoot or the transport might echo a value: the engine scrubs the record's password anyway.
      const fake = makeFake((id) =>
        id === 7
          ? Effect.fail(
            new PlatformUsersError.TransportError({
              operation: "update",
              reason: "Network",
              detail: `socket closed while sending ${secrets[0]}`
            })
          )
          : Effect.void
      )
      const journal = `${dir}/journal`
      const bulk = runBulk(fake, { file, journal })
      yield* bulk.effect
      const csvFile = write(dir, "u.csv", `id,password\n8,${secrets[4]}\n9,"${secrets[1]}"\n`)
      const csvBulk = runBulk(fake, { file: csvFile })
      yield* csvBulk.effect
      const sent = fake.calls.find((call) => call.id === 1)!
      assert.strictEqual(Redacted.value(sent.payload.password!), secrets[0])
      assert.deepStrictEqual(fake.sentIds().sort((a, b) => a - b), [1, 7, 8])
      const everything = [...bulk.lines, ...csvBulk.lines, fs.readFileSync(journal, "utf8")].join("\n")
      for (const secret of secrets) assert.notInclude(everything, secret)
      assert.include(everything, "[redacted]")
    }))
})

describe("parseRate", () => {
  it("reads requests per second, minute or hour", () => {
    assert.deepStrictEqual(BulkUpdate.parseRate("50/s"), Either.right(50))
    assert.deepStrictEqual(BulkUpdate.parseRate("50"), Either.right(50))
    assert.deepStrictEqual(BulkUpdate.parseRate("3000/min"), Either.right(50))
    assert.deepStrictEqual(BulkUpdate.parseRate(" 120 / m "), Either.right(2))
    assert.deepStrictEqual(BulkUpdate.parseRate("0.5/sec"), Either.right(0.5))
    assert.deepStrictEqual(BulkUpdate.parseRate("7200/h"), Either.right(2))
    for (const bad of ["", "fast", "0/s", "-1/s", "10/d", "1e3/s"]) {
      assert.isTrue(Either.isLeft(BulkUpdate.parseRate(bad)), bad)
    }
  })

  it("formatSummary says what happened", () => {
    const text = BulkUpdate.formatSummary({
      total: 10,
      ok: 7,
      failed: 1,
      skipped: 1,
      invalid: 1,
      elapsedMs: 1234,
      interrupted: false,
      dryRun: false,
      slowdowns: 0
    })
    assert.strictEqual(text, "bulk update: 10 records: 7 ok, 1 failed, 1 invalid, 1 skipped in 1.2s")
  })
})
