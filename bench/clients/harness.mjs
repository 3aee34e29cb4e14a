// What every client process runs: warm up, then sequential latency, then throughput and CPU at a fixed number of
// requests in flight; prints one JSON line on stdout. A client supplies `one(i)` (one request, resolves when the
// parsed answer is there, rejects on anything but 200) and may supply its own `sequential`/`concurrent` (the in-Effect
// client runs both loops inside Effect).
// Environment: BENCH_URL, BENCH_TOKEN, BENCH_WARMUP, BENCH_SEQUENTIAL, BENCH_CONCURRENT, BENCH_INFLIGHT.
import { performance } from "node:perf_hooks"

export const config = {
  url: process.env.BENCH_URL ?? "http://127.0.0.1:3000",
  token: process.env.BENCH_TOKEN ?? "bench-platform-token",
  warmup: Number(process.env.BENCH_WARMUP ?? 2000),
  sequential: Number(process.env.BENCH_SEQUENTIAL ?? 2000),
  concurrent: Number(process.env.BENCH_CONCURRENT ?? 20000),
  inflight: Number(process.env.BENCH_INFLIGHT ?? 64)
}

// The same update for every client: a rename plus one custom attribute, on ids 1..100000.
export const userId = (i) => (i % 100_000) + 1
export const payload = { name: "Ada Lovelace", custom_attributes: { department: "engineering" } }
export const payloadJson = JSON.stringify(payload)
export const path = (i) => `/platform/api/v1/users/${userId(i)}`

export const checkUser = (user, i) => {
  if (user === null || typeof user !== "object" || typeof user.id !== "number" || typeof user.email !== "string") {
    throw new Error(`request ${i}: not a user: ${JSON.stringify(user)?.slice(0, 200)}`)
  }
}

/** `n` calls of `one`, `inflight` at a time. */
export const pool = async (one, n, inflight) => {
  let next = 0
  const worker = async () => {
    while (next < n) await one(next++)
  }
  await Promise.all(Array.from({ length: Math.min(inflight, n) }, worker))
}

/** Sequential latencies in milliseconds. */
export const sequentialLoop = async (one, n) => {
  const latencies = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const start = performance.now()
    await one(i)
    latencies[i] = performance.now() - start
  }
  return latencies
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]

export const run = async (client) => {
  const sequential = client.sequential ?? ((n) => sequentialLoop(client.one, n))
  const concurrent = client.concurrent ?? ((n, inflight) => pool(client.one, n, inflight))
  await concurrent(config.warmup, config.inflight)
  await sequential(Math.min(200, config.sequential))
  const latencies = Float64Array.from(await sequential(config.sequential)).sort()
  const cpuBefore = process.cpuUsage()
  const start = performance.now()
  await concurrent(config.concurrent, config.inflight)
  const seconds = (performance.now() - start) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  const result = {
    seqMedianMs: quantile(latencies, 0.5),
    seqP99Ms: quantile(latencies, 0.99),
    throughput: config.concurrent / seconds,
    cpuPerRequestUs: (cpu.user + cpu.system) / config.concurrent,
    peakRssMb: process.resourceUsage().maxRSS / 1024
  }
  await client.close?.()
  process.stdout.write(JSON.stringify(result) + "\n")
}
