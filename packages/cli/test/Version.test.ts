// `chatwoot-platform --version` prints the version of the published package: `npm run changeset-version` keeps the
// constant in Cli.ts in step with packages/cli/package.json (scripts/version.mjs); this catches a bump without it.
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { version } from "../src/Cli.js"

describe("version", () => {
  it("Cli.version is the version in packages/cli/package.json", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"))
    assert.strictEqual(version, pkg.version)
  })
})
