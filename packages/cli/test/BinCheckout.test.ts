/**
 * The `chatwoot-platform` bin (bin/chatwoot-platform.mjs) in a checkout runs the bundle only while its build stamp
 * matches the sources, and the sources through tsx otherwise; an installed package runs the bundle with no check.
 * Each test works on a copy of the CLI package in a temporary "checkout" (the bundle built by globalSetup, core and
 * http and node_modules linked to the repository's), so that it can edit sources without touching the repository.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { binaryPath } from "./globalSetup.js"

interface BuildStampModule {
  readonly snapshot: (root: string) => Record<string, string>
  readonly write: (
    root: string,
    stampFile: string,
    taken: Record<string, string>,
    outputs: ReadonlyArray<string>
  ) => boolean
  readonly check: (root: string, stampFile: string) => { readonly fresh: true } | {
    readonly fresh: false
    readonly reason: string
  }
}

const packageDir = path.join(__dirname, "..")
const repositoryRoot = path.join(packageDir, "..", "..")
const BuildStamp: BuildStampModule = await import(
  pathToFileURL(path.join(packageDir, "scripts", "buildStamp.mjs")).href
)

/** A checkout whose CLI package is a copy, with the globalSetup bundle as its dist/ and a stamp of the copy. */
const checkout = Effect.acquireRelease(
  Effect.sync(() => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "chatwoot-checkout-"))
    const cli = path.join(root, "packages", "cli")
    fs.mkdirSync(path.join(cli, "dist"), { recursive: true })
    for (const name of ["bin", "scripts", "src", "package.json", "tsconfig.json", "tsconfig.src.json"]) {
      fs.cpSync(path.join(packageDir, name), path.join(cli, name), { recursive: true })
    }
    for (const name of ["bin.js", "bin.cjs", "bin.cjs.cache"]) {
      fs.copyFileSync(path.join(path.dirname(binaryPath), name), path.join(cli, "dist", name))
    }
    for (const name of ["core", "http"]) {
      fs.symlinkSync(path.join(repositoryRoot, "packages", name), path.join(root, "packages", name))
    }
    fs.symlinkSync(path.join(repositoryRoot, "node_modules"), path.join(root, "node_modules"))
    for (const name of ["package.json", "tsconfig.base.json"]) {
      fs.copyFileSync(path.join(repositoryRoot, name), path.join(root, name))
    }
    const stampFile = path.join(cli, "dist", "bin.stamp.json")
    assert.isTrue(BuildStamp.write(root, stampFile, BuildStamp.snapshot(root), ["bin.js", "bin.cjs"]))
    return { root, cli, stampFile }
  }),
  ({ root }) => Effect.sync(() => fs.rmSync(root, { recursive: true, force: true }))
)

const run = (bin: string, args: ReadonlyArray<string>) => {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000 })
  // The version is followed by a blank line (@effect/cli's); what the tests look at is the version.
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr }
}

const editVersion = (cli: string) => {
  const file = path.join(cli, "src", "Cli.ts")
  const text = fs.readFileSync(file, "utf8")
  assert.include(text, `export const version = "0.1.0"`)
  fs.writeFileSync(file, text.replace(`export const version = "0.1.0"`, `export const version = "0.1.0-edited"`))
}

describe("the bin in a checkout", () => {
  it.scoped("runs the bundle, silently, while the stamp matches the sources", () =>
    Effect.gen(function*() {
      const { cli, root, stampFile } = yield* checkout
      assert.deepStrictEqual(BuildStamp.check(root, stampFile), { fresh: true })
      const result = run(path.join(cli, "bin", "chatwoot-platform.mjs"), ["--version"])
      assert.deepStrictEqual(result, { code: 0, stdout: "0.1.0", stderr: "" })
    }), 60_000)

  it.scoped(
    "runs the edited sources, and says why, once a source changed after the build",
    () =>
      Effect.gen(function*() {
        const { cli } = yield* checkout
        editVersion(cli)
        const result = run(path.join(cli, "bin", "chatwoot-platform.mjs"), ["--version"])
        assert.strictEqual(result.code, 0, result.stderr)
        assert.strictEqual(result.stdout, "0.1.0-edited")
        assert.strictEqual(
          result.stderr,
          "chatwoot-platform: the built binary is older than the sources (packages/cli/src/Cli.ts changed since the " +
            "build): running the sources through tsx (slower start); `npm run build:bin` updates the binary\n"
        )
      }),
    60_000
  )

  it.scoped("runs the sources when there is no build stamp", () =>
    Effect.gen(function*() {
      const { cli, stampFile } = yield* checkout
      fs.rmSync(stampFile)
      editVersion(cli)
      const result = run(path.join(cli, "bin", "chatwoot-platform.mjs"), ["--version"])
      assert.strictEqual(result.stdout, "0.1.0-edited")
      assert.match(result.stderr, /^chatwoot-platform: the binary is not built: running the sources through tsx/)
    }), 60_000)

  it.scoped("counts added, removed and edited sources, manifests and the bundle itself, not rewrites", () =>
    Effect.gen(function*() {
      const { cli, root, stampFile } = yield* checkout
      const stale = () => {
        const verdict = BuildStamp.check(root, stampFile)
        return verdict.fresh ? "fresh" : verdict.reason
      }
      const restamp = () => BuildStamp.write(root, stampFile, BuildStamp.snapshot(root), ["bin.js", "bin.cjs"])

      fs.writeFileSync(path.join(cli, "src", "internal", "added.ts"), "export {}\n")
      assert.strictEqual(
        stale(),
        "the built binary is older than the sources (packages/cli/src/internal/added.ts " +
          "was added since the build)"
      )
      assert.isTrue(restamp())
      fs.rmSync(path.join(cli, "src", "internal", "added.ts"))
      assert.match(stale(), /packages\/cli\/src\/internal\/added\.ts was removed/)
      assert.isTrue(restamp())
      // Rewritten with the same content (npm pack's postpack, a checkout there and back): still fresh.
      const exitCode = path.join(cli, "src", "ExitCode.ts")
      const text = fs.readFileSync(exitCode, "utf8")
      const later = new Date(Date.now() + 5_000)
      fs.writeFileSync(exitCode, text)
      fs.utimesSync(exitCode, later, later)
      assert.strictEqual(stale(), "fresh")
      // Same size, other content, later mtime: an edit that keeps the length.
      fs.writeFileSync(exitCode, text.replace("0", "9"))
      fs.utimesSync(exitCode, later, new Date(later.getTime() + 1_000))
      assert.strictEqual(fs.statSync(exitCode).size, Buffer.byteLength(text))
      assert.match(stale(), /packages\/cli\/src\/ExitCode\.ts changed/)
      assert.isTrue(restamp())
      fs.appendFileSync(path.join(root, "package.json"), "\n")
      assert.match(stale(), /\(package\.json changed/)
      assert.isTrue(restamp())
      fs.appendFileSync(path.join(cli, "dist", "bin.cjs"), "\n")
      assert.strictEqual(stale(), "the built bin.cjs is not the one the build wrote")
      fs.writeFileSync(stampFile, "{\"version\":2,\"files\":null,\"outputs\":{}}")
      assert.strictEqual(stale(), "the binary's build stamp is unreadable")
      assert.strictEqual(BuildStamp.check(root, path.join(cli, "dist", "none.json")).fresh, false)
    }))

  it.scoped("writes no stamp when a source changed while the bundle was built", () =>
    Effect.gen(function*() {
      const { cli, root, stampFile } = yield* checkout
      const taken = BuildStamp.snapshot(root)
      fs.appendFileSync(path.join(cli, "src", "bin.ts"), "\n")
      assert.isFalse(BuildStamp.write(root, stampFile, taken, ["bin.js", "bin.cjs"]))
      assert.isFalse(fs.existsSync(stampFile))
    }))

  it("the build stamp of the bundle globalSetup built covers the repository as it is", () => {
    assert.deepStrictEqual(
      BuildStamp.check(repositoryRoot, binaryPath.replace(/\.js$/, ".stamp.json")),
      { fresh: true }
    )
  })
})

describe("the bin of an installed package", () => {
  it.scoped("runs the bundle with no check (no src/, no scripts/)", () =>
    Effect.gen(function*() {
      const root = yield* Effect.acquireRelease(
        Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "chatwoot-installed-"))),
        (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
      )
      fs.cpSync(path.join(packageDir, "bin"), path.join(root, "bin"), { recursive: true })
      fs.mkdirSync(path.join(root, "dist"))
      for (const name of ["bin.js", "bin.cjs", "bin.cjs.cache"]) {
        fs.copyFileSync(path.join(path.dirname(binaryPath), name), path.join(root, "dist", name))
      }
      fs.writeFileSync(path.join(root, "package.json"), "{\"type\":\"module\"}\n")
      const result = run(path.join(root, "bin", "chatwoot-platform.mjs"), ["--version"])
      assert.deepStrictEqual(result, { code: 0, stdout: "0.1.0", stderr: "" })
    }), 60_000)
})
