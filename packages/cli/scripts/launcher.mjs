#!/usr/bin/env node
// The `chatwoot-platform` binary as built by scripts/bundle.mjs: this file is copied next to the bundle (BUNDLE, a
// CommonJS file holding every dependency) and runs it through V8 with the code cache the build wrote beside it
// (BUNDLE.cache). Start-up is mostly compiling ~1 MB of JavaScript; with the cache V8 skips that. A missing, stale
// or rejected cache (another Node version, other V8 flags) only costs the compile: the bundle runs all the same.
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname } from "node:path"
import { PerformanceObserver } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8"
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
// Memory for a bulk update, set after the code cache was checked (V8 rejects a cache made under other flags, and
// these have no bearing on the code). The old generation grows by 20% of what survives a full GC instead of V8's
// default factors: peak RSS 175-190 -> about 132 MB. The young generation may grow from 1 MB per semi-space, as V8
// does, but stops once it reaches 4 MB (in practice 4 or 8: the growth is seen after the GC that made it): with 64
// requests in flight about 500 KB is live at any time, and a 1 MB semi-space (what the first version pinned) copied
// most of it at every scavenge, 30% of the run in GC pauses. Measured on 200,000 records against the bench server:
// 13.0-16.1 s at 141-145 MB (young generation pinned at 1 MB) -> 9.5-12.6 s at 131-133 MB.
setFlagsFromString("--heap-growing-percent=20")
const youngGenerationCap = 2 * 4 * 1024 * 1024
const youngGeneration = new PerformanceObserver(() => {
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === "new_space")
  if (newSpace === undefined || newSpace.space_size < youngGenerationCap) return
  setFlagsFromString("--semi-space-growth-factor=1")
  youngGeneration.disconnect()
})
youngGeneration.observe({ entryTypes: ["gc"] })
const module = { exports: {} }
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file))
