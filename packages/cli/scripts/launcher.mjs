#!/usr/bin/env node
// The `chatwoot-platform` binary as built by scripts/bundle.mjs: this file is copied next to the bundle (BUNDLE, a
// CommonJS file holding every dependency) and runs it through V8 with the code cache the build wrote beside it
// (BUNDLE.cache). Start-up is mostly compiling ~1 MB of JavaScript; with the cache V8 skips that. A missing, stale
// or rejected cache (another Node version, other V8 flags) only costs the compile: the bundle runs all the same.
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { setFlagsFromString } from "node:v8"
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
// Keep V8's young generation at its initial size: at a bulk update's allocation rate it otherwise grows to 2 x 16 MB
// and promotes more to the old generation, for about 35 MB more peak RSS and a few percent of speed. Set after the
// code cache was checked: V8 rejects a cache made under other flags (the flag hash), and this one has no bearing on
// the code.
setFlagsFromString("--semi-space-growth-factor=1")
const module = { exports: {} }
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file))
