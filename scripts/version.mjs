// After `changeset version` (run by `npm run changeset-version`): the CLI's `--version` comes from the constant in
// packages/cli/src/Cli.ts, which changesets does not know about, so it is set here from packages/cli/package.json,
// as Effect's scripts/version.mjs does for effect's own version module. packages/cli/test/Version.test.ts checks it.
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..")
const { version } = JSON.parse(fs.readFileSync(path.join(root, "packages", "cli", "package.json"), "utf8"))
const file = path.join(root, "packages", "cli", "src", "Cli.ts")
const source = fs.readFileSync(file, "utf8")
const pattern = /^export const version = "[^"]*"$/m
if (!pattern.test(source)) {
  console.error(`${file}: no line \`export const version = "..."\` to update`)
  process.exit(1)
}
fs.writeFileSync(file, source.replace(pattern, `export const version = ${JSON.stringify(version)}`))
console.log(`packages/cli/src/Cli.ts: version ${version}`)
