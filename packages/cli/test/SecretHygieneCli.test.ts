/**
 * Secret hygiene of the command line: every command, successes and failures (each reaching its exit code), with the
 * platform token from the environment or a file and passwords from stdin, run as the bundled binary with
 * `--log-level all` and in process under a recorder (logs and spans); a bulk update from files holding passwords
 * (NDJSON and CSV, journalled, resumed, dry run). Stdout, stderr, the journals, the logs and the spans are
 * harvested and searched for the tokens and passwords, raw and encoded.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Harvest from "./utils/harvest.js"
import * as Runs from "./utils/harvestCli.js"
import * as Server from "./utils/harvestServer.js"

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "cwp-harvest-"))

const write = (dir: string, name: string, content: string) => {
  const file = path.join(dir, name)
  fs.writeFileSync(file, content)
  return file
}

/** The servers and files one set of runs uses. */
const setup = Effect.gen(function*() {
  const { url } = yield* Server.emulator()
  // Not the emulator's rate limit: it counts per wall-clock minute, and a run may start in the next one.
  const limited = yield* Server.echoServer((seen) => Server.reply(429, Server.echoText(seen), { "retry-after": "0" }))
  const failing = yield* Server.echoServer((seen) => Server.reply(500, Server.echoText(seen)))
  const decoding = yield* Server.echoServer((seen) => Server.reply(200, Server.echoText(seen)))
  const port = yield* Server.closedPort
  const dir = tempDir()
  return {
    url,
    limited: limited.origin,
    failing: failing.origin,
    decoding: decoding.origin,
    refused: `http://127.0.0.1:${port}`,
    dir,
    tokenFile: write(dir, "token", `${Harvest.TOKEN}\n`),
    otherTokenFile: write(dir, "other-token", `${Harvest.OTHER_TOKEN}\r\n`)
  }
})

type Setup = Effect.Effect.Success<typeof setup>

const commands = (s: Setup): ReadonlyArray<Runs.Run> => {
  const env = { CHATWOOT_URL: s.url, CHATWOOT_PLATFORM_TOKEN: Harvest.TOKEN }
  const at = (url: string) => ({ CHATWOOT_URL: url, CHATWOOT_PLATFORM_TOKEN: Harvest.TOKEN })
  const line = (password: string) => `${password}\n`
  const underscored = { CHATWOOT_TOKEN_HEADER: "api_access_token" }
  return [
    { label: "get", args: ["users", "get", "1"], env, code: 0 },
    { label: "get --json", args: ["--json", "users", "get", "1"], env, code: 0 },
    { label: "get 404", args: ["users", "get", "999"], env, code: 6 },
    { label: "login-url", args: ["users", "login-url", "1"], env, code: 0 },
    { label: "token", args: ["--json", "users", "token", "1"], env, code: 0 },
    { label: "delete", args: ["users", "delete", "2"], env, code: 0 },
    {
      label: "create --password-stdin",
      args: ["users", "create", "--name", "Di", "--email", "di@acme.inc", "--password-stdin"],
      env,
      stdin: line(Harvest.PASSWORD_SPACED),
      code: 0
    },
    {
      label: "create --password-stdin --json, CRLF",
      args: ["--json", "users", "create", "--name", "Ed", "--email", "ed@acme.inc", "--password-stdin"],
      env,
      stdin: `${Harvest.PASSWORD_ESCAPED}\r\n`,
      code: 0
    },
    {
      label: "create, a password with invalid characters",
      args: ["users", "create", "--name", "Fi", "--email", "fi@acme.inc", "--password-stdin"],
      env,
      stdin: line(Harvest.PASSWORD_INVALID),
      code: 3
    },
    {
      label: "create without a password and without a terminal",
      args: ["users", "create", "--name", "Fi", "--email", "fi@acme.inc"],
      env,
      code: 2
    },
    {
      label: "update --password-stdin, token from a file",
      args: ["--url", s.url, "--token-file", s.tokenFile, "users", "update", "1", "--name", "An", "--password-stdin"],
      stdin: line(Harvest.PASSWORD_ESCAPED),
      code: 0
    },
    {
      label: "update --json --password-stdin",
      args: ["--json", "users", "update", "1", "--password-stdin"],
      env,
      stdin: line(Harvest.PASSWORD),
      code: 0
    },
    {
      label: "update, a password with invalid characters",
      args: ["users", "update", "1", "--password-stdin"],
      env,
      stdin: line(Harvest.PASSWORD_INVALID),
      code: 3
    },
    {
      label: "update, a password breaking several rules",
      args: ["users", "update", "1", "--password-stdin"],
      env,
      stdin: line("harvest\u20ac"),
      code: 3
    },
    {
      label: "update 422 from Chatwoot (email taken by another app's user), with a password",
      args: ["users", "update", "1", "--email", "cy@acme.inc", "--password-stdin"],
      env,
      stdin: line(Harvest.PASSWORD),
      code: 3
    },
    {
      label: "update 401 Invalid access_token",
      args: ["users", "update", "1", "--password-stdin"],
      env: { CHATWOOT_URL: s.url, CHATWOOT_PLATFORM_TOKEN: Harvest.WRONG_TOKEN },
      stdin: line(Harvest.PASSWORD),
      code: 4
    },
    {
      label: "update 401 Non permissible resource (another app's token, from a file)",
      args: ["--url", s.url, "--token-file", s.otherTokenFile, "users", "update", "1", "--password-stdin"],
      stdin: line(Harvest.PASSWORD),
      code: 5
    },
    {
      label: "update 401 Non permissible resource (another app's user)",
      args: ["users", "update", "3", "--password-stdin"],
      env,
      stdin: line(Harvest.PASSWORD),
      code: 5
    },
    {
      label: "a token file that does not exist",
      args: ["--token-file", path.join(s.dir, "nope"), "users", "get", "1"],
      env,
      code: 2
    },
    {
      label: "update 429 echoing the request, after the retries",
      args: ["users", "update", "1", "--password-stdin"],
      env: at(s.limited),
      stdin: line(Harvest.PASSWORD),
      code: 7
    },
    {
      label: "update 500 echoing the request",
      args: ["users", "update", "1", "--password-stdin"],
      env: at(s.failing),
      stdin: line(Harvest.PASSWORD_ESCAPED),
      code: 8
    },
    {
      label: "create 500 echoing the request",
      args: ["users", "create", "--name", "Gu", "--email", "gu@acme.inc", "--password-stdin"],
      env: at(s.failing),
      stdin: line(Harvest.PASSWORD_SPACED),
      code: 8
    },
    {
      label: "update, an HTML page echoing the request (decode)",
      args: ["users", "update", "1", "--password-stdin"],
      env: at(s.decoding),
      stdin: line(Harvest.PASSWORD),
      code: 10
    },
    {
      label: "update, connection refused",
      args: ["users", "update", "1", "--password-stdin"],
      env: at(s.refused),
      stdin: line(Harvest.PASSWORD),
      code: 9
    },
    {
      label: "update --password-stdin, CHATWOOT_TOKEN_HEADER=api_access_token",
      args: ["users", "update", "1", "--password-stdin"],
      env: { ...env, ...underscored },
      stdin: line(Harvest.PASSWORD_SPACED),
      code: 0
    },
    {
      label: "update 401 Invalid access_token, CHATWOOT_TOKEN_HEADER=api_access_token",
      args: ["users", "update", "1", "--password-stdin"],
      env: { CHATWOOT_URL: s.url, CHATWOOT_PLATFORM_TOKEN: Harvest.WRONG_TOKEN, ...underscored },
      stdin: line(Harvest.PASSWORD),
      code: 4
    },
    {
      label: "update 500 echoing the request, CHATWOOT_TOKEN_HEADER=api_access_token",
      args: ["users", "update", "1", "--password-stdin"],
      env: { ...at(s.failing), ...underscored },
      stdin: line(Harvest.PASSWORD_ESCAPED),
      code: 8
    },
    {
      label: "a CHATWOOT_TOKEN_HEADER that Chatwoot does not read",
      args: ["users", "update", "1", "--password-stdin"],
      env: { ...env, CHATWOOT_TOKEN_HEADER: "authorization" },
      stdin: line(Harvest.PASSWORD),
      code: 2
    }
  ]
}

const ndjson = [
  JSON.stringify({ id: 1, name: "An", password: Harvest.PASSWORD }),
  JSON.stringify({ id: 1, password: Harvest.PASSWORD_INVALID }),
  JSON.stringify({ id: 999, password: Harvest.PASSWORD_ESCAPED }),
  JSON.stringify({ id: 1, email: "cy@acme.inc", password: Harvest.PASSWORD_SPACED }),
  JSON.stringify({ id: 3, password: Harvest.PASSWORD }),
  // Unreadable lines holding a password: a parser message would quote them.
  `{"id": 1, "password": "${Harvest.PASSWORD}"`,
  `{"id": "x", "password": ${JSON.stringify(Harvest.PASSWORD_ESCAPED)}, "pw": 1}`,
  JSON.stringify({ id: 2, password: Harvest.PASSWORD_SPACED, extra: Harvest.PASSWORD })
].join("\n") + "\n"

const csvCell = (value: string) => `"${value.replace(/"/g, "\"\"")}"`
const csv = [
  "id,name,password",
  `1,An,${csvCell(Harvest.PASSWORD_ESCAPED)}`,
  `1,An,${csvCell(Harvest.PASSWORD_INVALID)}`,
  `999,Xi,${csvCell(Harvest.PASSWORD_SPACED)}`,
  `2,Bo,${csvCell(Harvest.PASSWORD)},extra`,
  `3,Cy,"${Harvest.PASSWORD} unclosed`
].join("\r\n") + "\r\n"

const bulkRuns = (s: Setup): ReadonlyArray<Runs.Run> => {
  const env = { CHATWOOT_URL: s.url, CHATWOOT_PLATFORM_TOKEN: Harvest.TOKEN }
  const rows = write(s.dir, "rows.ndjson", ndjson)
  const table = write(s.dir, "rows.csv", csv)
  const journal = path.join(s.dir, "rows.journal")
  const csvJournal = path.join(s.dir, "csv.journal")
  const run = (label: string, args: ReadonlyArray<string>, code: number, extra = {}) => ({
    label,
    args: ["users", "update", ...args],
    env: { ...env, ...extra },
    code
  })
  return [
    run("bulk NDJSON with a journal", ["--file", rows, "--journal", journal, "--concurrency", "2"], 11),
    // Every record is in the journal (failed ones too): all skipped, exit 0.
    run("bulk NDJSON resumed from the journal", ["--file", rows, "--journal", journal], 0),
    run("bulk NDJSON dry run", ["--file", rows, "--dry-run"], 11),
    run("bulk CSV with a journal", ["--file", table, "--journal", csvJournal], 11),
    run("bulk with a rejected token", ["--file", rows], 4, { CHATWOOT_PLATFORM_TOKEN: Harvest.WRONG_TOKEN }),
    run("bulk against a server echoing 500s", ["--file", table], 11, { CHATWOOT_URL: s.failing })
  ]
}

const journals = (s: Setup): Array<Harvest.Item> =>
  fs.readdirSync(s.dir).filter((name) => name.endsWith(".journal")).map((name) => ({
    source: `journal ${name}`,
    text: fs.readFileSync(path.join(s.dir, name), "utf8")
  }))

const checkCode = (run: Runs.Run, finished: Runs.Finished) =>
  assert.strictEqual(finished.code, run.code, `${run.label}: ${finished.stderr}`)

describe("Secret hygiene: the command line", () => {
  it.scopedLive(
    "the binary: every command, stdout and stderr at --log-level all hold no secret",
    () =>
      Effect.gen(function*() {
        const s = yield* setup
        const items = yield* Effect.forEach(commands(s), (run) =>
          Effect.map(Runs.runBinary(run), (finished) => {
            checkCode(run, finished)
            return Runs.items(run.label, finished)
          }), { concurrency: 4 })
        Harvest.assertNoLeak(items.flat(), 40)
      }),
    120_000
  )

  it.scopedLive(
    "the binary: bulk updates from files holding passwords, results, summaries and journals",
    () =>
      Effect.gen(function*() {
        const s = yield* setup
        const items: Array<Harvest.Item> = []
        // In order: the resumed run reads the first run's journal.
        for (const run of bulkRuns(s)) {
          const finished = yield* Runs.runBinary(run)
          checkCode(run, finished)
          items.push(...Runs.items(run.label, finished))
        }
        const found = journals(s)
        assert.strictEqual(found.length, 2)
        assert.isTrue(found.every((journal) => journal.text.length > 0))
        // The runs did reach every kind of record outcome.
        const all = items.map((item) => item.text).join("\n")
        for (const kind of ["\"ok\"", "Validation", "NotFound", "Unauthorized", "Parse", "skipped", "ServerError"]) {
          assert.include(all, kind)
        }
        Harvest.assertNoLeak([...items, ...found], 12)
      }),
    120_000
  )

  it.scopedLive(
    "in process: every command and bulk run; console, logs (LogLevel.All) and spans hold no secret",
    () =>
      Effect.gen(function*() {
        const s = yield* setup
        const recorder = yield* Harvest.makeRecorder
        const items: Array<Harvest.Item> = []
        // The 429 case waits out three backoffs; the binary test covers it.
        for (const run of [...commands(s).filter((run) => run.code !== 7), ...bulkRuns(s)]) {
          const finished = yield* Runs.runInProcess(recorder, run)
          checkCode(run, finished)
          items.push(...Runs.items(run.label, finished))
        }
        const headers = Harvest.requestHeaderAttributes(recorder.spans)
        const hyphenated = headers.filter(([key]) => key === "http.request.header.api-access-token")
        const underscored = headers.filter(([key]) => key === "http.request.header.api_access_token")
        assert.isAbove(hyphenated.length, 10)
        assert.isAbove(underscored.length, 2)
        for (const [, value] of [...hyphenated, ...underscored]) assert.strictEqual(value, "<redacted>")
        Harvest.assertNoLeak([...items, ...journals(s), ...recorder.items()], 100)
      }),
    120_000
  )
})
