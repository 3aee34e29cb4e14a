// npm's `prepare` step of the repository root (after `npm ci` / `npm install` in a clone): bundles the
// `chatwoot-platform` binary (packages/cli/scripts/bundle.mjs, with its build stamp), so that the README's commands
// run the bundle from the start instead of the TypeScript sources through tsx. Only the binary: `npm run build`
// compiles the packages' dist/ for packing. The workspace packages have no `prepare` of their own (npm would run it
// on every `npm pack`), and a packed tarball carries neither this script nor sources.
// Without the dev dependencies (`npm ci --omit=dev`) there is no esbuild: the step says so and leaves the build out.
// The Effect 4 edition (effect4/) is an npm project of its own (own lock file, effect 4, Vitest 5, Node 24 from the
// registry): installed here, so that one `npm ci` at the root installs both editions.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"

if (fs.existsSync("effect4/package-lock.json") && process.env.CHATWOOT_EFFECT_SKIP_EFFECT4 !== "1") {
  const started = performance.now()
  const npm = process.env.npm_execpath
  const [command, args] = npm !== undefined && npm.endsWith(".js")
    ? [process.execPath, [npm]]
    : ["npm", []]
  const result = spawnSync(command, [...args, "ci", "--no-audit", "--no-fund", "--prefix", "effect4"], {
    stdio: ["ignore", "inherit", "inherit"]
  })
  if (result.status !== 0) {
    console.error("prepare: installing the Effect 4 edition (npm ci --prefix effect4) failed")
    process.exit(1)
  }
  console.error(
    `prepare: installed the Effect 4 edition (effect4/) in ${((performance.now() - started) / 1000).toFixed(1)} s`
  )
}
try {
  await import("esbuild")
} catch {
  console.error("prepare: esbuild is not installed (dev dependencies omitted?): the binary is not built")
  process.exit(0)
}
const started = performance.now()
const { bundle } = await import("../packages/cli/scripts/bundle.mjs")
await bundle()
const seconds = ((performance.now() - started) / 1000).toFixed(1)
console.error(`prepare: bundled the chatwoot-platform binary (packages/cli/dist/bin.js) in ${seconds} s`)
