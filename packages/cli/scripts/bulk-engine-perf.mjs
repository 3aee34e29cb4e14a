// Measures the bulk engine alone (no HTTP): BulkUpdate.run over an NDJSON file against a PlatformUsers whose update
// answers on the next macrotask, result lines discarded. Prints records/s, CPU µs per record and peak RSS.
// Usage: node packages/cli/scripts/bulk-engine-perf.mjs FILE [concurrency=64] [dry|stdout]
// `stdout` writes the result lines the way the command does (batched to stdout: redirect it, e.g. > /dev/null) and
// prints the figures on stderr.
import * as esbuild from "esbuild"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const entry = `
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import { User } from "@chatwoot-effect/core/User"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as BulkUpdate from "${path.join(packageDir, "src", "BulkUpdate.ts")}"
const user = new User({ id: 1, name: "n", email: "n@example.com" })
const unused = Effect.die("unused")
const service = PlatformUsers.of({
  update: () => Effect.async((resume) => void setImmediate(() => resume(Effect.succeed(user)))),
  create: () => unused, get: () => unused, delete: () => unused, loginUrl: () => unused, token: () => unused
})
const [file, concurrency, dry] = process.argv.slice(2)
const cpu0 = process.cpuUsage()
const t0 = performance.now()
let lines = 0
const summary = await Effect.runPromise(BulkUpdate.run({
  file, concurrency: Number(concurrency ?? 64), dryRun: dry === "dry", progress: false,
  ...(dry === "stdout" ? {} : { output: () => Effect.sync(() => { lines++ }) }), summary: () => Effect.void
}).pipe(Effect.provide(Layer.merge(Layer.succeed(PlatformUsers, service), NodeFileSystem.layer))))
const seconds = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)
if (dry === "stdout") lines = summary.total
;(dry === "stdout" ? console.error : console.log)(JSON.stringify({ records: summary.total, lines, seconds: +seconds.toFixed(2), perSecond: Math.round(summary.total / seconds),
  cpuUsPerRecord: +((cpu.user + cpu.system) / summary.total).toFixed(1), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }))
`
const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bulk-perf-")), "perf.mjs")
await esbuild.build({
  stdin: { contents: entry, resolveDir: packageDir, loader: "ts" },
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
})
const { spawnSync } = await import("node:child_process")
// BULK_PERF_NODE_ARGS: flags for the measured process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
const nodeArgs = (process.env.BULK_PERF_NODE_ARGS ?? "").split(" ").filter((arg) => arg !== "")
const result = spawnSync(process.execPath, [...nodeArgs, outfile, ...process.argv.slice(2)], { stdio: "inherit" })
fs.rmSync(path.dirname(outfile), { recursive: true, force: true })
process.exit(result.status ?? 1)
