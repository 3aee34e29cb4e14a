/**
 * `chatwoot-platform accounts ...` in process on the fake services: parsing, text and `--json` output, validation
 * before anything is sent, `update --merge`, exit codes, global options in any position.
 */
import * as Account from "@chatwoot-effect/core/Account"
import * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { ExitCode } from "../src/ExitCode.js"
import { configured, run, type RunResult } from "./utils/harness.js"
import { accountOneJson } from "./utils/platformFakes.js"

const sent = (result: RunResult) => result.calls.map((call) => call.operation)

/** A usage or validation failure: its code, one line on stderr, nothing on stdout, nothing sent. */
const refused = (result: RunResult, code: number, label: string) => {
  assert.strictEqual(result.code, code, `${label}: ${result.stderr}`)
  assert.strictEqual(result.stdout, "", label)
  assert.strictEqual(result.stderr.split("\n").length, 1, result.stderr)
  assert.match(result.stderr, /^chatwoot-platform: \S/)
  assert.deepStrictEqual(result.calls, [], label)
}

describe("accounts: help", () => {
  it.effect("every accounts command has help, with no configuration", () =>
    Effect.gen(function*() {
      for (const command of [[], ["list"], ["create"], ["get"], ["update"], ["delete"]]) {
        const result = yield* run(["accounts", ...command, "--help"])
        assert.strictEqual(result.code, 0, command.join(" "))
        assert.include(result.stdout, "USAGE")
        assert.strictEqual(result.targets.length, 0)
      }
      const update = yield* run(["accounts", "update", "--help"])
      assert.include(update.stdout, "--merge")
      assert.include(update.stdout, "Replaces the account's custom attributes whole")
      assert.include(update.stdout, "Replaces the account's limits whole")
      const root = yield* run(["--help"])
      for (const name of ["accounts create", "account-users add", "agent-bots create"]) {
        assert.include(root.stdout, name)
      }
    }))
})

describe("accounts: output", () => {
  it.effect("get: aligned text lines; --json is Chatwoot's body exactly", () =>
    Effect.gen(function*() {
      const text = yield* run(["accounts", "get", "1"], configured)
      assert.strictEqual(text.code, 0, text.stderr)
      assert.strictEqual(
        text.stdout,
        [
          "id:                 1",
          "name:               Demo Account",
          "status:             active",
          "locale:             en",
          "domain:             (none)",
          "support email:      Chatwoot <accounts@chatwoot.com>",
          "features:           3 on: inbound_emails, agent_bots, help_center",
          "limits:             {\"agents\":5}",
          "custom attributes:  {\"plan\":\"free\",\"seats\":3}"
        ].join("\n")
      )
      const json = yield* run(["--json", "accounts", "get", "1"], configured)
      assert.strictEqual(json.code, 0)
      assert.strictEqual(json.stdout, JSON.stringify(accountOneJson))
      assert.deepStrictEqual(json.calls, [{ operation: "accounts.get", id: 1 }])
    }))

  it.effect("list: one line per account, a clear line when there are none; --json is the array", () =>
    Effect.gen(function*() {
      const two = new Account.Account({
        id: Account.AccountId.make(12),
        name: "Acme",
        locale: "pt_BR",
        status: null
      })
      const many = yield* run(["accounts", "list"], {
        ...configured,
        accounts: { list: () => Effect.succeed([Account.Account.make(accountOneJson as never), two]) }
      })
      assert.strictEqual(many.code, 0, many.stderr)
      assert.strictEqual(many.stdout, "1   Demo Account  active  en\n12  Acme          (none)  pt_BR")
      const json = yield* run(["accounts", "list", "--json"], configured)
      assert.strictEqual(json.stdout, JSON.stringify([accountOneJson]))
      const empty = yield* run(["accounts", "list"], { ...configured, accounts: { list: () => Effect.succeed([]) } })
      assert.strictEqual(empty.stdout, "No accounts: this platform app sees only the accounts it created.")
      const emptyJson = yield* run(["--json", "accounts", "list"], {
        ...configured,
        accounts: { list: () => Effect.succeed([]) }
      })
      assert.strictEqual(emptyJson.stdout, "[]")
    }))

  it.effect("delete: a sentence that says the delete is in the background; --json {id, deleted}", () =>
    Effect.gen(function*() {
      const text = yield* run(["accounts", "delete", "1"], configured)
      assert.strictEqual(text.code, 0)
      assert.match(text.stdout, /^Deleted account 1 \(Chatwoot removes it .* in the background/)
      const json = yield* run(["accounts", "delete", "1", "--json"], configured)
      assert.strictEqual(json.stdout, "{\"id\":1,\"deleted\":true}")
      assert.deepStrictEqual(sent(json), ["accounts.delete"])
    }))
})

describe("accounts create", () => {
  it.effect("sends exactly the flags given: features as booleans, limits as integers, attributes merged", () =>
    Effect.gen(function*() {
      const result = yield* run([
        "accounts",
        "create",
        "--name",
        "Acme",
        "--locale",
        "pt_BR",
        "--domain",
        "acme.inc",
        "--support-email",
        "help@acme.inc",
        "--status",
        "suspended",
        "--feature",
        "help_center=on",
        "--feature",
        "ip_lookup=OFF",
        "--feature",
        "agent_bots=true",
        "--feature",
        "macros=false",
        "--limit",
        "agents=5",
        "--limit",
        "inboxes=10",
        "--custom-attributes",
        "{\"plan\":\"pro\",\"seats\":3}",
        "--custom-attribute",
        "plan=team"
      ], configured)
      assert.strictEqual(result.code, 0, result.stderr)
      assert.deepStrictEqual(result.calls, [{
        operation: "accounts.create",
        payload: {
          name: "Acme",
          domain: "acme.inc",
          support_email: "help@acme.inc",
          locale: "pt_BR",
          status: "suspended",
          features: { help_center: true, ip_lookup: false, agent_bots: true, macros: false },
          limits: { agents: 5, inboxes: 10 },
          custom_attributes: { plan: "team", seats: 3 }
        }
      }])
      assert.include(result.stdout, "name:               Acme")
    }))

  it.effect("only --name is needed; without it the command line is refused", () =>
    Effect.gen(function*() {
      const ok = yield* run(["accounts", "create", "--name", "Solo"], configured)
      assert.strictEqual(ok.code, 0, ok.stderr)
      assert.deepStrictEqual(ok.calls, [{ operation: "accounts.create", payload: { name: "Solo" } }])
      const missing = yield* run(["accounts", "create", "--locale", "en"], configured)
      refused(missing, ExitCode.Usage, "no name")
      assert.strictEqual(
        missing.stderr,
        "chatwoot-platform: \"accounts create\" needs --name (see chatwoot-platform accounts create --help)"
      )
    }))

  it.effect("a value Chatwoot would answer with a 500 or a surprise is exit 3 naming the field and rule, unsent", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [["--feature", "frobnicate=on"], "features: \"frobnicate\" is not one of Chatwoot's 59 feature flags"],
        [["--feature", "flags=on"], "\"flags\" is not one of Chatwoot's 59 feature flags"],
        [["--locale", "pt-BR"], "locale: locale must be one of Chatwoot's 39 enabled locale codes"],
        [["--limit", "seats=3"], "limits: \"seats\" is not a limit (expected inboxes, agents"],
        [["--support-email", `${"a".repeat(96)}@x.io`], "support_email is too long (maximum is 100 characters)"],
        [["--domain", "d".repeat(101)], "domain is too long (maximum is 100 characters)"]
      ]
      for (const [flags, expected] of cases) {
        const result = yield* run(["accounts", "create", "--name", "Acme", ...flags], configured)
        refused(result, ExitCode.Validation, flags.join(" "))
        assert.include(result.stderr, "accounts.create: invalid ")
        assert.include(result.stderr, "nothing was sent")
        assert.include(result.stderr, expected)
      }
      const blank = yield* run(["accounts", "create", "--name", "   "], configured)
      refused(blank, ExitCode.Validation, "blank name")
      assert.include(blank.stderr, "name")
    }))

  it.effect("a malformed --feature, --limit, --status or --custom-attributes is a usage error naming the flag", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [
          ["--feature", "help_center=maybe"],
          "--feature help_center: the value must be on or off (or true/false), got 'maybe'"
        ],
        [["--feature", "help_center"], "--feature expects NAME=on or NAME=off (e.g. --feature help_center=on)"],
        [["--feature", "=on"], "--feature expects NAME=on or NAME=off"],
        [["--feature", "help_center=1"], "the value must be on or off"],
        [["--limit", "agents=-1"], "--limit agents: the value must be a non-negative integer, got '-1'"],
        [["--limit", "agents=many"], "--limit agents: the value must be a non-negative integer, got 'many'"],
        [["--limit", "agents"], "--limit expects KEY=N (e.g. --limit agents=5)"],
        [["--status", "paused"], "--status must be active or suspended, got 'paused'"],
        [["--custom-attributes", "[1]"], "--custom-attributes must be a JSON object"],
        [["--custom-attribute", "plan"], "--custom-attribute expects KEY=VALUE"]
      ]
      for (const [flags, expected] of cases) {
        const result = yield* run(["accounts", "create", "--name", "Acme", ...flags], configured)
        refused(result, ExitCode.Usage, flags.join(" "))
        assert.include(result.stderr, expected)
      }
    }))
})

describe("accounts update", () => {
  it.effect("sends only the fields given; --clear-domain sends null", () =>
    Effect.gen(function*() {
      const result = yield* run(
        ["accounts", "update", "1", "--name", "Renamed", "--clear-domain", "--feature", "help_center=off"],
        configured
      )
      assert.strictEqual(result.code, 0, result.stderr)
      assert.deepStrictEqual(result.calls, [{
        operation: "accounts.update",
        id: 1,
        payload: { name: "Renamed", domain: null, features: { help_center: false } }
      }])
      assert.include(result.stdout, "name:               Renamed")
    }))

  it.effect("without --merge the hashes go as given (Chatwoot replaces them whole), with no read", () =>
    Effect.gen(function*() {
      const result = yield* run(["accounts", "update", "1", "--custom-attribute", "tier=gold"], configured)
      assert.strictEqual(result.code, 0, result.stderr)
      assert.deepStrictEqual(result.calls, [{
        operation: "accounts.update",
        id: 1,
        payload: { custom_attributes: { tier: "gold" } }
      }])
    }))

  it.effect("--merge reads the account and keeps the keys not given, in custom attributes and limits", () =>
    Effect.gen(function*() {
      const result = yield* run(
        ["accounts", "update", "1", "--merge", "--custom-attribute", "plan=pro", "--limit", "inboxes=10"],
        configured
      )
      assert.strictEqual(result.code, 0, result.stderr)
      assert.deepStrictEqual(result.calls, [
        { operation: "accounts.get", id: 1 },
        {
          operation: "accounts.update",
          id: 1,
          payload: { custom_attributes: { plan: "pro", seats: 3 }, limits: { agents: 5, inboxes: 10 } }
        }
      ])
      // Nothing to merge: no read.
      const plain = yield* run(["accounts", "update", "1", "--merge", "--name", "X"], configured)
      assert.deepStrictEqual(sent(plain), ["accounts.update"])
      // The read's 404 is the command's: nothing written.
      const missing = yield* run(["accounts", "update", "7", "--merge", "--custom-attribute", "a=b"], configured)
      assert.strictEqual(missing.code, ExitCode.NotFound)
      assert.strictEqual(missing.stderr, "chatwoot-platform: accounts.get: account 7 was not found")
      assert.deepStrictEqual(sent(missing), ["accounts.get"])
    }))

  it.effect("a bad flag with --merge sends nothing at all, not even the read", () =>
    Effect.gen(function*() {
      const result = yield* run(
        ["accounts", "update", "1", "--merge", "--limit", "seats=3", "--custom-attribute", "a=b"],
        configured
      )
      refused(result, ExitCode.Validation, "bad limit")
      assert.include(result.stderr, "accounts.update: invalid limits")
    }))

  it.effect("nothing to update, or contradicting flags, is a usage error; so is a bad id", () =>
    Effect.gen(function*() {
      const nothing = yield* run(["accounts", "update", "1"], configured)
      refused(nothing, ExitCode.Usage, "nothing")
      assert.include(nothing.stderr, "Nothing to update: pass at least one of --name")
      const both = yield* run(["accounts", "update", "1", "--domain", "x.io", "--clear-domain"], configured)
      refused(both, ExitCode.Usage, "both")
      assert.include(both.stderr, "--domain and --clear-domain contradict each other")
      for (const id of ["abc", "0", "-2", "1.5"]) {
        const bad = yield* run(["accounts", "get", id], configured)
        refused(bad, ExitCode.Usage, id)
        assert.strictEqual(
          bad.stderr,
          `chatwoot-platform: <id> must be a positive integer (a Chatwoot account id), got '${id}'`
        )
      }
    }))
})

describe("accounts: exit codes", () => {
  const accountId = 1
  const failures: ReadonlyArray<
    readonly [string, PlatformUsersError.MemberError | PlatformUsersError.Validation, number]
  > = [
    [
      "invalid token",
      new PlatformUsersError.Unauthorized({ operation: "accounts.get", reason: "InvalidToken" }),
      ExitCode.InvalidToken
    ],
    [
      "not permitted",
      new PlatformUsersError.Unauthorized({
        operation: "accounts.get",
        reason: "NonPermissibleResource",
        resource: "account",
        id: accountId
      }),
      ExitCode.NotPermitted
    ],
    [
      "not found",
      new PlatformUsersError.NotFound({ operation: "accounts.get", resource: "account", id: accountId }),
      ExitCode.NotFound
    ],
    ["rate limited", new PlatformUsersError.RateLimited({ operation: "accounts.get" }), ExitCode.RateLimited],
    [
      "server error",
      new PlatformUsersError.ServerError({ operation: "accounts.get", status: 500 }),
      ExitCode.ServerError
    ],
    [
      "network",
      new PlatformUsersError.TransportError({ operation: "accounts.get", reason: "Network", detail: "ECONNREFUSED" }),
      ExitCode.Network
    ],
    [
      "unexpected response",
      new PlatformUsersError.UnexpectedResponse({
        operation: "accounts.get",
        reason: "Decode",
        status: 200,
        detail: "not an account"
      }),
      ExitCode.UnexpectedResponse
    ]
  ]
  for (const [label, error, code] of failures) {
    it.effect(`${label} -> exit ${code}, the error's sentence on stderr, nothing on stdout`, () =>
      Effect.gen(function*() {
        for (const json of [[], ["--json"]]) {
          const result = yield* run([...json, "accounts", "get", "1"], {
            ...configured,
            accounts: { get: () => Effect.fail(error as PlatformUsersError.MemberError) }
          })
          assert.strictEqual(result.code, code)
          assert.strictEqual(result.stdout, "")
          assert.strictEqual(result.stderr, `chatwoot-platform: ${error.message}`)
          assert.notInclude(result.stderr, "platform-secret")
        }
      }))
  }

  it.effect("a 422 from Chatwoot on create is exit 3 with Chatwoot's message", () =>
    Effect.gen(function*() {
      const error = new PlatformUsersError.Validation({
        operation: "accounts.create",
        source: "server",
        attributes: ["limits"],
        issues: [],
        serverMessage: "Limits : Invalid data"
      })
      const result = yield* run(["accounts", "create", "--name", "Acme"], {
        ...configured,
        accounts: { create: () => Effect.fail(error) }
      })
      assert.strictEqual(result.code, ExitCode.Validation)
      assert.strictEqual(result.stderr, `chatwoot-platform: ${error.message}`)
      assert.include(result.stderr, "Limits : Invalid data")
    }))
})

describe("accounts: global options anywhere", () => {
  it.effect("--json and --url before, between and after the command's repeatable options: one outcome", () =>
    Effect.gen(function*() {
      const command = ["accounts", "create", "--feature", "help_center=on", "--name", "Acme", "--feature", "sla=off"]
      const expected = yield* run(["--json", "--url", "http://127.0.0.1:9", ...command], configured)
      assert.strictEqual(expected.code, 0, expected.stderr)
      assert.deepStrictEqual(JSON.parse(expected.stdout).name, "Acme")
      assert.deepStrictEqual(expected.calls, [{
        operation: "accounts.create",
        payload: { name: "Acme", features: { help_center: true, sla: false } }
      }])
      const placements = [
        [
          "accounts",
          "--json",
          "create",
          "--feature",
          "help_center=on",
          "--url",
          "http://127.0.0.1:9",
          "--name",
          "Acme",
          "--feature",
          "sla=off"
        ],
        [...command.slice(0, 4), "--json", ...command.slice(4), "--url=http://127.0.0.1:9"],
        [...command, "--url", "http://127.0.0.1:9", "--json"],
        ["--url", "http://127.0.0.1:9", ...command.slice(0, 6), "--json", ...command.slice(6)],
        // Glued values, with the `=` of the pair inside.
        [
          "accounts",
          "create",
          "--feature=help_center=on",
          "--json",
          "--name=Acme",
          "--feature=sla=off",
          "--url=http://127.0.0.1:9"
        ]
      ]
      for (const argv of placements) {
        const result = yield* run(argv, configured)
        assert.deepStrictEqual(
          { code: result.code, stdout: result.stdout, stderr: result.stderr, calls: result.calls },
          { code: expected.code, stdout: expected.stdout, stderr: expected.stderr, calls: expected.calls },
          argv.join(" ")
        )
        assert.strictEqual(result.targets[0]!.baseUrl, "http://127.0.0.1:9")
      }
    }))

  it.effect("an option of another command is named with the commands of the group typed", () =>
    Effect.gen(function*() {
      const result = yield* run(["accounts", "get", "1", "--name", "X"], configured)
      refused(result, ExitCode.Usage, "--name on get")
      assert.strictEqual(
        result.stderr,
        "chatwoot-platform: unknown option --name for \"accounts get\": it is an option of \"accounts create\" and " +
          "\"accounts update\""
      )
      const before = yield* run(["--merge", "accounts", "update", "1", "--name", "X"], configured)
      refused(before, ExitCode.Usage, "--merge first")
      assert.strictEqual(
        before.stderr,
        "chatwoot-platform: --merge is an option of \"accounts update\": put it after that command"
      )
    }))
})
