// `npm test`: both editions' tests. First the Effect 3 edition's (Vitest 3 on the machine's Node, the Node running
// this script), then the Effect 4 edition's (scripts/test-effect4.mjs: Vitest 5 on the registry's Node 24).
// Arguments go to both `vitest run`s; an `--outputFile=F` (the JSON report .ci/run reads) becomes F for the Effect 3
// run and F with `.effect4` before its extension for the Effect 4 run. Exits non-zero when either run fails.
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const args = process.argv.slice(2)
const effect4Args = args.map((arg) => {
  const match = /^--outputFile=(.*)$/.exec(arg)
  if (match === null) return arg
  const file = path.resolve(root, match[1])
  const ext = path.extname(file)
  return `--outputFile=${file.slice(0, file.length - ext.length)}.effect4${ext}`
})

const run = (script, scriptArgs) =>
  spawnSync(process.execPath, [script, ...scriptArgs], { cwd: root, stdio: "inherit" }).status ?? 1

const effect3 = run(path.join(root, "node_modules", "vitest", "vitest.mjs"), ["run", ...args])
console.error("\n== the Effect 4 edition (effect4/, Vitest 5 on the registry's Node) ==\n")
const effect4 = run(path.join(root, "scripts", "test-effect4.mjs"), effect4Args)
process.exit(effect3 === 0 && effect4 === 0 ? 0 : 1)
