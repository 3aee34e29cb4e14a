/**
 * `chatwoot-platform provision --email ... --account ...` in process on the in-memory Platform API: each step's
 * outcome in text and `--json`, the request counts (a rerun: one request, everything unchanged), a claim, a role
 * change, the login link, a failure at each step with what came before, the checks before sending, and the password
 * never in any output.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { ExitCode } from "../src/ExitCode.js"
import { type CliResult, makeMemory, type Memory, runCli } from "./utils/provisionMemory.js"

const ok = (result: CliResult, label: string) => {
  assert.strictEqual(result.code, 0, `${label}: ${result.stderr}`)
  assert.strictEqual(result.stderr, "", label)
  return result.stdout
}

const refused = (result: CliResult, code: number, expected: string) => {
  assert.strictEqual(result.code, code, result.stderr)
  assert.strictEqual(result.stdout, "")
  assert.strictEqual(result.stderr.split("\n").length, 1, result.stderr)
  assert.include(result.stderr, expected)
}

const roleIn = (memory: Memory, accountId: number, userId: number) =>
  Effect.map(memory.handle.accountUsers(accountId), (rows) => rows.find((row) => row.user_id === userId)?.role)

const newPerson = ["provision", "--email", " New.Person@Example.com ", "--name", "New Person", "--account", "1"]

describe("provision: one person", () => {
  it.scoped("a new person: created and added in 2 requests; the rerun: unchanged twice in exactly 1", () =>
    Effect.gen(function*() {
      const memory = yield* makeMemory()
      const first = ok(yield* runCli(memory, newPerson), "first")
      const user = (yield* memory.handle.users).find((u) => u.email === "new.person@example.com")!
      assert.isDefined(user)
      assert.strictEqual(
        first,
        [
          `user:               created: user ${user.id} (new.person@example.com); its password is random and was ` +
          "never shown: sign in through an SSO link (--login-url)",
          "membership:         added: agent of account 1",
          "requests:           2"
        ].join("\n")
      )
      assert.deepStrictEqual(memory.operations(), ["create", "accountUsers.add"])
      assert.deepStrictEqual(memory.sent[0]!.payload, { name: "New Person", email: "new.person@example.com" })
      assert.strictEqual(yield* roleIn(memory, 1, user.id), "agent")
      // The random password meets the policy, reached the server, and shows nowhere.
      assert.strictEqual(memory.passwords.length, 1)
      assert.isTrue(yield* memory.handle.passwordMatches(user.id, memory.passwords[0]!))
      assert.notInclude(first, memory.passwords[0]!)

      const before = yield* memory.state
      memory.sent.length = 0
      const again = ok(yield* runCli(memory, newPerson), "rerun")
      assert.strictEqual(
        again,
        [
          `user:               unchanged: user ${user.id} (new.person@example.com) already as wanted`,
          "membership:         unchanged: already agent of account 1",
          "requests:           1"
        ].join("\n")
      )
      assert.deepStrictEqual(memory.operations(), ["create"])
      assert.strictEqual(yield* memory.state, before)
      // The rerun's create carried a (new) random password; Chatwoot's find-or-create ignores it for an existing user.
      assert.isTrue(yield* memory.handle.passwordMatches(user.id, memory.passwords[0]!))

      memory.sent.length = 0
      const json = ok(yield* runCli(memory, ["--json", ...newPerson]), "json")
      assert.strictEqual(
        json,
        JSON.stringify({
          status: "unchanged",
          email: "new.person@example.com",
          user_id: user.id,
          account_id: 1,
          role: "agent",
          user: "unchanged",
          membership: "unchanged",
          updated: [],
          requests: 1
        })
      )
      assert.deepStrictEqual(memory.operations(), ["create"])
    }))

  it.scoped("an existing user no app held is claimed, not duplicated; then only what differs is updated", () =>
    Effect.gen(function*() {
      const memory = yield* makeMemory()
      const users = (yield* memory.handle.users).length
      const claim = yield* runCli(memory, [
        "--json",
        "provision",
        "--email",
        "FAY@example.com",
        "--name",
        "Fay",
        "--account",
        "2"
      ])
      assert.deepStrictEqual(JSON.parse(ok(claim, "claim")), {
        status: "claimed",
        email: "fay@example.com",
        user_id: 6,
        account_id: 2,
        role: "agent",
        user: "claimed",
        membership: "added",
        updated: [],
        requests: 2
      })
      assert.strictEqual((yield* memory.handle.users).length, users)
      assert.strictEqual(yield* roleIn(memory, 2, 6), "agent")
      // Custom attributes: only the keys given are compared and sent (Chatwoot merges).
      memory.sent.length = 0
      const update = ok(
        yield* runCli(memory, [
          "provision",
          "--email",
          "fay@example.com",
          "--name",
          "Fay",
          "--account",
          "2",
          "--display-name",
          "Fay F",
          "--custom-attribute",
          "x=1",
          "--custom-attributes",
          "{\"x\":1,\"team\":\"b\"}"
        ]),
        "update"
      )
      // The pair wins over the JSON: x becomes the string "1".
      assert.include(
        update,
        "updated: user 6 (fay@example.com): display_name, custom_attributes.x, custom_attributes.team"
      )
      assert.include(update, "membership:         unchanged: already agent of account 2")
      assert.deepStrictEqual(memory.operations(), ["create", "update"])
      assert.deepStrictEqual(memory.sent[1]!.payload, {
        display_name: "Fay F",
        custom_attributes: { x: "1", team: "b" }
      })
      const fay = Option.getOrThrow(yield* memory.handle.user(6))
      assert.deepStrictEqual(fay.custom_attributes, { x: "1", team: "b" })
    }))

  it.scoped("a role change: the membership's role alone, or with an update; the status is the biggest change", () =>
    Effect.gen(function*() {
      const memory = yield* makeMemory()
      const promote = ok(
        yield* runCli(memory, [
          "provision",
          "--email",
          "alice@example.com",
          "--name",
          "Alice",
          "--account",
          "1",
          "--role",
          "administrator"
        ]),
        "promote"
      )
      assert.strictEqual(
        promote,
        [
          "user:               unchanged: user 1 (alice@example.com) already as wanted",
          "membership:         role changed: now administrator of account 1",
          "requests:           2"
        ].join("\n")
      )
      assert.deepStrictEqual(memory.operations(), ["create", "accountUsers.add"])
      assert.deepStrictEqual(memory.sent[1]!.payload, { user_id: 1, role: "administrator" })
      assert.strictEqual(yield* roleIn(memory, 1, 1), "administrator")

      memory.sent.length = 0
      const both = JSON.parse(ok(
        yield* runCli(memory, [
          "provision",
          "--json",
          "--email",
          "alice@example.com",
          "--name",
          "Alice Smith",
          "--account",
          "1"
        ]),
        "both"
      ))
      // No --role: agent, the default; an administrator provisioned without it becomes an agent.
      assert.deepStrictEqual(
        [both.status, both.user, both.membership, both.updated, both.requests],
        ["updated", "updated", "role_changed", ["name"], 3]
      )
      assert.strictEqual(yield* roleIn(memory, 1, 1), "agent")
    }))

  it.scoped("--login-url mints the SSO link last; the user's accounts list the membership", () =>
    Effect.gen(function*() {
      const memory = yield* makeMemory()
      const text = ok(
        yield* runCli(memory, [...newPerson, "--login-url", "--role", "administrator"]),
        "link"
      )
      const user = (yield* memory.handle.users).find((u) => u.email === "new.person@example.com")!
      assert.match(
        text,
        /^login url: +\/app\/login\?email=new\.person%40example\.com&sso_auth_token=[0-9a-f]+ \(single use, 5 minutes\)$/m
      )
      assert.include(text, "requests:           3")
      assert.deepStrictEqual(memory.operations(), ["create", "accountUsers.add", "loginUrl"])
      assert.deepStrictEqual(user.accounts.map((a) => [a.id, a.role]), [[1, "administrator"]])
      const json = JSON.parse(ok(yield* runCli(memory, ["--json", ...newPerson, "--login-url"]), "json"))
      assert.match(json.login_url, /sso_auth_token=/)
    }))

  it.scoped("a failure names its step and what the steps before did; the exit code is the error's", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<
        readonly [string, "create" | "update" | "accountUsers.add" | "loginUrl", ReadonlyArray<string>, string, number]
      > = [
        ["user", "create", newPerson, "the user step failed (1 request sent)", 1],
        [
          "update",
          "update",
          ["provision", "--email", "alice@example.com", "--name", "Alice B", "--account", "1"],
          "the update step failed (user claimed; 2 requests sent)",
          2
        ],
        ["membership", "accountUsers.add", newPerson, "the membership step failed (user created; 2 requests sent)", 2],
        [
          "loginUrl",
          "loginUrl",
          [...newPerson, "--login-url"],
          "the loginUrl step failed (user created, membership added; 3 requests sent)",
          3
        ]
      ]
      for (const [label, operation, argv, expected, requests] of cases) {
        const memory = yield* makeMemory()
        memory.fail(operation)
        const result = yield* runCli(memory, argv, "Secret-Passw0rd!\n")
        refused(result, ExitCode.ServerError, expected)
        assert.include(result.stderr, `chatwoot-platform: provision `, label)
        assert.strictEqual(memory.sent.length, requests, label)
        // Retried, it finishes from where it is (create finds the user the failed run made).
        const retried = yield* runCli(memory, argv)
        assert.strictEqual(retried.code, 0, `${label}: ${retried.stderr}`)
      }
      const memory = yield* makeMemory()
      memory.fail("create", 1, "InvalidToken")
      refused(yield* runCli(memory, newPerson), ExitCode.InvalidToken, "the user step failed")
      // No such account: Chatwoot's 404 at the membership step, after the user was made.
      const missing = yield* makeMemory()
      refused(
        yield* runCli(missing, ["provision", "--email", "x@example.com", "--name", "X", "--account", "99"]),
        ExitCode.NotFound,
        "x@example.com in account 99: the membership step failed (user created; 2 requests sent)"
      )
    }))

  it.scoped("--password-stdin: a new user's password, sent in the create and never in any output", () =>
    Effect.gen(function*() {
      const secret = "Hunter2-Passw0rd!"
      const memory = yield* makeMemory()
      const outputs: Array<string> = []
      const created = yield* runCli(memory, [...newPerson, "--password-stdin"], `${secret}\n`)
      outputs.push(ok(created, "created"))
      assert.notInclude(created.stdout, "password is random")
      assert.deepStrictEqual(memory.passwords, [secret])
      const user = (yield* memory.handle.users).find((u) => u.email === "new.person@example.com")!
      assert.isTrue(yield* memory.handle.passwordMatches(user.id, secret))
      const json = yield* runCli(memory, ["--json", ...newPerson, "--password-stdin"], `${secret}\n`)
      outputs.push(ok(json, "json"), json.stderr)
      // Failures after the create carried it.
      memory.fail("accountUsers.add")
      const failed = yield* runCli(memory, [
        "provision",
        "--email",
        "other@example.com",
        "--name",
        "O",
        "--account",
        "1",
        "--password-stdin"
      ], `${secret}\n`)
      assert.strictEqual(failed.code, ExitCode.ServerError)
      outputs.push(failed.stdout, failed.stderr)
      // A password breaking Chatwoot's policy is named, never quoted.
      const weak = yield* runCli(memory, [...newPerson, "--password-stdin"], "weakpass\n")
      refused(weak, ExitCode.Validation, "--password-stdin")
      outputs.push(weak.stderr)
      for (const output of outputs) {
        assert.notInclude(output, secret)
        assert.notInclude(output, "weakpass")
        for (const password of memory.passwords) assert.notInclude(output, password)
      }
      // An empty stdin is a usage error.
      refused(yield* runCli(memory, [...newPerson, "--password-stdin"]), ExitCode.Usage, "standard input is empty")
    }))

  it.scoped("checked before sending: bad values, missing flags, flags that do not go together", () =>
    Effect.gen(function*() {
      const memory = yield* makeMemory()
      refused(
        yield* runCli(memory, ["provision", "--email", "not-an-email", "--name", "X", "--account", "1"]),
        ExitCode.Validation,
        "create: invalid --email (checked before sending, nothing was sent): --email: Email is invalid [format]"
      )
      refused(
        yield* runCli(memory, [...newPerson, "--custom-attributes", "[1]"]),
        ExitCode.Usage,
        "--custom-attributes must be a JSON object"
      )
      refused(
        yield* runCli(memory, ["provision", "--email", "a@example.com", "--account", "1"]),
        ExitCode.Usage,
        "Missing --name: provision --email EMAIL --name NAME --account ACCOUNT_ID (or --file FILE)"
      )
      refused(
        yield* runCli(memory, ["provision"]),
        ExitCode.Usage,
        "Missing --email, --name, --account"
      )
      refused(
        yield* runCli(memory, ["provision", "--email", "a@example.com", "--name", "A", "--account", "0"]),
        ExitCode.Usage,
        "--account must be a positive integer (a Chatwoot account id), got '0'"
      )
      refused(yield* runCli(memory, [...newPerson, "--role", "boss"]), ExitCode.Usage, "--role")
      refused(yield* runCli(memory, [...newPerson, "--file", "x.csv"]), ExitCode.Usage, "--file provisions the people")
      refused(yield* runCli(memory, [...newPerson, "--prune", "1"]), ExitCode.Usage, "--prune needs --file FILE")
      refused(
        yield* runCli(memory, [...newPerson, "--prune-administrators"]),
        ExitCode.Usage,
        "--prune-administrators needs --prune"
      )
      refused(yield* runCli(memory, [...newPerson, "--journal", "j"]), ExitCode.Usage, "--journal: only with --file")
      assert.deepStrictEqual(memory.sent, [])
    }))

  it.scoped("--dry-run: the plan from reads only", () =>
    Effect.gen(function*() {
      const memory = yield* makeMemory()
      const before = yield* memory.state
      const member = ok(
        yield* runCli(memory, [
          "provision",
          "--dry-run",
          "--email",
          "alice@example.com",
          "--name",
          "Alice",
          "--account",
          "1",
          "--role",
          "administrator"
        ]),
        "member"
      )
      assert.strictEqual(
        member,
        [
          "dry run:            nothing sent",
          "user:               unchanged: user 1 (alice@example.com)",
          "membership:         would change the role: administrator of account 1",
          "requests:           2"
        ].join("\n")
      )
      const stranger = JSON.parse(ok(yield* runCli(memory, ["--json", ...newPerson, "--dry-run"]), "stranger"))
      assert.strictEqual(stranger.status, "undecided")
      assert.include(stranger.reason, "cannot look a user up by email without claiming it")
      assert.isTrue(memory.operations().every((operation) => operation === "accountUsers.list" || operation === "get"))
      assert.strictEqual(yield* memory.state, before)
    }))
})
