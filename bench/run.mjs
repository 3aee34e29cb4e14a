// `npm run bench`: the whole suite, one table. See bench/README.md for the method.
//
// Environment (all optional):
//   BENCH_ROUNDS=5            rounds of the interleaved client runs
//   BENCH_CONCURRENT=20000    requests per client process at BENCH_INFLIGHT in flight
//   BENCH_SEQUENTIAL=2000     sequential requests per client process
//   BENCH_INFLIGHT=64
//   BENCH_COLD_RUNS=15        runs of each cold-start command
//   BENCH_BULK_RECORDS=1000000   records of the bulk update (0 skips it)
//   BENCH_BULK_FORMAT=ndjson     the file of the bulk update: ndjson (the default) or csv (the same records)
//   BENCH_BULK_MAX_SECONDS=240   the bulk update is stopped (SIGINT: it drains and prints its summary) past this; its
//                                throughput and memory are then those of the part done, and the table says so
//   BENCH_PROVISION_RECORDS=200000  people of the bulk provision (`provision --file`, a CSV; 0 skips it), run twice:
//                                new people (2 requests each), then the rerun with everyone already as wanted (1 each)
//   BENCH_PROVISION_MAX_SECONDS=600  each provision run is stopped past this, as the bulk update is
//   BENCH_PROVISION_FORMAT=csv   the file of the bulk provision: csv (the default) or ndjson (the same people)
//   BENCH_ONLY=clients,cli,bulk,provision,operations  the parts to run
//   BENCH_CLIENTS=undici,fetch,...  the clients to run (undici is always run: it is the reference)
//   BENCH_OPS_REQUESTS=10000  "Every operation": measured requests per operation and client process
//   BENCH_OPS_WARMUP=1000     "Every operation": warm-up requests per operation, before any is measured
//   BENCH_OPERATIONS=a,b,...  "Every operation": a subset of the operations (accounts.list, users.update...)
//   BENCH_JSON=file           also write every raw figure there
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { buildClients, outDir } from "./build.mjs"
import {
  clientCore,
  hasTaskset,
  median,
  pinned,
  runClient as runClientProcess,
  serverCore,
  startServer
} from "./processes.mjs"
import { csvHeader, csvRow, ndjsonRow } from "./provision.mjs"

const benchDir = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(benchDir, "..")
const env = (name, fallback) => process.env[name] ?? fallback
const rounds = Number(env("BENCH_ROUNDS", 5))
const inflight = Number(env("BENCH_INFLIGHT", 64))
const coldRuns = Number(env("BENCH_COLD_RUNS", 15))
const bulkRecords = Number(env("BENCH_BULK_RECORDS", 1_000_000))
const bulkMaxSeconds = Number(env("BENCH_BULK_MAX_SECONDS", 240))
const bulkFormat = env("BENCH_BULK_FORMAT", "ndjson")
const provisionRecords = Number(env("BENCH_PROVISION_RECORDS", 200_000))
const provisionMaxSeconds = Number(env("BENCH_PROVISION_MAX_SECONDS", 600))
const provisionFormat = env("BENCH_PROVISION_FORMAT", "csv")
if (provisionFormat !== "csv" && provisionFormat !== "ndjson") throw new Error("BENCH_PROVISION_FORMAT: csv or ndjson")
const only = new Set(env("BENCH_ONLY", "clients,cli,bulk,provision,operations").split(","))
const token = "bench-platform-token"
const binPath = path.join(root, "packages", "cli", "dist", "bin.js")
const cores = os.availableParallelism()

const allClients = [
  { name: "undici", label: "raw undici Pool.request", file: path.join(benchDir, "clients", "undici.mjs") },
  { name: "fetch", label: "Node fetch", file: path.join(benchDir, "clients", "fetch.mjs") },
  { name: "figuro", label: "@figuro/chatwoot-sdk (axios)", file: path.join(benchDir, "clients", "figuro.mjs") },
  { name: "effect-bare", label: "bare @effect/platform HttpClient", file: path.join(outDir, "effect-bare.mjs") },
  {
    name: "ours-platform",
    label: "this SDK over NodeHttpClient.layerUndici",
    file: path.join(outDir, "ours-platform.mjs")
  },
  { name: "ours-promise", label: "this SDK, Promise per call", file: path.join(outDir, "ours-promise.mjs") },
  { name: "ours-effect", label: "this SDK, in Effect (forEach)", file: path.join(outDir, "ours-effect.mjs") }
]
// "Every operation": raw undici and this SDK on PlatformHttp.layer, the same requests (clients/operations.mjs).
const operationClients = [
  { name: "undici-operations", file: path.join(benchDir, "clients", "undici-operations.mjs") },
  { name: "ours-operations", file: path.join(outDir, "ours-operations.mjs") }
]
const wanted = new Set(["undici", ...env("BENCH_CLIENTS", allClients.map((c) => c.name).join(",")).split(",")])
const clients = allClients.filter((c) => wanted.has(c.name))

const log = (line) => process.stderr.write(line + "\n")
const runClient = (client, url) =>
  runClientProcess({
    file: client.file,
    name: client.name,
    env: { BENCH_URL: url, BENCH_TOKEN: token, BENCH_INFLIGHT: String(inflight) }
  })

// Wall time of one command, from spawn to exit, on the client core.
const timeCommand = (argv, extraEnv) => {
  const [command, args] = pinned(clientCore, argv[0], argv.slice(1))
  const start = performance.now()
  const result = spawnSync(command, args, { env: { ...process.env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] })
  const ms = performance.now() - start
  if (result.status !== 0) {
    throw new Error(`${argv.join(" ")} exited with ${result.status}: ${String(result.stderr).slice(0, 500)}`)
  }
  return ms
}

const writeRecords = async (file, n, format = "ndjson") => {
  const out = fs.createWriteStream(file)
  const batch = 10_000
  if (format === "csv") out.write("id,name,custom_attributes\n")
  for (let start = 1; start <= n; start += batch) {
    let text = ""
    for (let id = start; id < Math.min(start + batch, n + 1); id++) {
      const userId = ((id - 1) % 100_000) + 1
      text += format === "csv"
        ? `${userId},Agent ${id},"{""department"":""support"",""batch"":${Math.floor(id / 1000)}}"\n`
        : `{"id":${userId},"name":"Agent ${id}","custom_attributes":{"department":"support","batch":${
          Math.floor(id / 1000)
        }}}\n`
    }
    if (!out.write(text)) await new Promise((resolve) => out.once("drain", resolve))
  }
  await new Promise((resolve, reject) => out.end((error) => error ? reject(error) : resolve()))
}

// The people of the bulk provision (provision.mjs), a CSV (`email,name,display_name,account_id,role,custom_attributes`)
// or the same records as NDJSON.
const writePeople = async (file, n, format) => {
  const out = fs.createWriteStream(file)
  const row = format === "csv" ? csvRow : ndjsonRow
  if (format === "csv") out.write(csvHeader)
  const batch = 10_000
  for (let start = 1; start <= n; start += batch) {
    let text = ""
    for (let id = start; id < Math.min(start + batch, n + 1); id++) text += row(id)
    if (!out.write(text)) await new Promise((resolve) => out.once("drain", resolve))
  }
  await new Promise((resolve, reject) => out.end((error) => error ? reject(error) : resolve()))
}

const countLines = (file) => {
  const buffer = Buffer.alloc(1 << 20)
  const fd = fs.openSync(file, "r")
  let lines = 0
  try {
    for (let read; (read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0;) {
      for (let at = buffer.indexOf(10); at >= 0 && at < read; at = buffer.indexOf(10, at + 1)) lines++
    }
  } finally {
    fs.closeSync(fd)
  }
  return lines
}

// Reads VmRSS/VmHWM of a running process (kB): the peak is kept by the kernel, the samples show whether it is flat.
const readMemory = (pid) => {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8")
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN)
    const memory = { rss: field("VmRSS"), hwm: field("VmHWM") }
    // A process that has exited but is not reaped yet has no memory lines: no sample then.
    return Number.isFinite(memory.rss) && Number.isFinite(memory.hwm) ? memory : undefined
  } catch {
    return undefined
  }
}

// Runs `chatwoot-platform --url URL ...command --file FILE --concurrency N` on the client core, result lines to a file,
// sampling its memory. `check(code, stderr, cut, outFile)` reads the summary: it returns the records done, or throws.
const runOnFile = (url, command, file, check, maxSeconds) =>
  new Promise((resolve, reject) => {
    const outFile = path.join(path.dirname(file), "results.ndjson")
    const out = fs.openSync(outFile, "w")
    const [executable, args] = pinned(clientCore, process.execPath, [
      binPath,
      "--url",
      url,
      ...command,
      "--file",
      file,
      "--concurrency",
      String(inflight)
    ])
    const start = performance.now()
    const child = spawn(executable, args, {
      stdio: ["ignore", out, "pipe"],
      env: { ...process.env, CHATWOOT_PLATFORM_TOKEN: token }
    })
    // taskset execs node in place, so the pid is node's.
    const samples = []
    let peakKb = 0
    const timer = setInterval(() => {
      const memory = readMemory(child.pid)
      if (memory === undefined) return
      peakKb = Math.max(peakKb, memory.hwm)
      samples.push({ t: performance.now() - start, rssKb: memory.rss })
    }, 250)
    let stderr = ""
    child.stderr.on("data", (chunk) => stderr = (stderr + chunk).slice(-4000))
    let cut = false
    const cap = setTimeout(() => {
      cut = true
      child.kill("SIGINT")
    }, maxSeconds * 1000)
    child.on("error", reject)
    child.on("exit", (code) => {
      clearInterval(timer)
      clearTimeout(cap)
      fs.closeSync(out)
      const seconds = (performance.now() - start) / 1000
      let checked
      try {
        checked = check(code, stderr, cut, outFile)
      } catch (error) {
        return reject(error)
      }
      fs.rmSync(outFile, { force: true })
      // RSS once the run is a tenth and nine tenths through: equal figures mean memory does not grow with the file.
      const at = (fraction) => {
        const target = fraction * seconds * 1000
        const sample = samples.find((s) => s.t >= target) ?? samples.at(-1)
        return sample === undefined ? NaN : sample.rssKb / 1024
      }
      resolve({
        ...checked,
        seconds,
        complete: !cut,
        throughput: checked.done / seconds,
        peakRssMb: peakKb / 1024,
        rssAt10Mb: at(0.1),
        rssAt90Mb: at(0.9)
      })
    })
  })

const runBulk = (url, file, records) =>
  runOnFile(url, ["users", "update"], file, (code, stderr, cut) => {
    const summary = /(\d+) records: (\d+) ok, (\d+) failed/.exec(stderr)
    const ok = summary === null ? NaN : Number(summary[2])
    if (summary === null || Number(summary[3]) !== 0 || (!cut && (code !== 0 || ok !== records))) {
      throw new Error(`bulk update exited with ${code}: ${stderr.slice(-1000)}`)
    }
    return { done: ok }
  }, bulkMaxSeconds)

const provisionSummary = new RegExp(
  "bulk provision(?: \\(stopped early\\))?: (\\d+) records: (\\d+) created, (\\d+) claimed, (\\d+) updated, " +
    "(\\d+) role_changed, (\\d+) unchanged, (\\d+) removed, (\\d+) failed, (\\d+) invalid, (\\d+) skipped in " +
    "[\\d.]+s, (\\d+) requests?"
)

// A provision of `records` people who all end with `status` (`created`: new people; `unchanged`: the rerun), at
// `perPerson` requests each. Complete: every record done with that status, nothing failed, invalid or skipped, the
// requests counted exactly, one result line per record. Stopped: nothing failed or invalid in the part done.
const runProvision = (url, file, records, status, perPerson) =>
  runOnFile(url, ["provision"], file, (code, stderr, cut, outFile) => {
    const fail = (why) => {
      throw new Error(`provision (${status}) ${why}; exited with ${code}: ${stderr.slice(-1000)}`)
    }
    const m = provisionSummary.exec(stderr)
    if (m === null) fail("printed no summary")
    const [total, created, claimed, updated, roleChanged, unchanged, removed, failed, invalid, skipped, requests] = m
      .slice(1).map(Number)
    const counts = { created, claimed, updated, role_changed: roleChanged, unchanged, removed }
    const done = created + claimed + updated + roleChanged + unchanged + removed
    if (failed !== 0 || invalid !== 0) fail(`had ${failed} failed and ${invalid} invalid records`)
    if (counts[status] !== done) fail(`did not end every record ${status}: ${JSON.stringify(counts)}`)
    if (!cut) {
      if (code !== 0) fail("failed")
      if (total !== records || done !== records || skipped !== 0) fail(`did ${done} of ${records} records`)
      if (requests !== records * perPerson) fail(`sent ${requests} requests, not ${perPerson} per person`)
      const lines = countLines(outFile)
      if (lines !== records) fail(`wrote ${lines} result lines for ${records} records`)
    }
    return { done, requests, requestsPerSecond: 0 }
  }, provisionMaxSeconds)

// ---------------------------------------------------------------------------------------------------------------

const results = {
  machine: {},
  clients: {},
  operations: undefined,
  cli: undefined,
  bulk: undefined,
  provision: undefined
}
results.machine = {
  cpus: `${cores} x ${os.cpus()[0]?.model ?? "unknown"}`,
  node: process.version,
  pinned: hasTaskset ? `server on CPU ${serverCore}, clients on CPU ${clientCore}` : "no (fewer than 2 CPUs)"
}
log(`bench: ${results.machine.cpus}, node ${process.version}, pinning: ${results.machine.pinned}`)

const { child: server, port } = await startServer()
const url = `http://127.0.0.1:${port}`
const stopServer = () => server.kill("SIGTERM")
process.on("exit", stopServer)

try {
  if (only.has("clients")) {
    await buildClients(clients.filter((c) => c.file.startsWith(outDir)).map((c) => c.name))
    const raw = Object.fromEntries(clients.map((c) => [c.name, []]))
    for (let round = 1; round <= rounds; round++) {
      for (const client of clients) {
        const result = await runClient(client, url)
        raw[client.name].push(result)
        log(
          `round ${round}/${rounds} ${client.name.padEnd(13)} ${result.throughput.toFixed(0).padStart(6)} req/s ` +
            `${result.cpuPerRequestUs.toFixed(1).padStart(6)} us CPU/req  median ${
              (result.seqMedianMs * 1000).toFixed(0)
            } us`
        )
      }
    }
    for (const client of clients) {
      const runs = raw[client.name]
      const pick = (key) => median(runs.map((r) => r[key]))
      results.clients[client.name] = {
        label: client.label,
        seqMedianMs: pick("seqMedianMs"),
        seqP99Ms: pick("seqP99Ms"),
        throughput: pick("throughput"),
        cpuPerRequestUs: pick("cpuPerRequestUs"),
        peakRssMb: pick("peakRssMb"),
        runs
      }
    }
  }

  if (only.has("operations")) {
    await buildClients(["ours-operations"])
    const runs = { undici: [], ours: [] }
    for (let round = 1; round <= rounds; round++) {
      for (const [key, client] of [["undici", operationClients[0]], ["ours", operationClients[1]]]) {
        const result = await runClient(client, url)
        runs[key].push(result)
        const figures = Object.values(result.operations)
        log(
          `round ${round}/${rounds} ${client.name.padEnd(17)} ${figures.length} operations, CPU/req ${
            Math.min(...figures.map((f) => f.cpuPerRequestUs)).toFixed(1)
          }-${Math.max(...figures.map((f) => f.cpuPerRequestUs)).toFixed(1)} us`
        )
      }
    }
    const names = Object.keys(runs.ours[0].operations)
    const pick = (key, name, field) => median(runs[key].map((r) => r.operations[name][field]))
    results.operations = {
      names,
      figures: Object.fromEntries(names.map((name) => [name, {
        undici: {
          throughput: pick("undici", name, "throughput"),
          cpuPerRequestUs: pick("undici", name, "cpuPerRequestUs")
        },
        ours: { throughput: pick("ours", name, "throughput"), cpuPerRequestUs: pick("ours", name, "cpuPerRequestUs") },
        // Each round's SDK figure over raw undici's of the same round: the steadier comparison on a drifting machine.
        pairedCpu: median(
          runs.ours.map((r, i) => r.operations[name].cpuPerRequestUs / runs.undici[i].operations[name].cpuPerRequestUs)
        ),
        pairedThroughput: median(
          runs.ours.map((r, i) => r.operations[name].throughput / runs.undici[i].operations[name].throughput)
        )
      }])),
      peakRssMb: {
        undici: median(runs.undici.map((r) => r.peakRssMb)),
        ours: median(runs.ours.map((r) => r.peakRssMb))
      },
      runs
    }
  }

  if (only.has("cli") || only.has("bulk") || only.has("provision")) {
    if (!fs.existsSync(binPath)) throw new Error(`${binPath} is missing: run \`npm run build\` first`)
  }

  if (only.has("cli")) {
    const commands = {
      node: [process.execPath, "-e", "0"],
      help: [process.execPath, binPath, "--help"],
      update: [process.execPath, binPath, "--url", url, "users", "update", "4242", "--name", "Ada Lovelace"]
    }
    const times = { node: [], help: [], update: [] }
    for (const name of Object.keys(commands)) timeCommand(commands[name], { CHATWOOT_PLATFORM_TOKEN: token })
    for (let run = 0; run < coldRuns; run++) {
      for (const name of Object.keys(commands)) {
        times[name].push(timeCommand(commands[name], { CHATWOOT_PLATFORM_TOKEN: token }))
      }
    }
    results.cli = Object.fromEntries(Object.entries(times).map(([name, ms]) => [name, median(ms)]))
    log(
      `cli: node -e 0 ${results.cli.node.toFixed(0)} ms, --help ${results.cli.help.toFixed(0)} ms, ` +
        `one update ${results.cli.update.toFixed(0)} ms`
    )
  }

  if (only.has("bulk") && bulkRecords > 0) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatwoot-bench-"))
    try {
      const file = path.join(dir, `records.${bulkFormat}`)
      await writeRecords(file, bulkRecords, bulkFormat)
      const size = fs.statSync(file).size
      log(`bulk: ${bulkRecords} records (${(size / 1e6).toFixed(0)} MB) at ${inflight} in flight...`)
      results.bulk = { records: bulkRecords, fileMb: size / 1e6, ...(await runBulk(url, file, bulkRecords)) }
      log(
        `bulk: ${results.bulk.done} records done${results.bulk.complete ? "" : ` (stopped at ${bulkMaxSeconds} s)`}, ` +
          `${results.bulk.throughput.toFixed(0)} records/s, peak RSS ${results.bulk.peakRssMb.toFixed(0)} MB`
      )
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }

  if (only.has("provision") && provisionRecords > 0) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatwoot-bench-"))
    try {
      const file = path.join(dir, `people.${provisionFormat}`)
      await writePeople(file, provisionRecords, provisionFormat)
      const size = fs.statSync(file).size
      results.provision = { records: provisionRecords, format: provisionFormat, fileMb: size / 1e6, runs: [] }
      // New people on the main server; the rerun on a second one whose users are already members as wanted.
      const cases = [
        { name: "new people", status: "created", perPerson: 2, env: undefined },
        { name: "rerun, already as wanted", status: "unchanged", perPerson: 1, env: { BENCH_PROVISION_MEMBERS: "1" } }
      ]
      for (const c of cases) {
        log(
          `provision: ${provisionRecords} people (${(size / 1e6).toFixed(0)} MB ${provisionFormat}), ${c.name}, ` +
            `at ${inflight}...`
        )
        const own = c.env === undefined ? undefined : await startServer(c.env)
        try {
          const target = own === undefined ? url : `http://127.0.0.1:${own.port}`
          const run = await runProvision(target, file, provisionRecords, c.status, c.perPerson)
          run.requestsPerSecond = run.requests / run.seconds
          results.provision.runs.push({ name: c.name, perPerson: c.perPerson, ...run })
          log(
            `provision: ${c.name}: ${run.done} done${run.complete ? "" : ` (stopped at ${provisionMaxSeconds} s)`}, ` +
              `${run.throughput.toFixed(0)} records/s, ${run.requestsPerSecond.toFixed(0)} requests/s, ` +
              `peak RSS ${run.peakRssMb.toFixed(0)} MB`
          )
        } finally {
          own?.child.kill("SIGTERM")
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
} finally {
  stopServer()
}

// ---------------------------------------------------------------------------------------------------------------

const ref = results.clients.undici
const ratio = (value, base) =>
  base === undefined || !Number.isFinite(value / base) ? "" : `${(value / base).toFixed(2)}x`
const fmt = (value, digits = 0) => Number.isFinite(value) ? value.toFixed(digits) : "n/a"
const lines = []
if (Object.keys(results.clients).length > 0) {
  lines.push(
    `Clients: ${rounds} interleaved rounds, medians; ${inflight} in flight for throughput and CPU; ratios to raw undici.`,
    "",
    "| client | seq median µs | seq p99 µs | req/s @" + inflight + " | CPU µs/req | peak RSS MB |",
    "|---|---|---|---|---|---|"
  )
  for (const c of Object.values(results.clients)) {
    lines.push(
      `| ${c.label} | ${fmt(c.seqMedianMs * 1000)} (${ratio(c.seqMedianMs, ref?.seqMedianMs)}) | ` +
        `${fmt(c.seqP99Ms * 1000)} (${ratio(c.seqP99Ms, ref?.seqP99Ms)}) | ` +
        `${fmt(c.throughput)} (${ratio(c.throughput, ref?.throughput)}) | ` +
        `${fmt(c.cpuPerRequestUs, 1)} (${ratio(c.cpuPerRequestUs, ref?.cpuPerRequestUs)}) | ` +
        `${fmt(c.peakRssMb)} (${ratio(c.peakRssMb, ref?.peakRssMb)}) |`
    )
  }
  // The same client order runs in every round, seconds apart: a ratio within a round compares the two clients under
  // the same load. Shown beside the table; the verdicts below use the ratios of the medians above.
  if (ref !== undefined && ref.runs.length > 1) {
    const paired = (c, field) =>
      median(c.runs.map((run, i) => run[field] / ref.runs[i][field]).filter(Number.isFinite)).toFixed(2) + "x"
    lines.push(
      "",
      "Per-round ratios to raw undici (median over the rounds), CPU µs/req and req/s: " +
        Object.entries(results.clients).filter(([name]) => name !== "undici")
          .map(([, c]) => `${c.label} ${paired(c, "cpuPerRequestUs")}, ${paired(c, "throughput")}`).join("; ") +
        "."
    )
  }
  lines.push("")
}
if (results.operations !== undefined) {
  const o = results.operations
  lines.push(
    `Every operation: ${rounds} interleaved rounds of raw undici and this SDK on PlatformHttp.layer (in Effect, ` +
      `forEach), medians; ${inflight} in flight; ratios to raw undici (the median's, then paired round by round).`,
    "",
    "| operation | undici req/s | SDK req/s | undici CPU µs/req | SDK CPU µs/req | paired CPU, req/s |",
    "|---|---|---|---|---|---|"
  )
  for (const name of o.names) {
    const { ours, pairedCpu, pairedThroughput, undici } = o.figures[name]
    lines.push(
      `| ${name} | ${fmt(undici.throughput)} | ${fmt(ours.throughput)} (${
        ratio(ours.throughput, undici.throughput)
      }) | ` +
        `${fmt(undici.cpuPerRequestUs, 1)} | ${fmt(ours.cpuPerRequestUs, 1)} (${
          ratio(ours.cpuPerRequestUs, undici.cpuPerRequestUs)
        }) | ${pairedCpu.toFixed(2)}x, ${pairedThroughput.toFixed(2)}x |`
    )
  }
  lines.push("", `Peak RSS: raw undici ${fmt(o.peakRssMb.undici)} MB, this SDK ${fmt(o.peakRssMb.ours)} MB.`, "")
}
if (results.cli !== undefined) {
  lines.push(
    `CLI cold start (${coldRuns} runs each, interleaved, median wall time):`,
    "",
    "| command | ms | ratio to `node -e 0` |",
    "|---|---|---|",
    `| node -e 0 | ${fmt(results.cli.node)} | 1.00x |`,
    `| chatwoot-platform --help | ${fmt(results.cli.help)} | ${ratio(results.cli.help, results.cli.node)} |`,
    `| chatwoot-platform users update ID --name (local server) | ${fmt(results.cli.update)} | ${
      ratio(results.cli.update, results.cli.node)
    } |`,
    ""
  )
}
if (results.bulk !== undefined) {
  const b = results.bulk
  lines.push(
    `Bulk: users update --file, ${b.records} NDJSON records (${fmt(b.fileMb)} MB), --concurrency ${inflight}` +
      (b.complete ? ":" : `; STOPPED after ${bulkMaxSeconds} s with ${b.done} records done (figures of that part):`),
    "",
    "| records/s | vs raw undici @" + inflight + " | wall s | peak RSS MB | RSS at 10% / 90% of the run MB |",
    "|---|---|---|---|---|",
    `| ${fmt(b.throughput)} | ${ratio(b.throughput, ref?.throughput)} | ${fmt(b.seconds, 1)} | ${fmt(b.peakRssMb)} | ${
      fmt(b.rssAt10Mb)
    } / ${fmt(b.rssAt90Mb)} |`,
    ""
  )
}
if (results.provision !== undefined) {
  const p = results.provision
  const bulk = results.bulk
  lines.push(
    `Provision: provision --file, ${p.records} people in ${p.format === "csv" ? "a CSV" : "NDJSON"} (${
      fmt(p.fileMb)
    } MB), --concurrency ${inflight}` +
      (bulk === undefined ? "" : `; requests/s beside the bulk update's records/s (one request each) of this run`) +
      ":",
    "",
    "| case | requests/person | records/s | requests/s | vs bulk update | wall s | peak RSS MB | RSS at 10% / 90% MB |",
    "|---|---|---|---|---|---|---|---|",
    ...p.runs.map((r) =>
      `| ${r.name}${
        r.complete ? "" : ` (STOPPED after ${provisionMaxSeconds} s, ${r.done} done)`
      } | ${r.perPerson} | ` +
      `${fmt(r.throughput)} | ${fmt(r.requestsPerSecond)} | ${ratio(r.requestsPerSecond, bulk?.throughput)} | ` +
      `${fmt(r.seconds, 1)} | ${fmt(r.peakRssMb)} | ${fmt(r.rssAt10Mb)} / ${fmt(r.rssAt90Mb)} |`
    ),
    ""
  )
}

// What the SDK adds over a given HttpClient: the same client alone (effect-bare) and under the SDK (ours-platform),
// CPU per request, also paired round by round.
const bare = results.clients["effect-bare"]
const overBare = results.clients["ours-platform"]
let sdkOverClient
if (bare !== undefined && overBare !== undefined) {
  const perRound = median(overBare.runs.map((r, i) => r.cpuPerRequestUs / bare.runs[i].cpuPerRequestUs))
  sdkOverClient = overBare.cpuPerRequestUs / bare.cpuPerRequestUs
  lines.push(
    `The SDK over NodeHttpClient.layerUndici: ${fmt(overBare.cpuPerRequestUs, 1)} µs CPU/request against ${
      fmt(bare.cpuPerRequestUs, 1)
    } µs for that HttpClient alone: ${sdkOverClient.toFixed(2)}x, ${
      fmt(overBare.cpuPerRequestUs - bare.cpuPerRequestUs, 1)
    } µs added (per round: ${perRound.toFixed(2)}x).`,
    ""
  )
}

// Targets (bench/README.md): ratios from this run.
const ours = [results.clients["ours-promise"], results.clients["ours-effect"]].filter((c) => c !== undefined)
const figuro = results.clients.figuro
const fetchC = results.clients.fetch
const verdict = (ok) => ok === undefined ? "n/a" : ok ? "met" : "MISSED"
const targets = []
if (ref !== undefined && ours.length > 0) {
  const all = (predicate) => ours.every(predicate)
  targets.push(
    [
      "throughput ahead of figuro and fetch, >= 0.45x undici",
      all((c) =>
        (figuro === undefined || c.throughput > figuro.throughput) &&
        (fetchC === undefined || c.throughput > fetchC.throughput) && c.throughput >= 0.45 * ref.throughput
      )
    ],
    [
      "CPU/request below figuro's, <= 2.5x undici",
      all((c) =>
        (figuro === undefined || c.cpuPerRequestUs < figuro.cpuPerRequestUs) &&
        c.cpuPerRequestUs <= 2.5 * ref.cpuPerRequestUs
      )
    ],
    ["sequential median <= 1.5x undici", all((c) => c.seqMedianMs <= 1.5 * ref.seqMedianMs)]
  )
}
if (sdkOverClient !== undefined) {
  targets.push(["SDK over a given HttpClient <= 1.15x its CPU/request", sdkOverClient <= 1.15])
}
if (results.cli !== undefined) {
  targets.push(
    ["CLI --help <= 3.5x node -e 0", results.cli.help <= 3.5 * results.cli.node],
    ["CLI one update <= 5x node -e 0", results.cli.update <= 5 * results.cli.node]
  )
}
if (results.bulk !== undefined) {
  targets.push(
    ["bulk peak RSS <= 150 MB", results.bulk.peakRssMb <= 150],
    [
      "bulk throughput >= 0.4x undici @" + inflight,
      ref === undefined ? undefined : results.bulk.throughput >= 0.4 * ref.throughput
    ]
  )
}
if (targets.length > 0) {
  lines.push("| target | verdict |", "|---|---|", ...targets.map(([name, ok]) => `| ${name} | ${verdict(ok)} |`), "")
}

process.stdout.write(
  `Machine: ${results.machine.cpus}, Node ${results.machine.node}, pinned: ${results.machine.pinned}\n\n` +
    lines.join("\n")
)
if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2) + "\n")
