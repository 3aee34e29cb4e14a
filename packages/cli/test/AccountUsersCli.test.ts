/**
 * `chatwoot-platform account-users ...` in process on the fake services: parsing, text and `--json` output, checks
 * before anything is sent, exit codes.
 */
import * as AccountUser from "@chatwoot-effect/core/AccountUser"
import * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { ExitCode } from "../src/ExitCode.js"
import { configured, run, type RunResult } from "./utils/harness.js"
import { memberOneJson } from "./utils/platformFakes.js"

const refused = (result: RunResult, code: number, label: string) => {
  assert.strictEqual(result.code, code, `${label}: ${result.stderr}`)
  assert.strictEqual(result.stdout, "", label)
  assert.strictEqual(result.stderr.split("\n").length, 1, result.stderr)
  assert.deepStrictEqual(result.calls, [], label)
}

describe("account-users", () => {
  it.effect("help for every command, with no configuration", () =>
    Effect.gen(function*() {
      for (const command of [[], ["list"], ["add"], ["remove"]]) {
        const result = yield* run(["account-users", ...command, "--help"])
        assert.strictEqual(result.code, 0, command.join(" "))
        assert.include(result.stdout, "USAGE")
        assert.strictEqual(result.targets.length, 0)
      }
    }))

  it.effect("list: one line per member; a clear line for none; --json is Chatwoot's array exactly", () =>
    Effect.gen(function*() {
      const two = Schema.decodeUnknownSync(AccountUser.AccountUser)({
        ...memberOneJson,
        id: 12,
        user_id: 20,
        role: "agent",
        availability: "busy"
      })
      const text = yield* run(["account-users", "list", "1"], {
        ...configured,
        accountUsers: {
          list: () => Effect.succeed([Schema.decodeUnknownSync(AccountUser.AccountUser)(memberOneJson), two])
        }
      })
      assert.strictEqual(text.code, 0, text.stderr)
      assert.strictEqual(text.stdout, "user 1   administrator  online\nuser 20  agent          busy")
      const json = yield* run(["--json", "account-users", "list", "1"], configured)
      assert.strictEqual(json.stdout, JSON.stringify([memberOneJson]))
      assert.deepStrictEqual(json.calls, [{ operation: "accountUsers.list", id: 1 }])
      const empty = yield* run(["account-users", "list", "1"], {
        ...configured,
        accountUsers: { list: () => Effect.succeed([]) }
      })
      assert.strictEqual(empty.stdout, "No members in account 1.")
    }))

  it.effect("add sends user_id and the role given (none when not given); prints the membership", () =>
    Effect.gen(function*() {
      const admin = yield* run(["account-users", "add", "1", "--user", "2", "--role", "administrator"], configured)
      assert.strictEqual(admin.code, 0, admin.stderr)
      assert.deepStrictEqual(admin.calls, [{
        operation: "accountUsers.add",
        id: 1,
        payload: { user_id: 2, role: "administrator" }
      }])
      assert.strictEqual(
        admin.stdout,
        [
          "account:            1",
          "user:               2",
          "role:               administrator",
          "availability:       online",
          "active at:          (never)",
          "member since:       2025-12-30T11:25:54.123Z"
        ].join("\n")
      )
      const plain = yield* run(["account-users", "add", "1", "--user", "2", "--json"], configured)
      assert.strictEqual(plain.code, 0, plain.stderr)
      assert.deepStrictEqual(plain.calls[0]!.payload, { user_id: 2 })
      assert.strictEqual(plain.stdout, JSON.stringify({ ...memberOneJson, id: 12, user_id: 2, role: "agent" }))
    }))

  it.effect("a bad role, user id or account id is a usage error before anything is sent", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [["add", "1", "--user", "2", "--role", "admin"], "--role must be agent or administrator, got 'admin'"],
        [["add", "1", "--user", "abc"], "--user must be a positive integer (a Chatwoot user id), got 'abc'"],
        [["add", "1", "--user", "0"], "--user must be a positive integer (a Chatwoot user id), got '0'"],
        [["remove", "1", "--user", "-4"], "--user must be a positive integer (a Chatwoot user id), got '-4'"],
        [["add", "1"], "\"account-users add\" needs --user (see chatwoot-platform account-users add --help)"],
        // Chatwoot removes nobody, with a 200, when user_id is missing: never send that.
        [["remove", "1"], "\"account-users remove\" needs --user"],
        [["list", "x"], "<account-id> must be a positive integer (a Chatwoot account id), got 'x'"],
        [["list"], "\"account-users list\" needs <account-id>"]
      ]
      for (const [argv, expected] of cases) {
        const result = yield* run(["account-users", ...argv], configured)
        refused(result, ExitCode.Usage, argv.join(" "))
        assert.include(result.stderr, expected)
      }
    }))

  it.effect("remove sends user_id; text says the user stays; --json {account_id, user_id, removed}", () =>
    Effect.gen(function*() {
      const text = yield* run(["account-users", "remove", "1", "--user", "2"], configured)
      assert.strictEqual(text.code, 0, text.stderr)
      assert.deepStrictEqual(text.calls, [{ operation: "accountUsers.remove", id: 1, payload: { user_id: 2 } }])
      assert.match(text.stdout, /^Removed user 2 from account 1 \(the user stays/)
      const json = yield* run(["account-users", "remove", "--json", "1", "--user", "2"], configured)
      assert.strictEqual(json.stdout, "{\"account_id\":1,\"user_id\":2,\"removed\":true}")
    }))

  it.effect("the account's 404 is exit 6; Chatwoot's User must exist is exit 3; no permission on it is exit 5", () =>
    Effect.gen(function*() {
      const missing = yield* run(["account-users", "list", "9"], configured)
      assert.strictEqual(missing.code, ExitCode.NotFound)
      assert.strictEqual(missing.stderr, "chatwoot-platform: accountUsers.list: account 9 was not found")
      const noUser = new PlatformUsersError.Validation({
        operation: "accountUsers.add",
        source: "server",
        attributes: ["user"],
        issues: [],
        serverMessage: "User must exist"
      })
      const invalid = yield* run(["account-users", "add", "1", "--user", "999"], {
        ...configured,
        accountUsers: { add: () => Effect.fail(noUser) }
      })
      assert.strictEqual(invalid.code, ExitCode.Validation)
      assert.strictEqual(invalid.stderr, `chatwoot-platform: ${noUser.message}`)
      const denied = new PlatformUsersError.Unauthorized({
        operation: "accountUsers.remove",
        reason: "NonPermissibleResource",
        resource: "account",
        id: 1
      })
      const forbidden = yield* run(["account-users", "remove", "1", "--user", "2"], {
        ...configured,
        accountUsers: { remove: () => Effect.fail(denied) }
      })
      assert.strictEqual(forbidden.code, ExitCode.NotPermitted)
      assert.include(forbidden.stderr, "no permission on the account")
      assert.strictEqual(forbidden.stdout, "")
    }))

  it.effect("global options in any position, around the repeatable-free add", () =>
    Effect.gen(function*() {
      const expected = yield* run(["--json", "account-users", "add", "1", "--user", "2", "--role", "agent"], configured)
      assert.strictEqual(expected.code, 0, expected.stderr)
      for (
        const argv of [
          ["account-users", "--json", "add", "1", "--user", "2", "--role", "agent"],
          ["account-users", "add", "--json", "1", "--user", "2", "--role", "agent"],
          ["account-users", "add", "1", "--user", "2", "--json", "--role", "agent"],
          ["account-users", "add", "--role", "agent", "--user", "2", "1", "--json"]
        ]
      ) {
        const result = yield* run(argv, configured)
        assert.strictEqual(result.code, 0, `${argv.join(" ")}: ${result.stderr}`)
        assert.strictEqual(result.stdout, expected.stdout, argv.join(" "))
        assert.deepStrictEqual(result.calls, expected.calls, argv.join(" "))
      }
    }))
})
