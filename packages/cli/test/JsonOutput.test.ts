/**
 * `--json` prints what Chatwoot sent: the emulator over loopback answers a plain `fetch`, and the CLI's output for
 * the same user is the same text, every key, every `null`, in the server's key order. In process over the live
 * client (create, get, update, token), and once through the built binary.
 */
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import * as ChatwootHttpClient from "@chatwoot-effect/http/ChatwootHttpClient"
import * as PlatformUsersEmulator from "@chatwoot-effect/http/PlatformUsersEmulator"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { spawn } from "node:child_process"
import * as Cli from "../src/Cli.js"
import { Stdin } from "../src/internal/stdin.js"
import { binaryPath } from "./globalSetup.js"
import { makeConsole } from "./utils/harness.js"

const TOKEN = "JsonOutputPlatformT0ken1"

// User 1 has a display name, custom attributes and two memberships, one never active (`active_at: null`); user 2 has
// Chatwoot's nulls of a fresh user (display_name, message_signature, account_id, role) and no custom attributes.
const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "json", token: TOKEN }],
  users: [
    {
      id: 1,
      name: "Ann",
      display_name: "Annie",
      email: "ann@acme.inc",
      custom_attributes: { plan: "pro", seats: 3, tags: ["a", "b"], nested: { on: true, off: null } },
      apps: ["json"],
      accounts: [
        { id: 1, name: "Acme", role: "administrator", active_at: null },
        { id: 2, name: "Beta", role: "agent", active_at: "2025-03-04T05:06:07.089Z" }
      ]
    },
    { id: 2, name: "Bo", email: "bo@acme.inc", apps: ["json"] }
  ]
}))

const emulator = PlatformUsersEmulator.serve({ host: "127.0.0.1", port: 0, seed }).pipe(Effect.orDie)

/** The raw answer body, with plain `fetch`. */
const raw = (url: string, method: string, path: string, body?: unknown) =>
  Effect.promise(async () => {
    const response = await fetch(`${url}/platform/api/v1${path}`, {
      method,
      headers: {
        "api-access-token": TOKEN,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" })
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await response.text()
    assert.strictEqual(response.status, 200, text)
    return text
  })

/** `chatwoot-platform --url URL --json ...args` in process over the live client and undici; its stdout. */
const cli = (url: string, args: ReadonlyArray<string>, stdin?: string) =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const code = yield* Cli.main(["node", "chatwoot-platform", "--url", url, "--json", ...args]).pipe(
      Effect.withConsole(makeConsole(out, err)),
      Effect.provideService(Stdin, {
        isTTY: false,
        readLine: Effect.sync(() => stdin === undefined ? Option.none() : Option.some(stdin))
      }),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["CHATWOOT_PLATFORM_TOKEN", TOKEN]]))),
      Effect.provide(Layer.merge(NodeContext.layer, ChatwootHttpClient.layerUndici))
    )
    assert.strictEqual(code, 0, err.join("\n"))
    assert.strictEqual(out.length, 1, "one line")
    return out[0]!
  })

// The emulator writes JSON as Rails does (`<`, `>`, `&` escaped as \u003c...), the CLI with JSON.stringify: the same
// JSON either way. These answers hold none of those characters, so the texts are equal byte for byte.
const sameText = (printed: string, sent: string) => {
  assert.notMatch(sent, /\\u00(3c|3e|26)/)
  assert.strictEqual(printed, sent)
}

describe("--json prints Chatwoot's JSON exactly", () => {
  it.scopedLive("get: every key, every null, in the server's order (an account never active, a fresh user)", () =>
    Effect.gen(function*() {
      const { url } = yield* emulator
      const one = yield* raw(url, "GET", "/users/1")
      sameText(yield* cli(url, ["users", "get", "1"]), one)
      assert.deepStrictEqual(JSON.parse(one).accounts[0], {
        id: 1,
        name: "Acme",
        active_at: null,
        role: "administrator"
      })
      const two = yield* raw(url, "GET", "/users/2")
      sameText(yield* cli(url, ["users", "get", "2"]), two)
      const fresh = JSON.parse(two)
      for (const key of ["account_id", "display_name", "message_signature", "role"]) {
        assert.isTrue(key in fresh && fresh[key] === null, key)
      }
      assert.isFalse("custom_attributes" in fresh)
    }))

  it.scopedLive("update: a cleared display_name is printed as null; the answer is what a GET then sends", () =>
    Effect.gen(function*() {
      const { url } = yield* emulator
      const cleared = yield* cli(url, ["users", "update", "1", "--clear-display-name"])
      assert.isNull(JSON.parse(cleared).display_name)
      assert.strictEqual(JSON.parse(cleared).available_name, "Ann")
      sameText(cleared, yield* raw(url, "GET", "/users/1"))
      // And compared with Chatwoot's own answer to an update (the same request, sent again: nothing changes).
      sameText(cleared, yield* raw(url, "PATCH", "/users/1", { display_name: null }))
      const renamed = yield* cli(url, ["users", "update", "2", "--name", "Bob", "--custom-attribute", "plan=free"])
      sameText(renamed, yield* raw(url, "GET", "/users/2"))
      assert.deepStrictEqual(Object.keys(JSON.parse(renamed)), [
        "access_token",
        "account_id",
        "available_name",
        "avatar_url",
        "confirmed",
        "display_name",
        "message_signature",
        "email",
        "id",
        "name",
        "provider",
        "pubsub_token",
        "custom_attributes",
        "role",
        "ui_settings",
        "uid",
        "accounts"
      ])
    }))

  it.scopedLive("create: a new user, and an existing one claimed, as Chatwoot's create answers them", () =>
    Effect.gen(function*() {
      const { url } = yield* emulator
      const create = (name: string, email: string) =>
        cli(url, ["users", "create", "--name", name, "--email", email, "--password-stdin"], "Secr3t!pw")
      const created = yield* create("Cy", "cy@acme.inc")
      const id = JSON.parse(created).id as number
      sameText(created, yield* raw(url, "GET", `/users/${id}`))
      // Creating the same email again returns that user unchanged: Chatwoot's create answer for it.
      sameText(created, yield* raw(url, "POST", "/users", { name: "O", email: "cy@acme.inc", password: "Secr3t!pw" }))
      const claimed = yield* create("X", "ann@acme.inc")
      sameText(claimed, yield* raw(url, "GET", "/users/1"))
    }))

  it.scopedLive("token: {access_token, expiry: null, user: {id, name, display_name: null, email, pubsub_token}}", () =>
    Effect.gen(function*() {
      const { url } = yield* emulator
      const sent = yield* raw(url, "POST", "/users/2/token")
      sameText(yield* cli(url, ["users", "token", "2"]), sent)
      assert.isNull(JSON.parse(sent).user.display_name)
    }))

  it.scopedLive("values that Rails escapes: the same JSON, in the same order (escapes aside)", () =>
    Effect.gen(function*() {
      const { url } = yield* emulator
      const printed = yield* cli(url, ["users", "update", "2", "--custom-attribute", "html=<b>&amp;</b>"])
      const sent = yield* raw(url, "GET", "/users/2")
      assert.include(sent, "\\u003cb\\u003e")
      assert.strictEqual(printed, JSON.stringify(JSON.parse(sent)))
    }))

  it.scopedLive("the built binary prints the same text", () =>
    Effect.gen(function*() {
      const { url } = yield* emulator
      const printed = yield* runBinary(["--url", url, "--json", "users", "update", "1", "--clear-display-name"])
      assert.strictEqual(printed.code, 0, printed.stderr)
      assert.strictEqual(printed.stderr, "")
      sameText(printed.stdout.replace(/\n$/, ""), yield* raw(url, "GET", "/users/1"))
    }))
})

/** The bundled binary as a child process, with the platform token in its environment; killed after 20 s. */
const runBinary = (args: ReadonlyArray<string>) =>
  Effect.async<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }>((resume) => {
    const env: Record<string, string | undefined> = { ...process.env, CHATWOOT_PLATFORM_TOKEN: TOKEN }
    delete env.CHATWOOT_URL
    const child = spawn(process.execPath, [binaryPath, ...args], { env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000)
    child.once("close", (code) => {
      clearTimeout(timer)
      resume(Effect.succeed({ code, stdout, stderr }))
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      child.kill("SIGKILL")
    })
  })
