import * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as User from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Readable } from "node:stream"
import { ExitCode } from "../src/ExitCode.js"
import { readFirstLine } from "../src/internal/stdin.js"
import { configured, run } from "./utils/harness.js"

const tempFile = (content: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cwp-cli-"))
  const file = path.join(dir, "token")
  fs.writeFileSync(file, content)
  return file
}

const payloadOf = (result: { calls: ReadonlyArray<{ payload?: unknown }> }) =>
  result.calls[0]!.payload as Record<string, unknown>

describe("help and configuration", () => {
  it.effect("--help works with no configuration at all", () =>
    Effect.gen(function*() {
      for (
        const argv of [["--help"], ["users", "--help"], ["users", "update", "--help"], ["users", "create", "--help"]]
      ) {
        const result = yield* run(argv)
        assert.strictEqual(result.code, 0, argv.join(" "))
        assert.strictEqual(result.stderr, "")
        assert.include(result.stdout, "USAGE")
        assert.strictEqual(result.targets.length, 0)
      }
      const root = yield* run(["--help"])
      assert.include(root.stdout, "users update")
      assert.notInclude(root.stdout, "--token text")
      assert.include(root.stdout, "--token-file text")
    }))

  it.effect("a missing URL is one sentence that says how to give it, exit 2", () =>
    Effect.gen(function*() {
      const result = yield* run(["users", "get", "1"], { env: { CHATWOOT_PLATFORM_TOKEN: "platform-secret" } })
      assert.strictEqual(result.code, ExitCode.Usage)
      assert.strictEqual(
        result.stderr,
        "chatwoot-platform: No Chatwoot URL: pass --url https://chatwoot.example.com or set CHATWOOT_URL (or use --emulator)"
      )
      assert.strictEqual(result.calls.length, 0)
    }))

  it.effect("a missing token is one sentence, exit 2", () =>
    Effect.gen(function*() {
      const result = yield* run(["--url", "https://chatwoot.example.com", "users", "get", "1"])
      assert.strictEqual(result.code, ExitCode.Usage)
      assert.strictEqual(
        result.stderr,
        "chatwoot-platform: No platform token: pass --token-file FILE or set CHATWOOT_PLATFORM_TOKEN (or use --emulator)"
      )
    }))

  it.effect("URL and token come from the environment", () =>
    Effect.gen(function*() {
      const result = yield* run(["users", "get", "1"], configured)
      assert.strictEqual(result.code, 0)
      assert.strictEqual(result.targets[0]!.baseUrl, "https://chatwoot.example.com")
      assert.strictEqual(Redacted.value(result.targets[0]!.apiAccessToken), "platform-secret")
    }))

  it.effect("--url wins over CHATWOOT_URL and --token-file over CHATWOOT_PLATFORM_TOKEN (first line, trimmed)", () =>
    Effect.gen(function*() {
      const file = tempFile("  file-token \nignored second line\n")
      const result = yield* run(
        ["--url", "http://127.0.0.1:3000", "--token-file", file, "users", "get", "1"],
        configured
      )
      assert.strictEqual(result.code, 0)
      assert.strictEqual(result.targets[0]!.baseUrl, "http://127.0.0.1:3000")
      assert.strictEqual(Redacted.value(result.targets[0]!.apiAccessToken), "file-token")
    }))

  it.effect("an empty or missing token file and a bad URL are usage errors naming the input", () =>
    Effect.gen(function*() {
      const empty = tempFile("\n")
      const a = yield* run(["--url", "http://x.test", "--token-file", empty, "users", "get", "1"])
      assert.strictEqual(a.code, ExitCode.Usage)
      assert.strictEqual(
        a.stderr,
        `chatwoot-platform: --token-file ${empty} is empty: put the platform app's access token on its first line`
      )
      const b = yield* run(["--url", "http://x.test", "--token-file", "/nonexistent/token", "users", "get", "1"])
      assert.strictEqual(b.code, ExitCode.Usage)
      assert.match(b.stderr, /^chatwoot-platform: Cannot read --token-file \/nonexistent\/token: NotFound/)
      const c = yield* run(["--url", "chatwoot.example.com", "users", "get", "1"], configured)
      assert.strictEqual(c.code, ExitCode.Usage)
      assert.include(c.stderr, "Invalid Chatwoot URL from --url")
      assert.strictEqual(a.calls.length + b.calls.length + c.calls.length, 0)
    }))

  it.effect("there is no --token nor --password flag", () =>
    Effect.gen(function*() {
      const a = yield* run(["--token", "t", "users", "get", "1"], configured)
      assert.strictEqual(a.code, ExitCode.Usage)
      const b = yield* run(["users", "update", "1", "--password", "Secr3t!pw"], configured)
      assert.strictEqual(b.code, ExitCode.Usage)
      assert.strictEqual(a.calls.length + b.calls.length, 0)
    }))

  it.effect("CHATWOOT_TOKEN_HEADER picks the token header (any case); unset leaves the client's default", () =>
    Effect.gen(function*() {
      const unset = yield* run(["users", "get", "1"], configured)
      assert.strictEqual(unset.code, 0)
      assert.isUndefined(unset.targets[0]!.tokenHeader)
      const cases = [["api_access_token", "api_access_token"], [" API-Access-Token", "api-access-token"]] as const
      for (const [value, expected] of cases) {
        const result = yield* run(["users", "get", "1"], { env: { ...configured.env, CHATWOOT_TOKEN_HEADER: value } })
        assert.strictEqual(result.code, 0, result.stderr)
        assert.strictEqual(result.targets[0]!.tokenHeader, expected)
      }
      const emulated = yield* run(["--emulator", "users", "get", "1"], {
        env: { CHATWOOT_TOKEN_HEADER: "api_access_token" }
      })
      assert.strictEqual(emulated.code, 0, emulated.stderr)
      assert.strictEqual(emulated.targets[0]!.tokenHeader, "api_access_token")
    }))

  it.effect("a CHATWOOT_TOKEN_HEADER Chatwoot does not read is one usage line naming it and the allowed names", () =>
    Effect.gen(function*() {
      for (const value of ["authorization", "api_access-token", "x-api-access-token", ""]) {
        const result = yield* run(["users", "get", "1"], { env: { ...configured.env, CHATWOOT_TOKEN_HEADER: value } })
        assert.strictEqual(result.code, ExitCode.Usage, value)
        assert.strictEqual(result.stdout, "")
        assert.strictEqual(result.stderr.split("\n").length, 1, result.stderr)
        assert.match(result.stderr, /^chatwoot-platform: Invalid environment: .*CHATWOOT_TOKEN_HEADER/)
        assert.include(result.stderr, "Expected api-access-token (the default) or api_access_token")
        assert.notInclude(result.stderr, "platform-secret")
        assert.strictEqual(result.calls.length + result.targets.length, 0)
      }
    }))

  it.effect("--emulator with --url is a usage error", () =>
    Effect.gen(function*() {
      const result = yield* run(["--emulator", "--url", "http://x.test", "users", "get", "1"])
      assert.strictEqual(result.code, ExitCode.Usage)
      assert.include(result.stderr, "--emulator and --url cannot be used together")
    }))
})

describe("users commands", () => {
  it.effect("get prints the user as text, or as Chatwoot's JSON with --json", () =>
    Effect.gen(function*() {
      const text = yield* run(["users", "get", "1"], configured)
      assert.strictEqual(text.code, 0)
      assert.include(text.stdout, "name:               Demo User")
      assert.include(text.stdout, "email:              demo@example.com")
      assert.include(text.stdout, "custom attributes:  {\"plan\":\"free\"}")
      const json = yield* run(["--json", "users", "get", "1"], configured)
      assert.strictEqual(json.code, 0)
      const body = JSON.parse(json.stdout)
      assert.strictEqual(body.id, 1)
      assert.strictEqual(body.email, "demo@example.com")
      assert.deepStrictEqual(body.custom_attributes, { plan: "free" })
    }))

  it.effect("update sends exactly the flags given, custom attributes merged from both forms", () =>
    Effect.gen(function*() {
      const result = yield* run([
        "--json",
        "users",
        "update",
        "1",
        "--name",
        "Dan",
        "--display-name",
        "Dan",
        "--email",
        " Dan@Acme.INC ",
        "--custom-attributes",
        "{\"plan\":\"basic\",\"seats\":3}",
        "--custom-attribute",
        "plan=pro",
        "--custom-attribute",
        "note=a=b"
      ], configured)
      assert.strictEqual(result.code, 0, result.stderr)
      assert.deepStrictEqual(result.calls[0], {
        operation: "update",
        id: 1,
        payload: {
          name: "Dan",
          display_name: "Dan",
          email: "dan@acme.inc",
          custom_attributes: { plan: "pro", seats: 3, note: "a=b" }
        }
      })
      assert.strictEqual(JSON.parse(result.stdout).name, "Dan")
    }))

  it.effect("--clear-display-name sends display_name null; with --display-name it is a usage error", () =>
    Effect.gen(function*() {
      const ok = yield* run(["users", "update", "1", "--clear-display-name"], configured)
      assert.strictEqual(ok.code, 0)
      assert.deepStrictEqual(payloadOf(ok), { display_name: null })
      assert.include(ok.stdout, "display name:       (none)")
      const both = yield* run(["users", "update", "1", "--display-name", "X", "--clear-display-name"], configured)
      assert.strictEqual(both.code, ExitCode.Usage)
      assert.strictEqual(both.calls.length, 0)
    }))

  it.effect("bad --custom-attributes / --custom-attribute are clear usage errors naming the flag", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<[ReadonlyArray<string>, string]> = [
        [["--custom-attributes", "{plan:pro}"], "chatwoot-platform: --custom-attributes is not valid JSON ("],
        [
          ["--custom-attributes", "[1,2]"],
          "chatwoot-platform: --custom-attributes must be a JSON object such as '{\"plan\":\"pro\"}', not an array"
        ],
        [["--custom-attributes", "\"x\""], "not a string"],
        [["--custom-attribute", "plan"], "chatwoot-platform: --custom-attribute expects KEY=VALUE"]
      ]
      for (const [flags, expected] of cases) {
        const result = yield* run(["users", "update", "1", ...flags], configured)
        assert.strictEqual(result.code, ExitCode.Usage, flags.join(" "))
        assert.include(result.stderr, expected)
        assert.strictEqual(result.stderr.split("\n").length, 1)
        assert.strictEqual(result.calls.length, 0)
      }
    }))

  it.effect("update with no field is a usage error; a client-side rule break is exit 3 and sends nothing", () =>
    Effect.gen(function*() {
      const nothing = yield* run(["users", "update", "1"], configured)
      assert.strictEqual(nothing.code, ExitCode.Usage)
      assert.include(nothing.stderr, "Nothing to update")
      const bad = yield* run(["users", "update", "1", "--email", "not-an-email"], configured)
      assert.strictEqual(bad.code, ExitCode.Validation)
      assert.include(bad.stderr, "update: invalid email")
      assert.strictEqual(nothing.calls.length + bad.calls.length, 0)
    }))

  it.effect("update --password-stdin reads one line from stdin, strips the newline, never prints it", () =>
    Effect.gen(function*() {
      const result = yield* run(["users", "update", "1", "--password-stdin"], { ...configured, stdin: "Secr3t!pw\r\n" })
      assert.strictEqual(result.code, 0, result.stderr)
      const password = payloadOf(result).password
      assert.isTrue(Redacted.isRedacted(password))
      assert.strictEqual(Redacted.value(password as Redacted.Redacted<string>), "Secr3t!pw")
      assert.notInclude(result.stdout + result.stderr, "Secr3t")
      const weak = yield* run(["users", "update", "1", "--password-stdin"], { ...configured, stdin: "weakpass\n" })
      assert.strictEqual(weak.code, ExitCode.Validation)
      assert.notInclude(weak.stderr, "weakpass")
      const empty = yield* run(["users", "update", "1", "--password-stdin"], configured)
      assert.strictEqual(empty.code, ExitCode.Usage)
      assert.include(empty.stderr, "--password-stdin: standard input is empty")
    }))

  it.effect("create takes the password from stdin; without it and without a terminal it is a usage error", () =>
    Effect.gen(function*() {
      const argv = ["users", "create", "--name", "Ann", "--email", "ann@acme.inc"]
      const ok = yield* run([...argv, "--password-stdin", "--custom-attribute", "plan=pro"], {
        ...configured,
        stdin: "Secr3t!pw\n"
      })
      assert.strictEqual(ok.code, 0, ok.stderr)
      const payload = payloadOf(ok)
      assert.strictEqual(payload.name, "Ann")
      assert.strictEqual(payload.email, "ann@acme.inc")
      assert.deepStrictEqual(payload.custom_attributes, { plan: "pro" })
      assert.strictEqual(Redacted.value(payload.password as Redacted.Redacted<string>), "Secr3t!pw")
      assert.include(ok.stdout, "name:               Ann")
      const none = yield* run(argv, configured)
      assert.strictEqual(none.code, ExitCode.Usage)
      assert.strictEqual(
        none.stderr,
        "chatwoot-platform: No password: pipe it with --password-stdin, or run on a terminal to be prompted for it"
      )
      assert.strictEqual(none.calls.length, 0)
    }))

  it.effect("delete, login-url and token print text and JSON", () =>
    Effect.gen(function*() {
      const del = yield* run(["users", "delete", "1"], configured)
      assert.strictEqual(del.stdout, "Deleted user 1 (Chatwoot removes the user in the background).")
      const delJson = yield* run(["--json", "users", "delete", "1"], configured)
      assert.deepStrictEqual(JSON.parse(delJson.stdout), { id: 1, deleted: true })
      const link = yield* run(["users", "login-url", "1"], configured)
      assert.strictEqual(link.stdout, "https://chatwoot.example.com/app/login?email=demo&sso_auth_token=abc")
      const linkJson = yield* run(["--json", "users", "login-url", "1"], configured)
      assert.deepStrictEqual(JSON.parse(linkJson.stdout), {
        url: "https://chatwoot.example.com/app/login?email=demo&sso_auth_token=abc"
      })
      const token = yield* run(["users", "token", "1"], configured)
      assert.include(token.stdout, "access token:       user-own-token")
      const tokenJson = yield* run(["--json", "users", "token", "1"], configured)
      assert.strictEqual(JSON.parse(tokenJson.stdout).access_token, "user-own-token")
      for (const result of [del, delJson, link, linkJson, token, tokenJson]) {
        assert.strictEqual(result.code, 0)
        assert.notInclude(result.stdout + result.stderr, "platform-secret")
      }
    }))

  it.effect("a bad id is a usage error from the parser", () =>
    Effect.gen(function*() {
      for (const id of ["abc", "0", "-3"]) {
        const result = yield* run(["users", "get", id], configured)
        assert.strictEqual(result.code, ExitCode.Usage, id)
        assert.strictEqual(result.calls.length, 0)
      }
    }))
})

describe("users update --file (bulk)", () => {
  it.effect("--file with an id or field flags, or no id and no file, is a usage error", () =>
    Effect.gen(function*() {
      const a = yield* run(["users", "update", "1", "--file", "x.ndjson"], configured)
      assert.strictEqual(a.code, ExitCode.Usage)
      assert.include(a.stderr, "--file updates the users listed in the file")
      const b = yield* run(["users", "update", "--file", "x.ndjson", "--name", "X"], configured)
      assert.strictEqual(b.code, ExitCode.Usage)
      const c = yield* run(["users", "update", "--name", "X"], configured)
      assert.strictEqual(c.code, ExitCode.Usage)
      assert.include(c.stderr, "Missing user id")
      const d = yield* run(["users", "update", "--file", "x.ndjson", "--rate", "fast"], configured)
      assert.strictEqual(d.code, ExitCode.Usage)
      assert.include(d.stderr, "--rate: invalid rate")
      assert.strictEqual(a.calls.length + b.calls.length + c.calls.length + d.calls.length, 0)
    }))

  it.effect("a missing input file is the engine's BulkError, exit 2, one line", () =>
    Effect.gen(function*() {
      const result = yield* run(["users", "update", "--file", "/nonexistent/users.ndjson"], configured)
      assert.strictEqual(result.code, ExitCode.Usage)
      assert.strictEqual(result.stderr, "chatwoot-platform: bulk update: /nonexistent/users.ndjson does not exist")
    }))
})

describe("exit codes", () => {
  const userId = User.UserId.make(1)
  const failures: ReadonlyArray<[string, PlatformUsersError.PlatformUsersError, number]> = [
    [
      "server validation",
      new PlatformUsersError.Validation({
        operation: "get",
        source: "server",
        attributes: ["email"],
        issues: [],
        serverMessage: "Email has already been taken"
      }),
      ExitCode.Validation
    ],
    [
      "invalid token",
      new PlatformUsersError.Unauthorized({ operation: "get", reason: "InvalidToken" }),
      ExitCode.InvalidToken
    ],
    [
      "non permissible",
      new PlatformUsersError.Unauthorized({
        operation: "get",
        reason: "NonPermissibleResource",
        resource: "user",
        id: userId
      }),
      ExitCode.NotPermitted
    ],
    [
      "not found",
      new PlatformUsersError.NotFound({ operation: "get", resource: "user", id: userId }),
      ExitCode.NotFound
    ],
    [
      "rate limited",
      new PlatformUsersError.RateLimited({ operation: "get", retryAfterMillis: 2000 }),
      ExitCode.RateLimited
    ],
    ["server error", new PlatformUsersError.ServerError({ operation: "get", status: 500 }), ExitCode.ServerError],
    [
      "network",
      new PlatformUsersError.TransportError({ operation: "get", reason: "Network", detail: "connect ECONNREFUSED" }),
      ExitCode.Network
    ],
    [
      "timeout",
      new PlatformUsersError.TransportError({ operation: "get", reason: "Timeout", detail: "after 10s" }),
      ExitCode.Network
    ],
    [
      "unexpected response",
      new PlatformUsersError.UnexpectedResponse({ operation: "get", reason: "Status", status: 403, detail: "proxy" }),
      ExitCode.UnexpectedResponse
    ]
  ]
  for (const [label, error, code] of failures) {
    it.effect(`${label} -> exit ${code}, its message as one line on stderr, nothing on stdout`, () =>
      Effect.gen(function*() {
        for (const json of [[], ["--json"]]) {
          const result = yield* run([...json, "users", "get", "1"], {
            ...configured,
            overrides: { get: () => Effect.fail(error as PlatformUsersError.MemberError) }
          })
          assert.strictEqual(result.code, code)
          assert.strictEqual(result.stdout, "")
          assert.strictEqual(result.stderr, `chatwoot-platform: ${error.message}`)
          assert.notInclude(result.stderr, "platform-secret")
          assert.notInclude(result.stderr, "_tag")
        }
      }))
  }

  it.effect("a defect is exit 1 with one line", () =>
    Effect.gen(function*() {
      const result = yield* run(["users", "get", "1"], {
        ...configured,
        overrides: { get: () => Effect.die(new Error("boom")) }
      })
      assert.strictEqual(result.code, ExitCode.Defect)
      assert.strictEqual(result.stderr, "chatwoot-platform: unexpected error: boom")
    }))

  it.effect("the real 404 of the fake: user 7 -> exit 6", () =>
    Effect.gen(function*() {
      const result = yield* run(["users", "update", "7", "--name", "X"], configured)
      assert.strictEqual(result.code, ExitCode.NotFound)
      assert.strictEqual(result.stderr, "chatwoot-platform: update: user 7 was not found")
    }))
})

describe("stdin", () => {
  it.effect("reads the first line without its line ending, None for an empty stream", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* readFirstLine(Readable.from(["Sec", "r3t!pw\r\nrest\n"])), Option.some("Secr3t!pw"))
      assert.deepStrictEqual(
        yield* readFirstLine(Readable.from(["no newline at end "])),
        Option.some("no newline at end ")
      )
      assert.deepStrictEqual(yield* readFirstLine(Readable.from([])), Option.none())
    }))
})
