// `npm run build`: compiles every package to dist/ (JavaScript + .d.ts, tsconfig.build.json) from a clean slate (a
// stale .tsbuildinfo would otherwise let tsc skip a deleted dist/), then bundles the chatwoot-platform binary.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
for (const pkg of ["contract", "core", "http", "cli"]) {
  fs.rmSync(path.join(root, "packages", pkg, "dist"), { recursive: true, force: true })
  fs.rmSync(path.join(root, "packages", pkg, ".tsbuildinfo", "build.tsbuildinfo"), { force: true })
}
// The Effect 4 edition's packages (effect4/packages/*) are referenced from tsconfig.build.json too.
for (const pkg of ["core", "http"]) {
  fs.rmSync(path.join(root, "effect4", "packages", pkg, "dist"), { recursive: true, force: true })
  fs.rmSync(path.join(root, "effect4", "packages", pkg, ".tsbuildinfo", "build.tsbuildinfo"), { force: true })
}
execFileSync(process.execPath, [
  path.join(root, "node_modules", "typescript", "bin", "tsc"),
  "-b",
  "tsconfig.build.json"
], {
  cwd: root,
  stdio: "inherit"
})
const { bundle } = await import("../packages/cli/scripts/bundle.mjs")
await bundle()
console.log(
  "built packages/{contract,core,http,cli}/dist, effect4/packages/{core,http}/dist and the binary packages/cli/dist/bin.js"
)
