// A/B of two builds of one client against the bench server, interleaved round by round on the client CPU: how a
// change moved a client's CPU per request and throughput, on the same machine in the same minutes. Used to check
// that the users update path kept its cost across a refactor (bench/README.md, "Users update across issue 11").
//   node bench/ab.mjs BEFORE.mjs AFTER.mjs [rounds]
// Each file is a bundled client (`node bench/build.mjs` in each checkout: bench/.build/ours-effect.mjs); both must
// import their packages from a node_modules next to them. Environment as for run.mjs (BENCH_CONCURRENT...).
import * as path from "node:path"
import { median, runClient, startServer } from "./processes.mjs"

const [before, after] = process.argv.slice(2, 4).map((file) => path.resolve(file))
const rounds = Number(process.argv[4] ?? 6)
if (before === undefined || after === undefined) {
  process.stderr.write("usage: node bench/ab.mjs BEFORE.mjs AFTER.mjs [rounds]\n")
  process.exit(2)
}
const token = "bench-platform-token"
const { child, port } = await startServer()
const server = { child, url: `http://127.0.0.1:${port}` }

const run = (file) => runClient({ file, cwd: path.dirname(file), env: { BENCH_URL: server.url, BENCH_TOKEN: token } })

const rows = []
try {
  for (let round = 1; round <= rounds; round++) {
    // Alternate which goes first, so neither always gets the warmer machine.
    const order = round % 2 === 1 ? [["before", before], ["after", after]] : [["after", after], ["before", before]]
    const result = {}
    for (const [name, file] of order) result[name] = await run(file)
    rows.push(result)
    process.stderr.write(
      `round ${round}/${rounds}: before ${result.before.cpuPerRequestUs.toFixed(1)} µs CPU/req ${
        Math.round(result.before.throughput)
      } req/s, after ${result.after.cpuPerRequestUs.toFixed(1)} µs ${Math.round(result.after.throughput)} req/s\n`
    )
  }
} finally {
  server.child.kill()
}
const cpu = (name) => median(rows.map((row) => row[name].cpuPerRequestUs))
const rps = (name) => median(rows.map((row) => row[name].throughput))
const paired = median(rows.map((row) => row.after.cpuPerRequestUs / row.before.cpuPerRequestUs))
console.log(
  `before ${cpu("before").toFixed(1)} µs CPU/req, ${Math.round(rps("before"))} req/s; after ${
    cpu("after").toFixed(1)
  } µs, ${Math.round(rps("after"))} req/s; after/before CPU ${
    (cpu("after") / cpu("before")).toFixed(3)
  }x (paired per round ${paired.toFixed(3)}x)`
)
