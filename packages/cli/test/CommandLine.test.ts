/**
 * The command line as people type it: global options before or after the subcommand on every command, usage errors
 * as one line naming the argument and the rule, and help without colours unless stdout is a terminal and NO_COLOR
 * is unset. In process, on the fake service (the built binary: Binary.test.ts, BulkEndToEnd.test.ts).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Cli from "../src/Cli.js"
import { ExitCode } from "../src/ExitCode.js"
import * as CommandLine from "../src/internal/commandLine.js"
import { configured, run, type RunOptions, type RunResult } from "./utils/harness.js"

const tokenFile = (() => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cwp-cmdline-")), "token")
  fs.writeFileSync(file, "file-token\n")
  return file
})()

/** What a run did, for comparing runs: everything but the order of nothing. */
const outcome = (result: RunResult) => ({
  code: result.code,
  stdout: result.stdout,
  stderr: result.stderr,
  calls: result.calls,
  targets: result.targets.map((target) => [target.baseUrl, Redacted.value(target.apiAccessToken)])
})

/**
 * Ways of placing `globals` (each an option and its value, if any) around a command: `path` (its words) and `groups`
 * (each of its options with its value, or a positional): all of them at every boundary between words and groups,
 * and split, one at the start and the others at the end, or the other way round.
 */
const placements = (
  globals: ReadonlyArray<ReadonlyArray<string>>,
  path: ReadonlyArray<string>,
  groups: ReadonlyArray<ReadonlyArray<string>> = []
): Array<Array<string>> => {
  const units = [...path.map((word) => [word]), ...groups]
  const at = (index: number, inserted: ReadonlyArray<string>) => [
    ...units.slice(0, index).flat(),
    ...inserted,
    ...units.slice(index).flat()
  ]
  const out = units.map((_, index) => at(index, globals.flat()))
  out.push(at(units.length, globals.flat()))
  if (globals.length > 1) {
    out.push([...globals[0]!, ...units.flat(), ...globals.slice(1).flat()])
    out.push([...globals.slice(1).flat(), ...units.flat(), ...globals[0]!])
  }
  return out
}

const samePlacements = (
  label: string,
  globals: ReadonlyArray<ReadonlyArray<string>>,
  command: readonly [path: ReadonlyArray<string>, groups?: ReadonlyArray<ReadonlyArray<string>>],
  options: RunOptions,
  check: (result: RunResult) => void
) =>
  it.effect(`${label}: the same with the global options anywhere`, () =>
    Effect.gen(function*() {
      const argvs = placements(globals, ...command)
      const first = yield* run(argvs[0]!, options)
      check(first)
      for (const argv of argvs.slice(1)) {
        const result = yield* run(argv, options)
        assert.deepStrictEqual(outcome(result), outcome(first), argv.join(" "))
      }
    }))

describe("global options before or after the subcommand", () => {
  const remote = [["--url", "http://127.0.0.1:3000"], ["--token-file", tokenFile], ["--json"]]
  const target = (result: RunResult) => {
    assert.strictEqual(result.code, 0, result.stderr)
    assert.deepStrictEqual(outcome(result).targets, [["http://127.0.0.1:3000", "file-token"]])
  }

  samePlacements("users get", remote, [["users", "get"], [["1"]]], {}, (result) => {
    target(result)
    assert.strictEqual(JSON.parse(result.stdout).id, 1)
  })
  samePlacements("users delete", remote, [["users", "delete"], [["1"]]], {}, (result) => {
    target(result)
    assert.deepStrictEqual(JSON.parse(result.stdout), { id: 1, deleted: true })
  })
  samePlacements("users login-url", remote, [["users", "login-url"], [["1"]]], {}, (result) => {
    target(result)
    assert.include(JSON.parse(result.stdout).url, "sso_auth_token")
  })
  samePlacements("users token", remote, [["users", "token"], [["1"]]], {}, (result) => {
    target(result)
    assert.strictEqual(JSON.parse(result.stdout).access_token, "user-own-token")
  })
  samePlacements(
    "users update ID",
    remote,
    [["users", "update"], [["1"], ["--name", "Dan"], ["--custom-attribute", "plan=pro"]]],
    {},
    (result) => {
      target(result)
      assert.deepStrictEqual(result.calls, [{
        operation: "update",
        id: 1,
        payload: { name: "Dan", custom_attributes: { plan: "pro" } }
      }])
      assert.strictEqual(JSON.parse(result.stdout).name, "Dan")
    }
  )
  samePlacements(
    "users create",
    remote,
    [["users", "create"], [["--name", "Ann"], ["--email", "ann@acme.inc"], ["--password-stdin"]]],
    { stdin: "Secr3t!pw\n" },
    (result) => {
      target(result)
      assert.strictEqual(result.calls[0]!.operation, "create")
      assert.strictEqual(JSON.parse(result.stdout).name, "Ann")
    }
  )
  samePlacements(
    "the --url=VALUE form",
    [["--url=http://127.0.0.1:3000"], ["--token-file=" + tokenFile]],
    [["users", "get"], [["1"]]],
    {},
    target
  )
  samePlacements("a usage error of the command", remote, [["users", "update"], [["1"]]], {}, (result) => {
    assert.strictEqual(result.code, ExitCode.Usage)
    assert.include(result.stderr, "Nothing to update")
  })
  samePlacements(
    "--emulator and --url together",
    [["--emulator"], ["--url", "http://x.test"]],
    [
      ["users", "get"],
      [["1"]]
    ],
    {},
    (result) => {
      assert.strictEqual(result.code, ExitCode.Usage)
      assert.include(result.stderr, "--emulator and --url cannot be used together")
    }
  )
  samePlacements(
    "users update --file, a bulk flag's value last",
    [["--json"]],
    [
      ["users", "update"],
      [["--file", "/nonexistent/team.ndjson"], ["--concurrency", "8"]]
    ],
    configured,
    (result) => {
      // The run gets as far as the file: the flags were all read (before, --json was taken for the user id).
      assert.strictEqual(result.code, ExitCode.Usage)
      assert.strictEqual(result.stderr, "chatwoot-platform: bulk update: /nonexistent/team.ndjson does not exist")
    }
  )
  samePlacements("emulator", remote, [["emulator"], [["--port", "70000"]]], {}, (result) => {
    assert.strictEqual(result.code, ExitCode.Usage)
    assert.strictEqual(result.stderr, "chatwoot-platform: --port must be between 0 and 65535, got 70000")
  })

  it.effect("an option's value is the next argument, even when it looks like an option or a command", () =>
    Effect.gen(function*() {
      const named = yield* run(["users", "update", "1", "--name", "--json"], configured)
      assert.strictEqual(named.code, 0, named.stderr)
      assert.deepStrictEqual(named.calls[0]!.payload, { name: "--json" })
      assert.include(named.stdout, "name:               --json") // text: --json was the name, not the flag
      // A value that is also a subcommand's name stays a value.
      const url = yield* run(["users", "get", "1", "--url", "users"], configured)
      assert.strictEqual(url.code, ExitCode.Usage)
      assert.include(url.stderr, "Invalid Chatwoot URL from --url")
      const before = yield* run(["--url", "users", "users", "get", "1"], configured)
      assert.deepStrictEqual(outcome(before), outcome(url))
    }))

  it.effect("after --, everything is a positional argument", () =>
    Effect.gen(function*() {
      const ok = yield* run(["users", "get", "--json", "--", "1"], configured)
      assert.strictEqual(ok.code, 0, ok.stderr)
      assert.strictEqual(JSON.parse(ok.stdout).id, 1)
      const flag = yield* run(["users", "get", "1", "--", "--json"], configured)
      assert.strictEqual(flag.code, ExitCode.Usage)
      assert.strictEqual(
        flag.stderr,
        "chatwoot-platform: unexpected argument '--json' for \"users get\", which takes <id> only"
      )
    }))

  it.effect("a flag given twice the same way counts once; a value given twice is an error", () =>
    Effect.gen(function*() {
      const twice = yield* run(["--json", "users", "get", "1", "--json"], configured)
      assert.strictEqual(twice.code, 0, twice.stderr)
      assert.strictEqual(JSON.parse(twice.stdout).id, 1)
      const urls = yield* run(["--url", "http://a.test", "users", "get", "1", "--url", "http://b.test"], configured)
      assert.strictEqual(urls.code, ExitCode.Usage)
      assert.strictEqual(urls.stderr, "chatwoot-platform: --url is given twice: pass it once")
    }))

  it.effect("--help shows the command's help wherever it is, with anything else on the line", () =>
    Effect.gen(function*() {
      const argvs = [
        ["users", "update", "--help"],
        ["users", "update", "1", "--name", "X", "--help"],
        ["--help", "users", "update"],
        ["users", "update", "-h", "--json"],
        ["--json", "users", "update", "--file", "f.ndjson", "--help"]
      ]
      for (const argv of argvs) {
        const result = yield* run(argv)
        assert.strictEqual(result.code, 0, argv.join(" "))
        assert.strictEqual(result.stderr, "")
        assert.include(result.stdout, "$ update", argv.join(" "))
        assert.include(result.stdout, "--custom-attribute")
        assert.strictEqual(result.calls.length + result.targets.length, 0)
      }
      const version = yield* run(["--version"])
      assert.strictEqual(version.stdout.trim(), Cli.version)
    }))
})

describe("usage errors: one line naming the argument and the rule, exit 2", () => {
  const cases: ReadonlyArray<[ReadonlyArray<string>, string]> = [
    [["users", "update", "abc"], "<id> must be a positive integer (a Chatwoot user id), got 'abc'"],
    [["users", "update", "-1"], "<id> must be a positive integer (a Chatwoot user id), got '-1'"],
    [["users", "update", "0"], "<id> must be a positive integer (a Chatwoot user id), got '0'"],
    [["users", "get", "-12"], "<id> must be a positive integer (a Chatwoot user id), got '-12'"],
    [["users", "get", "1.5"], "<id> must be a positive integer (a Chatwoot user id), got '1.5'"],
    [
      ["users", "delete", "99999999999999999999"],
      "<id> must be a positive integer (a Chatwoot user id), got '99999999999999999999'"
    ],
    [["users", "get"], "\"users get\" needs <id> (see chatwoot-platform users get --help)"],
    [["users", "token", "1", "2"], "unexpected argument '2' for \"users token\", which takes <id> only"],
    [
      ["users", "create", "x", "--name", "A", "--email", "a@acme.inc"],
      "unexpected argument 'x' for \"users create\", which takes no argument"
    ],
    [["users", "update", "1", "--name"], "--name needs a value"],
    [["--url"], "--url needs a value"],
    [["users", "update", "--file", "f", "--concurrency"], "--concurrency needs a value: an integer"],
    [["users", "update", "--file", "f", "--concurrency", "many"], "--concurrency must be an integer, got 'many'"],
    [["users", "update", "--file", "f", "--format", "xml"], "--format must be ndjson or csv, got 'xml'"],
    [["emulator", "--port", "http"], "--port must be an integer, got 'http'"],
    [["users", "get", "1", "--json=maybe"], "--json takes no value (or true/false), got 'maybe'"],
    [
      ["users", "create", "--email", "a@acme.inc"],
      "\"users create\" needs --name (see chatwoot-platform users create --help)"
    ],
    [["users", "create"], "\"users create\" needs --name and --email (see chatwoot-platform users create --help)"],
    [
      ["users", "update", "1", "--bogus"],
      "unknown option --bogus for \"users update\" (see chatwoot-platform users update --help)"
    ],
    [
      ["users", "get", "1", "--jsn"],
      "unknown option --jsn for \"users get\": did you mean --json? (see chatwoot-platform users get --help)"
    ],
    [
      ["--token", "t", "users", "get", "1"],
      "unknown option --token: did you mean --token-file? (see chatwoot-platform --help)"
    ],
    [
      ["users", "update", "1", "--password", "x"],
      "unknown option --password for \"users update\": did you mean --password-stdin? (see chatwoot-platform users update --help)"
    ],
    [["users", "get", "1", "-x"], "unknown option -x for \"users get\" (see chatwoot-platform users get --help)"],
    [
      ["--name", "X", "users", "update", "1"],
      "--name is an option of \"users create\" and \"users update\": put it after that command"
    ],
    [
      ["users", "get", "1", "--name", "X"],
      "unknown option --name for \"users get\": it is an option of \"users create\" and \"users update\""
    ],
    [
      ["users", "frob"],
      "unknown command 'frob' for \"users\": use get, create, update, delete, login-url or token (see chatwoot-platform users --help)"
    ],
    [
      ["user", "get", "1"],
      "unknown command 'user': use users, accounts, account-users, agent-bots, provision or emulator (see chatwoot-platform --help)"
    ],
    [
      ["users"],
      "\"users\" needs a command: get, create, update, delete, login-url or token (see chatwoot-platform users --help)"
    ],
    [
      ["--json"],
      "missing command: users, accounts, account-users, agent-bots, provision or emulator (see chatwoot-platform --help)"
    ]
  ]
  it.effect("each one, with nothing sent and nothing on stdout", () =>
    Effect.gen(function*() {
      for (const [argv, message] of cases) {
        const result = yield* run(argv, configured)
        assert.strictEqual(result.code, ExitCode.Usage, argv.join(" "))
        assert.strictEqual(result.stderr, `chatwoot-platform: ${message}`, argv.join(" "))
        assert.strictEqual(result.stdout, "", argv.join(" "))
        assert.strictEqual(result.calls.length, 0)
        assert.notInclude(result.stderr, "\x1b[")
      }
    }))

  it.effect("an error @effect/cli finds itself is one plain line too", () =>
    Effect.gen(function*() {
      // Past the command line checks, the id reaches @effect/cli's parser (and the argument's own rule).
      const result = yield* run(["users", "get", "--", "x"], { ...configured, stdoutTty: true })
      assert.strictEqual(result.code, ExitCode.Usage)
      assert.strictEqual(
        result.stderr,
        "chatwoot-platform: <id> must be a positive integer (a Chatwoot user id), got 'x'"
      )
      assert.strictEqual(result.stdout, "")
    }))
})

describe("colours", () => {
  const escapes = (text: string) => text.includes("\x1b[")
  it.effect("help has none when stdout is not a terminal, or NO_COLOR is set; keeps them on a terminal", () =>
    Effect.gen(function*() {
      for (const argv of [["--help"], ["users", "update", "--help"], ["emulator", "--help"]]) {
        const piped = yield* run(argv)
        assert.isFalse(escapes(piped.stdout), argv.join(" "))
        assert.include(piped.stdout, "USAGE")
        const noColor = yield* run(argv, { stdoutTty: true, env: { NO_COLOR: "1" } })
        assert.isFalse(escapes(noColor.stdout), argv.join(" "))
        assert.strictEqual(noColor.stdout, piped.stdout)
        const terminal = yield* run(argv, { stdoutTty: true })
        assert.isTrue(escapes(terminal.stdout), argv.join(" "))
        // NO_COLOR set but empty does not count (https://no-color.org).
        const empty = yield* run(argv, { stdoutTty: true, env: { NO_COLOR: "" } })
        assert.strictEqual(empty.stdout, terminal.stdout)
      }
    }))
})

describe("the grammar", () => {
  it("is derived from the command tree (a newer @effect/cli that changes its shape fails here)", () => {
    const grammar = CommandLine.grammarOf(Cli.command.descriptor)
    assert.isDefined(grammar)
    assert.deepStrictEqual([...grammar!.flags.keys()], ["--url", "--token-file", "--json", "--emulator"])
    assert.deepStrictEqual([...grammar!.children.keys()], [
      "users",
      "accounts",
      "account-users",
      "agent-bots",
      "provision",
      "emulator"
    ])
    const users = grammar!.children.get("users")!
    assert.deepStrictEqual([...users.children.keys()], ["get", "create", "update", "delete", "login-url", "token"])
    const update = users.children.get("update")!
    assert.strictEqual(update.path, "users update")
    assert.deepStrictEqual(update.flags.get("--name"), {
      name: "--name",
      value: { _tag: "Text", placeholder: "text" },
      required: false,
      repeatable: false
    })
    assert.strictEqual(update.flags.get("--dry-run")!.value, undefined)
    assert.deepStrictEqual(update.flags.get("--concurrency")!.value, { _tag: "Integer" })
    assert.deepStrictEqual(update.flags.get("--format")!.value, { _tag: "Choice", choices: ["ndjson", "csv"] })
    assert.isTrue(update.flags.get("--custom-attribute")!.repeatable)
    assert.deepStrictEqual(update.positionals, [{ name: "<id>", required: false, repeatable: false }])
    assert.isTrue(users.children.get("create")!.flags.get("--email")!.required)
    assert.deepStrictEqual(grammar!.children.get("emulator")!.flags.get("--port")!.value, { _tag: "Integer" })
  })

  it("normalizes to: global options (glued to their value), the command, its options, -- positionals", () => {
    const grammar = CommandLine.grammarOf(Cli.command.descriptor)!
    assert.deepStrictEqual(
      CommandLine.normalize(grammar, [
        "users",
        "update",
        "--file",
        "team.ndjson",
        "--concurrency",
        "8",
        "--json",
        "--token-file",
        " spaced "
      ]),
      {
        _tag: "Args",
        args: ["--json", "--token-file", " spaced ", "users", "update", "--file", "team.ndjson", "--concurrency", "8"]
      }
    )
    assert.deepStrictEqual(CommandLine.normalize(grammar, ["users", "get", "-1", "--url", "users"]), {
      _tag: "Args",
      args: ["--url=users", "users", "get", "--", "-1"]
    })
    assert.deepStrictEqual(CommandLine.normalize(grammar, []), { _tag: "Args", args: [] })
  })
})
