/**
 * CSV input is read a bounded amount ahead of the records in flight, as NDJSON is: a slow run over a large file
 * holds a read buffer or two of it, not the whole file (piped through csv-parse as a Duplex, the whole file waited
 * in the parser's write buffer).
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as Engine from "../src/internal/bulkEngine.js"
import * as Input from "../src/internal/bulkInput.js"
import { tempDir, until, write } from "./BulkUpdateFake.js"

type Accepted = Input.Accepted<{ readonly email: string }, string>

const columns: Input.Columns<Accepted> = {
  columns: ["email", "account_id"],
  required: ["email", "account_id"],
  key: "email",
  attributeColumns: false,
  cell: (column, text) => column === "account_id" && /^\d+$/.test(text) ? Number(text) : text,
  id: (value) => typeof value === "string" && value !== "" ? value : null,
  check: (line, record) =>
    typeof record.email === "string"
      ? { _tag: "Accepted", line, id: record.email, payload: { email: record.email } }
      : Input.rejected(line, null, "Validation", "email is required")
}

// Counts the rows parsed so far.
const countingReader = () => {
  const parsed = { rows: 0 }
  const reader: Input.Reader<Accepted> = {
    json: (line) => Input.rejected(line, null, "Parse", "not used"),
    csv: (header) =>
      Either.map(Input.csvTable(columns)(header), (row) => (line, cells) => {
        parsed.rows++
        return row(line, cells)
      })
  }
  return { reader, parsed }
}

const rows = 50_000
const csv = "email,account_id\r\n" +
  Array.from({ length: rows }, (_, i) => `"person${i}@example.com",${i % 7}`).join("\r\n") + "\r\n"
const readBuffer = 64 * 1024
// A read buffer holds this many rows at most.
const rowsPerBuffer = Math.ceil(readBuffer / `"person${rows}@example.com",0\r\n`.length) + 1

// Lets the file system and the parser run on as far as they would.
const settle = Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 500)))

describe("CSV read-ahead", () => {
  it.live(
    "a consumer that stops pulling stops the reading: a few read buffers ahead at most",
    () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const file = write(dir, "people.csv", csv)
        assert.isAbove(fs.statSync(file).size, 20 * readBuffer)
        const { parsed, reader } = countingReader()
        const counter: Input.ByteCounter = { bytes: 0 }
        const pull = yield* Stream.toPull(Input.records(reader, file, "csv", counter))
        let got = 0
        while (got < 10) got += Chunk.size(yield* pull)
        yield* settle
        assert.isAtMost(counter.bytes, 3 * readBuffer, `read ${counter.bytes} bytes for ${got} records`)
        assert.isAtMost(parsed.rows, 3 * rowsPerBuffer)
        // And it reads on when pulled again, to the last row.
        while (true) {
          const next = yield* Effect.either(pull)
          if (Either.isLeft(next)) break
          got += Chunk.size(next.right)
        }
        assert.strictEqual(got, rows)
        assert.strictEqual(counter.bytes, fs.statSync(file).size)
      }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer)),
    30_000
  )

  it.live(
    "a run whose sends are held parses only what fits in flight, then every row once released",
    () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const file = write(dir, "people.csv", csv)
        const { parsed, reader } = countingReader()
        const gate = yield* Deferred.make<void>()
        let sent = 0
        let lines = 0
        const operation: Engine.Operation<{ readonly email: string }, string, void, never, "ok"> = {
          name: "read-ahead",
          journalTag: "chatwoot-platform read-ahead journal",
          statuses: ["ok"],
          reader,
          send: () => Effect.zipRight(Effect.sync(() => sent++), Deferred.await(gate)),
          done: () => ({ status: "ok" }),
          dryRun: () => ({ status: "ok" }),
          verdict: () => Engine.final,
          secrets: () => []
        }
        const concurrency = 4
        const fiber = yield* Effect.fork(Engine.run(operation, {
          file,
          concurrency,
          dryRun: false,
          progress: false,
          output: () => Effect.sync(() => void lines++),
          summary: () => Effect.void
        }))
        yield* until(() => sent === concurrency)
        yield* settle
        // In flight, in the engine's queue (256), and a chunk or two of parsed rows waiting for room.
        assert.isAtMost(parsed.rows, concurrency + 256 + 3 * rowsPerBuffer, `${parsed.rows} rows parsed, ${sent} sent`)
        yield* Deferred.succeed(gate, undefined)
        const exit = yield* Fiber.await(fiber)
        assert.isTrue(Exit.isSuccess(exit))
        if (Exit.isSuccess(exit)) assert.strictEqual(exit.value.done.ok, rows)
        assert.strictEqual(parsed.rows, rows)
        assert.strictEqual(lines, rows)
      }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer)),
    60_000
  )
})
