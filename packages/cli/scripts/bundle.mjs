// Bundles src/bin.ts and every dependency into one CommonJS file, writes a V8 code cache for it, and puts the small
// ESM launcher (scripts/launcher.mjs) at `outfile`: `node dist/bin.js` then starts without resolving, reading and
// compiling hundreds of modules (measured: `--help` 676 ms as an ESM bundle importing node_modules, ~165 ms this
// way, against ~55 ms for `node -e 0`).
// Usage: node packages/cli/scripts/bundle.mjs [outfile]   (default: packages/cli/dist/bin.js)
// Writes `outfile`, `<outfile minus .js>.cjs`, `<that>.cjs.cache` and, last, the build stamp
// `<outfile minus .js>.stamp.json` (scripts/buildStamp.mjs: what the bundle was built from).
import * as esbuild from "esbuild"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as BuildStamp from "./buildStamp.mjs"

const scriptsDir = path.dirname(fileURLToPath(import.meta.url))
const packageDir = path.resolve(scriptsDir, "..")
const repositoryRoot = path.resolve(packageDir, "..", "..")

// Runs the bundle once per command and has V8 serialize what it compiled: each run starts from the cache the run
// before wrote, so the cache covers the help, the HTTP client and the emulator. Nothing leaves the process: the
// update goes to an in-process emulator on 127.0.0.1.
const warmUps = [["--help"], ["--emulator", "users", "update", "1", "--name", "Warm Up"]]

const warmUpProgram = `
const fs = require("node:fs"), vm = require("node:vm"), { createRequire } = require("node:module"), path = require("node:path")
const [file, ...args] = process.argv.slice(1)
const cache = file + ".cache"
const script = new vm.Script(
  "(function (exports, require, module, __filename, __dirname) {" + fs.readFileSync(file, "utf8") + "\\n})",
  { filename: file, cachedData: fs.existsSync(cache) ? fs.readFileSync(cache) : undefined }
)
process.on("exit", () => fs.writeFileSync(cache, script.createCachedData()))
process.argv = [process.argv[0], file, ...args]
const module = { exports: {} }
script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file))
`

/**
 * @param {string} [outfile]
 * @param {{ readonly codeCache?: boolean, readonly minify?: boolean }} [options]  (`minify: false` for profiling)
 */
export const bundle = async (outfile = path.join(packageDir, "dist", "bin.js"), options = {}) => {
  const bundleFile = outfile.replace(/\.m?js$/, "") + ".cjs"
  const cacheFile = `${bundleFile}.cache`
  const stampFile = outfile.replace(/\.m?js$/, "") + ".stamp.json"
  fs.rmSync(stampFile, { force: true })
  fs.rmSync(cacheFile, { force: true })
  const sources = BuildStamp.snapshot(repositoryRoot)
  const { metafile } = await esbuild.build({
    entryPoints: [path.join(packageDir, "src", "bin.ts")],
    outfile: bundleFile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // Not minifyIdentifiers: names show in errors and defects. (keepNames instead would wrap every closure created
    // at run time in a `__name` call: measured at several % of a bulk run.)
    minifyWhitespace: options.minify ?? true,
    minifySyntax: options.minify ?? true,
    metafile: true,
    logLevel: "warning"
  })
  // The stamp must cover every file of the repository that went into the bundle, or an edit there would go unseen.
  for (const input of Object.keys(metafile.inputs)) {
    const file = path.relative(repositoryRoot, path.resolve(input)).split(path.sep).join("/")
    if (!file.startsWith("../") && !file.startsWith("node_modules/") && !BuildStamp.covers(file)) {
      throw new Error(`the bundle reads ${file}, which the build stamp does not cover (scripts/buildStamp.mjs)`)
    }
  }
  const code = fs.readFileSync(bundleFile, "utf8")
  if (code.startsWith("#!")) fs.writeFileSync(bundleFile, code.slice(code.indexOf("\n") + 1))
  const launcher = fs.readFileSync(path.join(scriptsDir, "launcher.mjs"), "utf8")
    .replace("./BUNDLE", `./${path.basename(bundleFile)}`)
  fs.writeFileSync(outfile, launcher, { mode: 0o755 })
  if (options.codeCache ?? true) {
    for (const args of warmUps) {
      const env = { ...process.env }
      for (const name of Object.keys(env)) if (name.startsWith("CHATWOOT_")) delete env[name]
      spawnSync(process.execPath, ["-e", warmUpProgram, bundleFile, ...args], {
        cwd: path.dirname(bundleFile),
        env,
        stdio: "ignore",
        timeout: 30_000
      })
    }
  }
  if (!BuildStamp.write(repositoryRoot, stampFile, sources, [path.basename(outfile), path.basename(bundleFile)])) {
    console.error(`${outfile}: a source changed while it was built: no build stamp, the bin treats it as stale`)
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundle(process.argv[2] === undefined ? undefined : path.resolve(process.argv[2]))
}
