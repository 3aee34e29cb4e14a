import { execFileSync } from "node:child_process"
import * as path from "node:path"

/** Where the end-to-end tests find the binary: the same esbuild bundle as `npm run build` writes to dist/bin.js. */
export const binaryPath = path.join(__dirname, "..", "build", "e2e", "bin.js")

export default function setup() {
  execFileSync(process.execPath, [path.join(__dirname, "..", "scripts", "bundle.mjs"), binaryPath], {
    stdio: "inherit"
  })
}
