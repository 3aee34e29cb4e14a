/**
 * `chatwoot-platform agent-bots ...` in process on the fake services: parsing, text and `--json` output, checks before
 * anything is sent, exit codes, and the bot's access token: in text output only with `--show-token`, in `--json` as
 * Chatwoot sent it, never in error text.
 */
import * as AgentBot from "@chatwoot-effect/core/AgentBot"
import * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { ExitCode } from "../src/ExitCode.js"
import { configured, run, type RunResult } from "./utils/harness.js"
import { BOT_TOKEN, botOneJson, NEW_BOT_TOKEN } from "./utils/platformFakes.js"

const refused = (result: RunResult, code: number, label: string) => {
  assert.strictEqual(result.code, code, `${label}: ${result.stderr}`)
  assert.strictEqual(result.stdout, "", label)
  assert.strictEqual(result.stderr.split("\n").length, 1, result.stderr)
  assert.deepStrictEqual(result.calls, [], label)
}

const noToken = (result: RunResult, label: string) => {
  for (const token of [BOT_TOKEN, NEW_BOT_TOKEN]) {
    assert.notInclude(result.stdout, token, label)
    assert.notInclude(result.stderr, token, label)
  }
}

const botOneText = [
  "id:                 1",
  "name:               Helper",
  "description:        Answers FAQs",
  "outgoing url:       https://bots.example.com/hook",
  "account:            1"
]

describe("agent-bots: output and the access token", () => {
  it.effect("help for every command, with no configuration; --show-token is documented", () =>
    Effect.gen(function*() {
      for (const command of [[], ["list"], ["create"], ["get"], ["update"], ["delete"], ["delete-avatar"]]) {
        const result = yield* run(["agent-bots", ...command, "--help"])
        assert.strictEqual(result.code, 0, command.join(" "))
        assert.include(result.stdout, "USAGE")
        assert.strictEqual(result.targets.length, 0)
      }
      const get = yield* run(["agent-bots", "get", "--help"])
      assert.include(get.stdout, "--show-token")
    }))

  it.effect("get: the token hidden in text, shown with --show-token; --json is Chatwoot's body, token included", () =>
    Effect.gen(function*() {
      const text = yield* run(["agent-bots", "get", "1"], configured)
      assert.strictEqual(text.code, 0, text.stderr)
      assert.strictEqual(
        text.stdout,
        [...botOneText, "access token:       (hidden: --show-token prints it)"].join("\n")
      )
      noToken(text, "get")
      const shown = yield* run(["agent-bots", "get", "1", "--show-token"], configured)
      assert.strictEqual(shown.stdout, [...botOneText, `access token:       ${BOT_TOKEN}`].join("\n"))
      const json = yield* run(["--json", "agent-bots", "get", "1"], configured)
      assert.strictEqual(json.stdout, JSON.stringify(botOneJson))
    }))

  it.effect("list: one line per bot and never a token, even with many; --json is the array as sent", () =>
    Effect.gen(function*() {
      const system = Schema.decodeUnknownSync(AgentBot.AgentBot)({
        id: 7,
        name: null,
        description: null,
        outgoing_url: null,
        account_id: null,
        access_token: NEW_BOT_TOKEN
      })
      const bots = [Schema.decodeUnknownSync(AgentBot.AgentBot)(botOneJson), system]
      const text = yield* run(["agent-bots", "list"], {
        ...configured,
        agentBots: { list: () => Effect.succeed(bots) }
      })
      assert.strictEqual(text.code, 0, text.stderr)
      assert.strictEqual(text.stdout, "1  Helper  account 1\n7  (none)  system bot")
      noToken(text, "list")
      const json = yield* run(["agent-bots", "list", "--json"], configured)
      assert.strictEqual(json.stdout, JSON.stringify([botOneJson]))
      const empty = yield* run(["agent-bots", "list"], { ...configured, agentBots: { list: () => Effect.succeed([]) } })
      assert.strictEqual(empty.stdout, "No agent bots: this platform app sees only the bots it created.")
    }))

  it.effect("create: sends the flags given; the new token only with --show-token or --json", () =>
    Effect.gen(function*() {
      const argv = [
        "agent-bots",
        "create",
        "--name",
        "Triage",
        "--description",
        "Sorts tickets",
        "--outgoing-url",
        "https://bots.example.com/triage",
        "--account",
        "3",
        "--avatar-url",
        "https://cdn.example.com/bot.png"
      ]
      const text = yield* run(argv, configured)
      assert.strictEqual(text.code, 0, text.stderr)
      assert.deepStrictEqual(text.calls, [{
        operation: "agentBots.create",
        payload: {
          name: "Triage",
          description: "Sorts tickets",
          outgoing_url: "https://bots.example.com/triage",
          account_id: 3,
          avatar_url: "https://cdn.example.com/bot.png"
        }
      }])
      assert.include(text.stdout, "name:               Triage")
      assert.include(text.stdout, "access token:       (hidden: --show-token prints it)")
      noToken(text, "create")
      const shown = yield* run([...argv, "--show-token"], configured)
      assert.include(shown.stdout, `access token:       ${NEW_BOT_TOKEN}`)
      const json = yield* run([...argv, "--json"], configured)
      assert.strictEqual(JSON.parse(json.stdout).access_token, NEW_BOT_TOKEN)
      const system = yield* run(["agent-bots", "create", "--name", "Everywhere"], configured)
      assert.deepStrictEqual(system.calls[0]!.payload, { name: "Everywhere" })
      assert.include(system.stdout, "account:            (none: a system bot, seen by every account)")
    }))

  it.effect("update: only the fields given; --clear-* send null; delete-avatar prints the bot, token hidden", () =>
    Effect.gen(function*() {
      const result = yield* run(
        ["agent-bots", "update", "1", "--name", "Helper 2", "--clear-description", "--clear-account"],
        configured
      )
      assert.strictEqual(result.code, 0, result.stderr)
      assert.deepStrictEqual(result.calls, [{
        operation: "agentBots.update",
        id: 1,
        payload: { name: "Helper 2", description: null, account_id: null }
      }])
      assert.include(result.stdout, "description:        (none)")
      noToken(result, "update")
      const avatar = yield* run(["agent-bots", "delete-avatar", "1"], configured)
      assert.strictEqual(avatar.code, 0, avatar.stderr)
      assert.deepStrictEqual(avatar.calls, [{ operation: "agentBots.deleteAvatar", id: 1 }])
      assert.include(avatar.stdout, "name:               Helper")
      noToken(avatar, "delete-avatar")
      const avatarShown = yield* run(["agent-bots", "delete-avatar", "1", "--show-token"], configured)
      assert.include(avatarShown.stdout, BOT_TOKEN)
      const deleted = yield* run(["agent-bots", "delete", "1"], configured)
      assert.strictEqual(deleted.stdout, "Deleted agent bot 1.")
      const deletedJson = yield* run(["agent-bots", "delete", "1", "--json"], configured)
      assert.strictEqual(deletedJson.stdout, "{\"id\":1,\"deleted\":true}")
    }))

  it.effect("F1: an outgoing_url that is the bot's name is said to be Chatwoot 4.9.1's, not a URL", () =>
    Effect.gen(function*() {
      const f1 = Schema.decodeUnknownSync(AgentBot.AgentBot)({ ...botOneJson, outgoing_url: "Helper" })
      const result = yield* run(["agent-bots", "get", "1"], {
        ...configured,
        agentBots: { get: () => Effect.succeed(f1) }
      })
      assert.include(result.stdout, "outgoing url:       Helper (the bot's name: Chatwoot 4.9.1 sends the name here")
    }))
})

describe("agent-bots: checks before sending", () => {
  it.effect("a rule Chatwoot enforces (or should) is exit 3 naming the field and rule; nothing sent, no token", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [["create", "--name", "n".repeat(256)], "name is too long (maximum is 255 characters)"],
        [["create", "--name", "X", "--description", "d".repeat(256)], "description is too long"],
        [["create", "--name", "X", "--outgoing-url", "h".repeat(2049)], "outgoing_url is too long (maximum is 2048"],
        [["create", "--name", "X", "--avatar-url", "ftp://cdn.example.com/a.png"], "avatar_url must be an http(s) URL"],
        [["update", "1", "--avatar-url", "not a url"], "avatar_url must be an http(s) URL"]
      ]
      for (const [argv, expected] of cases) {
        const result = yield* run(["agent-bots", ...argv], configured)
        refused(result, ExitCode.Validation, argv.join(" ").slice(0, 60))
        assert.include(result.stderr, "nothing was sent")
        assert.include(result.stderr, expected)
        noToken(result, argv.join(" "))
      }
    }))

  it.effect("a bad id or account, nothing to update, or contradicting flags is a usage error", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [["get", "x"], "<id> must be a positive integer (a Chatwoot agent bot id), got 'x'"],
        [["create", "--name", "X", "--account", "0"], "--account must be a positive integer (a Chatwoot account id)"],
        [["create"], "\"agent-bots create\" needs --name"],
        [["update", "1"], "Nothing to update: pass at least one of --name"],
        [["update", "1", "--account", "2", "--clear-account"], "--account and --clear-account contradict each other"],
        [["update", "1", "--description", "d", "--clear-description"], "--description and --clear-description"],
        [["list", "--show-token"], "unknown option --show-token for \"agent-bots list\""]
      ]
      for (const [argv, expected] of cases) {
        const result = yield* run(["agent-bots", ...argv], configured)
        refused(result, ExitCode.Usage, argv.join(" "))
        assert.include(result.stderr, expected)
      }
    }))
})

describe("agent-bots: exit codes, and no token in error text", () => {
  const failures: ReadonlyArray<readonly [PlatformUsersError.MemberError, number]> = [
    [new PlatformUsersError.NotFound({ operation: "agentBots.get", resource: "agent_bot", id: 1 }), ExitCode.NotFound],
    [
      new PlatformUsersError.Unauthorized({
        operation: "agentBots.get",
        reason: "NonPermissibleResource",
        resource: "agent_bot",
        id: 1
      }),
      ExitCode.NotPermitted
    ],
    [
      new PlatformUsersError.Unauthorized({ operation: "agentBots.get", reason: "InvalidToken" }),
      ExitCode.InvalidToken
    ],
    [new PlatformUsersError.ServerError({ operation: "agentBots.get", status: 500 }), ExitCode.ServerError],
    [
      new PlatformUsersError.UnexpectedResponse({
        operation: "agentBots.get",
        reason: "Decode",
        status: 200,
        detail: "access_token: <redacted>"
      }),
      ExitCode.UnexpectedResponse
    ]
  ]
  it.effect("each error kind its code, one line, nothing on stdout, with or without --show-token", () =>
    Effect.gen(function*() {
      for (const [error, code] of failures) {
        for (const extra of [[], ["--show-token"], ["--json"]]) {
          const result = yield* run(["agent-bots", "get", "1", ...extra], {
            ...configured,
            agentBots: { get: () => Effect.fail(error) }
          })
          assert.strictEqual(result.code, code, error._tag)
          assert.strictEqual(result.stdout, "")
          assert.strictEqual(result.stderr, `chatwoot-platform: ${error.message}`)
          noToken(result, error._tag)
        }
      }
    }))

  it.effect("a bot's Redacted token stays redacted when a bot ends up in a defect's message", () =>
    Effect.gen(function*() {
      const bot = new AgentBot.AgentBot({ id: AgentBot.AgentBotId.make(1), access_token: Redacted.make(BOT_TOKEN) })
      const result = yield* run(["agent-bots", "get", "1"], {
        ...configured,
        agentBots: { get: () => Effect.die(new Error(`bad bot ${JSON.stringify(bot)} ${String(bot.access_token)}`)) }
      })
      assert.strictEqual(result.code, ExitCode.Defect)
      noToken(result, "defect")
    }))
})
