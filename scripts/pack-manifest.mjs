// npm pack/publish lifecycle for the workspace packages (run from a package directory).
//   prepack:  check that dist/ is built, keep package.json aside, point "exports" at dist/*.js + dist/*.d.ts
//   postpack: put the development package.json (exports -> src/*.ts) back
// Inside the repository every package resolves to its TypeScript sources (tests, tsx and tsc need no build); a
// packed tarball must resolve to the compiled JavaScript instead, for plain Node consumers.
import * as fs from "node:fs"

const step = process.argv[2]
const manifest = "package.json"
const saved = "package.json.dev"

if (step === "prepack") {
  if (!fs.existsSync("dist/index.js") || !fs.existsSync("dist/index.d.ts")) {
    console.error(`${process.cwd()}: dist/ is not built: run \`npm run build\` at the repository root first`)
    process.exit(1)
  }
  const text = fs.readFileSync(manifest, "utf8")
  if (!fs.existsSync(saved)) fs.writeFileSync(saved, text)
  const pkg = JSON.parse(text)
  pkg.exports = {
    "./package.json": "./package.json",
    ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
    "./*": { types: "./dist/*.d.ts", default: "./dist/*.js" },
    "./internal/*": null
  }
  fs.writeFileSync(manifest, JSON.stringify(pkg, null, 2) + "\n")
} else if (step === "postpack") {
  if (fs.existsSync(saved)) {
    fs.writeFileSync(manifest, fs.readFileSync(saved, "utf8"))
    fs.rmSync(saved)
  }
} else {
  console.error("usage: node pack-manifest.mjs prepack|postpack")
  process.exit(2)
}
