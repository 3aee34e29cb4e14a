#!/usr/bin/env node
// The `chatwoot-platform` binary as built by scripts/bundle.mjs: this file is copied next to the bundle (BUNDLE, a
// CommonJS file holding every dependency) and runs it through V8 with the code cache the build wrote beside it
// (BUNDLE.cache). Start-up is mostly compiling ~1 MB of JavaScript; with the cache V8 skips that. A missing, stale
// or rejected cache (another Node version, other V8 flags) only costs the compile: the bundle runs all the same.
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { Script } from "node:vm"

const file = fileURLToPath(new URL("./BUNDLE", import.meta.url))
let cachedData
try {
  cachedData = readFileSync(`${file}.cache`)
} catch {
  cachedData = undefined
}
const script = new Script(
  `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, "utf8")}\n})`,
  { filename: file, cachedData }
)
const module = { exports: {} }
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file))
