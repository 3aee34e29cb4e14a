/**
 * End to end: the built binary as a child process against `chatwoot-platform emulator` over loopback, for accounts,
 * account members and agent bots. One journey on one emulator (each `--emulator` run is a fresh emulator): an
 * account, a user, the user made administrator and seen in `users get`, the role changed, the user removed, the
 * account deleted; a bot whose token never shows in text output. Then `--emulator`'s demo data.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { binaryPath } from "./globalSetup.js"
import { cleanEnv, startEmulator, tempDir } from "./utils/bulkE2e.js"

const TOKEN = "PlatformE2eT0kenAbCdEf12"

interface Finished {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the binary to its end with `stdin` piped in (killed after 20 s). */
const runBinary = (args: ReadonlyArray<string>, stdin = "") =>
  Effect.async<Finished, Error>((resume) => {
    const child: ChildProcess = spawn(process.execPath, [binaryPath, ...args], {
      env: cleanEnv(),
      stdio: ["pipe", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      resume(Effect.fail(new Error(`timed out: ${args.join(" ")}; stderr: ${stderr}`)))
    }, 20_000)
    child.once("close", (code) => {
      clearTimeout(timer)
      resume(Effect.succeed({ code, stdout, stderr }))
    })
    child.stdin!.end(stdin)
    return Effect.sync(() => {
      clearTimeout(timer)
      child.kill("SIGKILL")
    })
  })

/** A successful run: exit 0, nothing on stderr; its stdout without the final newline. */
const ok = (result: Finished, label: string) => {
  assert.strictEqual(result.code, 0, `${label}: ${result.stderr}`)
  assert.strictEqual(result.stderr, "", label)
  return result.stdout.replace(/\n$/, "")
}

/**
 * The body Chatwoot's API (the emulator) answers, with plain fetch, as one line of JSON: the same text, but for the
 * `\u003c`-style escapes of `<`, `>` and `&` that Rails writes and `JSON.stringify` does not (the same JSON).
 */
const raw = (url: string, pathname: string) =>
  Effect.promise(async () => {
    const response = await fetch(`${url}/platform/api/v1${pathname}`, { headers: { "api-access-token": TOKEN } })
    assert.strictEqual(response.status, 200, pathname)
    return JSON.stringify(JSON.parse(await response.text()))
  })

describe("the built binary: accounts, members, agent bots", () => {
  it.scopedLive("a journey on one emulator: account, user, administrator, role change, removal, delete; a bot", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const seed = path.join(dir, "seed.json")
      fs.writeFileSync(seed, JSON.stringify({ apps: [{ name: "e2e", token: TOKEN }] }))
      const tokenFile = path.join(dir, "token")
      fs.writeFileSync(tokenFile, `${TOKEN}\n`)
      const url = yield* startEmulator(["--seed", seed])
      const cli = (args: ReadonlyArray<string>, stdin?: string) =>
        runBinary(["--url", url, "--token-file", tokenFile, ...args], stdin)

      // An account, with flags, limits and a marker.
      const created = JSON.parse(ok(
        yield* cli([
          "accounts",
          "create",
          "--name",
          "E2E Co",
          "--feature",
          "ip_lookup=on",
          "--feature",
          "help_center=off",
          "--limit",
          "agents=3",
          "--custom-attribute",
          "marker=e2e",
          "--json"
        ]),
        "accounts create"
      ))
      const accountId = created.id as number
      assert.strictEqual(created.name, "E2E Co")
      assert.strictEqual(created.features.ip_lookup, true)
      assert.isUndefined(created.features.help_center)
      assert.deepStrictEqual(created.limits, { agents: 3 })
      assert.strictEqual(
        ok(yield* cli(["--json", "accounts", "get", String(accountId)]), "get"),
        yield* raw(url, `/accounts/${accountId}`)
      )
      assert.include(ok(yield* cli(["accounts", "list"]), "accounts list"), `${accountId}  E2E Co  active  en`)

      // A bad flag sends nothing: the account is unchanged.
      const bad = yield* cli(["accounts", "update", String(accountId), "--feature", "nonsense=on"])
      assert.strictEqual(bad.code, 3, bad.stderr)
      assert.include(bad.stderr, "\"nonsense\" is not one of Chatwoot's 59 feature flags")

      // --merge keeps the marker; without it the hash is replaced.
      const merged = JSON.parse(ok(
        yield* cli(["accounts", "update", String(accountId), "--merge", "--custom-attribute", "tier=gold", "--json"]),
        "update --merge"
      ))
      assert.deepStrictEqual(merged.custom_attributes, { marker: "e2e", tier: "gold" })

      // A user, made administrator of the account.
      const user = JSON.parse(ok(
        yield* cli(
          ["--json", "users", "create", "--name", "Ann", "--email", "ann@e2e.test", "--password-stdin"],
          "Secr3t!pw\n"
        ),
        "users create"
      ))
      const userId = String(user.id)
      const added = ok(
        yield* cli(["account-users", "add", String(accountId), "--user", userId, "--role", "administrator"]),
        "add"
      )
      assert.include(added, `account:            ${accountId}`)
      assert.include(added, "role:               administrator")
      const withAccount = JSON.parse(ok(yield* cli(["users", "get", userId, "--json"]), "users get"))
      assert.deepStrictEqual(
        withAccount.accounts.map((
          account: { id: number; name: string; role: string }
        ) => [account.id, account.name, account.role]),
        [[accountId, "E2E Co", "administrator"]]
      )
      assert.include(
        ok(yield* cli(["users", "get", userId]), "users get text"),
        `E2E Co (#${accountId}, administrator)`
      )

      // The role changes by adding again; the list shows it; --json is the server's body.
      assert.include(
        ok(yield* cli(["account-users", "add", String(accountId), "--user", userId, "--role", "agent"]), "re-add"),
        "role:               agent"
      )
      assert.match(
        ok(yield* cli(["account-users", "list", String(accountId)]), "list"),
        new RegExp(`^user ${userId}\\s+agent\\s+online$`)
      )
      assert.strictEqual(
        ok(yield* cli(["--json", "account-users", "list", String(accountId)]), "list --json"),
        yield* raw(url, `/accounts/${accountId}/account_users`)
      )

      // Removed: the user stays, without the account.
      assert.match(
        ok(yield* cli(["account-users", "remove", String(accountId), "--user", userId]), "remove"),
        /^Removed user/
      )
      assert.strictEqual(
        ok(yield* cli(["account-users", "list", String(accountId)]), "list after remove"),
        `No members in account ${accountId}.`
      )
      assert.deepStrictEqual(JSON.parse(ok(yield* cli(["--json", "users", "get", userId]), "users get")).accounts, [])

      // A bot of the account: its token is never in text output, only with --show-token or --json.
      const createdBot = ok(
        yield* cli([
          "agent-bots",
          "create",
          "--name",
          "E2E Bot",
          "--account",
          String(accountId),
          "--outgoing-url",
          "https://bots.example.com/e2e"
        ]),
        "bot create"
      )
      const botId = /^id:\s+(\d+)$/m.exec(createdBot)?.[1]
      assert.isDefined(botId)
      const botJson = JSON.parse(ok(yield* cli(["--json", "agent-bots", "get", botId!]), "bot get --json"))
      const botToken = botJson.access_token as string
      assert.match(botToken, /^\S{24}$/)
      assert.strictEqual(
        ok(yield* cli(["--json", "agent-bots", "get", botId!]), "bot get --json"),
        yield* raw(url, `/agent_bots/${botId}`)
      )
      const texts = [
        createdBot,
        ok(yield* cli(["agent-bots", "get", botId!]), "bot get"),
        ok(yield* cli(["agent-bots", "list"]), "bot list"),
        ok(yield* cli(["agent-bots", "update", botId!, "--description", "Sorts tickets"]), "bot update"),
        ok(yield* cli(["agent-bots", "delete-avatar", botId!]), "bot delete-avatar")
      ]
      for (const text of texts) {
        assert.notInclude(text, botToken)
        assert.notInclude(text, TOKEN)
      }
      assert.include(texts[1]!, "access token:       (hidden: --show-token prints it)")
      assert.include(texts[2]!, `${botId}  E2E Bot  account ${accountId}`)
      assert.include(ok(yield* cli(["agent-bots", "get", botId!, "--show-token"]), "--show-token"), botToken)
      // Errors name the bot, never its token.
      const invalid = yield* cli(["agent-bots", "update", botId!, "--avatar-url", "ftp://x"])
      assert.strictEqual(invalid.code, 3)
      assert.notInclude(invalid.stdout + invalid.stderr, botToken)
      assert.match(ok(yield* cli(["agent-bots", "delete", botId!]), "bot delete"), /^Deleted agent bot/)
      const gone = yield* cli(["agent-bots", "get", botId!])
      assert.strictEqual(gone.code, 6)
      assert.strictEqual(gone.stderr, `chatwoot-platform: agentBots.get: agent bot ${botId} was not found\n`)
      assert.notInclude(gone.stderr, botToken)

      // The account goes; the user stays.
      assert.match(ok(yield* cli(["accounts", "delete", String(accountId)]), "accounts delete"), /^Deleted account/)
      const after = yield* cli(["accounts", "get", String(accountId)])
      assert.strictEqual(after.code, 6, after.stderr)
      assert.strictEqual(after.stdout, "")
      assert.strictEqual(
        ok(yield* cli(["accounts", "list"]), "accounts list"),
        "No accounts: this platform app sees only the accounts it created."
      )
      ok(yield* cli(["users", "get", userId]), "the user stays")
    }))

  it.live("--emulator: demo account 1 with user 1 its administrator, demo bot 1, in one command each", () =>
    Effect.gen(function*() {
      const account = ok(yield* runBinary(["--emulator", "accounts", "get", "1"]), "accounts get")
      assert.include(account, "name:               Demo Account")
      const list = ok(yield* runBinary(["accounts", "list", "--emulator", "--json"]), "accounts list")
      assert.deepStrictEqual(JSON.parse(list).map((a: { id: number }) => a.id), [1])
      const members = ok(yield* runBinary(["--emulator", "account-users", "list", "1"]), "members")
      assert.match(members, /^user 1\s+administrator\s+online$/)
      const bot = ok(yield* runBinary(["--emulator", "agent-bots", "get", "1"]), "bot")
      assert.include(bot, "name:               Demo Bot")
      assert.include(bot, "access token:       (hidden: --show-token prints it)")
      const token = JSON.parse(ok(yield* runBinary(["--emulator", "--json", "agent-bots", "list"]), "bots"))[0]
        .access_token
      assert.isString(token)
      const added = ok(
        yield* runBinary(["--emulator", "account-users", "add", "1", "--user", "1", "--role", "agent"]),
        "add"
      )
      assert.include(added, "role:               agent")
      const created = ok(
        yield* runBinary(["--emulator", "accounts", "create", "--name", "Scratch", "--feature", "sla=on"]),
        "create"
      )
      assert.include(created, "name:               Scratch")
    }))
})
