/**
 * End to end: the built binary as a child process against `chatwoot-platform emulator` over loopback.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { binaryPath } from "./globalSetup.js"

interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

const cleanEnv = (extra: Record<string, string> = {}) => {
  const env = { ...process.env }
  delete env.CHATWOOT_URL
  delete env.CHATWOOT_PLATFORM_TOKEN
  delete env.CHATWOOT_RETRIES
  delete env.CHATWOOT_TIMEOUT
  delete env.CHATWOOT_TOKEN_HEADER
  delete env.NO_COLOR
  return { ...env, ...extra }
}

const waitExit = (child: ChildProcess, out: { stdout: string; stderr: string }, ms: number) =>
  Effect.async<Finished, Error>((resume) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      resume(Effect.fail(new Error(`timed out after ${ms}ms; stderr: ${out.stderr}`)))
    }, ms)
    child.once("exit", (code, signal) => {
      clearTimeout(timer)
      // "exit" can come before the pipes are drained: wait for "close" too.
      child.once("close", () => resume(Effect.succeed({ code, signal, ...out })))
      if (child.stdout?.readableEnded !== false && child.stderr?.readableEnded !== false) {
        resume(Effect.succeed({ code, signal, ...out }))
      }
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      child.kill("SIGKILL")
    })
  })

const collect = (child: ChildProcess) => {
  const out = { stdout: "", stderr: "" }
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (out.stdout += chunk))
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (out.stderr += chunk))
  return out
}

/** Runs the binary to completion (killed after 20 s), with `stdin` piped in (or an empty stdin). */
const runBinary = (args: ReadonlyArray<string>, stdin = "", env: Record<string, string> = {}) =>
  Effect.suspend(() => {
    const child = spawn(process.execPath, [binaryPath, ...args], {
      env: cleanEnv(env),
      stdio: ["pipe", "pipe", "pipe"]
    })
    const out = collect(child)
    child.stdin.end(stdin)
    return waitExit(child, out, 20_000)
  })

interface Running {
  readonly url: string
  readonly child: ChildProcess
  readonly out: { stdout: string; stderr: string }
}

/** Starts `chatwoot-platform emulator ...` and waits for its `listening on` line; killed when the scope closes. */
const startEmulator = (args: ReadonlyArray<string>): Effect.Effect<Running, Error, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<Running, Error>((resume) => {
      const child = spawn(process.execPath, [binaryPath, "emulator", "--port", "0", ...args], {
        env: cleanEnv(),
        stdio: ["ignore", "pipe", "pipe"]
      })
      const out = collect(child)
      const timer = setTimeout(() => resume(Effect.fail(new Error(`no listening line: ${out.stderr}`))), 15_000)
      const onData = () => {
        const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(out.stdout)
        if (match !== null && match[2] !== "0") {
          clearTimeout(timer)
          child.stdout!.off("data", onData)
          resume(Effect.succeed({ url: match[1]!, child, out }))
        }
      }
      child.stdout!.on("data", onData)
      child.once("exit", (code) => {
        clearTimeout(timer)
        resume(Effect.fail(new Error(`emulator exited with ${code}: ${out.stderr}`)))
      })
      return Effect.sync(() => {
        clearTimeout(timer)
        child.kill("SIGKILL")
      })
    }),
    ({ child }) => Effect.sync(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"))
  )

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "cwp-e2e-"))

const seed = {
  apps: [{ name: "e2e", token: "e2e-platform-token" }],
  users: [{ id: 1, name: "Ann", email: "ann@acme.inc", apps: ["e2e"] }]
}

describe("the built binary", () => {
  it.scopedLive("emulator --port 0 + users update 1 --json over loopback, then SIGTERM stops it with exit 0", () =>
    Effect.gen(function*() {
      const dir = tempDir()
      fs.writeFileSync(path.join(dir, "seed.json"), JSON.stringify(seed))
      fs.writeFileSync(path.join(dir, "token"), "e2e-platform-token\n")
      const emulator = yield* startEmulator(["--seed", path.join(dir, "seed.json")])
      const update = yield* runBinary([
        "--url",
        emulator.url,
        "--token-file",
        path.join(dir, "token"),
        "--json",
        "users",
        "update",
        "1",
        "--name",
        "X",
        "--custom-attribute",
        "plan=pro"
      ])
      assert.strictEqual(update.code, 0, update.stderr)
      assert.strictEqual(update.stderr, "")
      const user = JSON.parse(update.stdout)
      assert.strictEqual(user.id, 1)
      assert.strictEqual(user.name, "X")
      assert.deepStrictEqual(user.custom_attributes, { plan: "pro" })

      fs.writeFileSync(path.join(dir, "wrong"), "not-the-token\n")
      const denied = yield* runBinary([
        "--url",
        emulator.url,
        "--token-file",
        path.join(dir, "wrong"),
        "users",
        "get",
        "1"
      ])
      assert.strictEqual(denied.code, 4)
      assert.strictEqual(denied.stdout, "")
      assert.match(denied.stderr, /^chatwoot-platform: get on user 1: Chatwoot rejected the platform token/)
      assert.strictEqual(denied.stderr.trim().split("\n").length, 1)
      assert.notInclude(denied.stderr, "not-the-token")

      const missing = yield* runBinary([
        "--url",
        emulator.url,
        "--token-file",
        path.join(dir, "token"),
        "users",
        "get",
        "99"
      ])
      assert.strictEqual(missing.code, 6)

      const exited = waitExit(emulator.child, emulator.out, 10_000)
      emulator.child.kill("SIGTERM")
      const result = yield* exited
      assert.strictEqual(result.code, 0, result.stderr)
      assert.strictEqual(result.stdout.match(/^listening on /gm)?.length, 1)
      assert.notInclude(result.stdout, "platform token:")
    }))

  it.scopedLive("emulator without --platform-token prints its token; create reads the password from a real stdin; SIGINT exits 0", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator([])
      const token = /^platform token: (\S+)$/m.exec(emulator.out.stdout)?.[1]
      assert.isDefined(token)
      const dir = tempDir()
      fs.writeFileSync(path.join(dir, "token"), token!)
      const created = yield* runBinary(
        [
          "--url",
          emulator.url,
          "--token-file",
          path.join(dir, "token"),
          "users",
          "create",
          "--name",
          "Bo",
          "--email",
          "bo@acme.inc",
          "--password-stdin"
        ],
        "Secr3t!pw\n"
      )
      assert.strictEqual(created.code, 0, created.stderr)
      assert.include(created.stdout, "name:               Bo")
      assert.notInclude(created.stdout + created.stderr, "Secr3t")
      const exited = waitExit(emulator.child, emulator.out, 10_000)
      emulator.child.kill("SIGINT")
      assert.strictEqual((yield* exited).code, 0)
    }))

  it.live("--emulator users update 1 --name Dan runs through a throwaway emulator", () =>
    Effect.gen(function*() {
      const result = yield* runBinary(["--emulator", "users", "update", "1", "--name", "Dan"])
      assert.strictEqual(result.code, 0, result.stderr)
      assert.include(result.stdout, "name:               Dan")
      assert.include(result.stdout, "email:              demo@example.com")
    }))

  it.live("--emulator users update --file: one NDJSON result per record, exit 11 when a record failed", () =>
    Effect.gen(function*() {
      const dir = tempDir()
      const file = path.join(dir, "rows.ndjson")
      fs.writeFileSync(
        file,
        "{\"id\":1,\"name\":\"Dan\"}\n{\"id\":1,\"email\":\"nope\"}\n{\"id\":404,\"name\":\"X\"}\n"
      )
      const result = yield* runBinary(["--emulator", "users", "update", "--file", file])
      assert.strictEqual(result.code, 11, result.stderr)
      const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line))
      assert.strictEqual(lines.length, 3)
      const byLine = new Map(lines.map((line) => [line.line, line]))
      assert.strictEqual(byLine.get(1).status, "ok")
      assert.strictEqual(byLine.get(2).kind, "Validation")
      assert.strictEqual(byLine.get(3).kind, "NotFound")
      assert.include(result.stderr, "3 records: 1 ok, 1 failed, 1 invalid")
      // The summary is the whole of stderr: no empty "chatwoot-platform: " line for the exit code.
      assert.notInclude(result.stderr, "chatwoot-platform:", result.stderr)
    }))

  it.live("a bad seed file is one line naming the entry, exit 2; so is one that is not JSON", () =>
    Effect.gen(function*() {
      const dir = tempDir()
      const bad = path.join(dir, "bad.json")
      fs.writeFileSync(
        bad,
        JSON.stringify({ users: [{ name: "A", email: "a@acme.inc" }, { name: "B", email: "nope" }] })
      )
      const result = yield* runBinary(["emulator", "--port", "0", "--seed", bad])
      assert.strictEqual(result.code, 2)
      assert.strictEqual(result.stdout, "")
      assert.match(
        result.stderr,
        /^chatwoot-platform: --seed .*bad\.json: invalid seed: users\[1\]\.email: Email is invalid/
      )
      assert.strictEqual(result.stderr.trim().split("\n").length, 1)
      const notJson = path.join(dir, "not.json")
      fs.writeFileSync(notJson, "{")
      const a = yield* runBinary(["emulator", "--port", "0", "--seed", notJson])
      assert.strictEqual(a.code, 2)
      assert.include(a.stderr, "is not valid JSON")
    }))

  it.live("help and usage errors through pipes have no escape sequences, with or without NO_COLOR", () =>
    Effect.gen(function*() {
      for (const env of [{}, { NO_COLOR: "1" }]) {
        for (const args of [["--help"], ["users", "update", "--help"], ["users", "--help"], ["emulator", "--help"]]) {
          const help = yield* runBinary(args, "", env)
          assert.strictEqual(help.code, 0, help.stderr)
          assert.include(help.stdout, "USAGE")
          assert.notInclude(help.stdout + help.stderr, "\x1b[", args.join(" "))
        }
        for (const args of [["users", "update", "abc"], ["users", "frob"], ["users", "get", "1", "--jsn"]]) {
          const error = yield* runBinary(args, "", env)
          assert.strictEqual(error.code, 2)
          assert.strictEqual(error.stdout, "")
          assert.match(error.stderr, /^chatwoot-platform: \S/)
          assert.strictEqual(error.stderr.trim().split("\n").length, 1, error.stderr)
          assert.notInclude(error.stderr, "\x1b[", args.join(" "))
        }
      }
    }))

  it.live("global options after the subcommand: users update 1 --name Dan --emulator --json", () =>
    Effect.gen(function*() {
      const result = yield* runBinary(["users", "update", "1", "--name", "Dan", "--emulator", "--json"])
      assert.strictEqual(result.code, 0, result.stderr)
      assert.strictEqual(JSON.parse(result.stdout).name, "Dan")
    }))

  it.live("--help needs no configuration", () =>
    Effect.gen(function*() {
      const result = yield* runBinary(["users", "update", "--help"])
      assert.strictEqual(result.code, 0)
      assert.include(result.stdout, "--custom-attribute")
    }))
})
