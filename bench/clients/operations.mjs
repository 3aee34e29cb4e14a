// What the operations clients run ("Every operation" in bench/README.md): for each operation in turn, its requests at
// a fixed number in flight, timed and with the process's CPU measured around them; prints one JSON line on stdout. The
// requests (method, path, JSON body) are defined once here, so that raw undici and the SDK send the same ones.
// A client supplies `one(operation, i)` (one request of that operation, resolves when the parsed answer is there and
// checked, rejects on anything but 200) and may supply its own `concurrent(operation, n, inflight)`.
// Environment: BENCH_URL, BENCH_TOKEN, BENCH_INFLIGHT, BENCH_OPS_WARMUP, BENCH_OPS_REQUESTS, BENCH_OPERATIONS.
import { performance } from "node:perf_hooks"
import { listLength } from "../platform.mjs"
import { config, payload, pool, userId } from "./harness.mjs"

export { config }

export const opsConfig = {
  warmup: Number(process.env.BENCH_OPS_WARMUP ?? 1000),
  requests: Number(process.env.BENCH_OPS_REQUESTS ?? 10000)
}

const prefix = "/platform/api/v1"
// Ids vary as the users update's do.
export const recordId = userId

export const accountCreate = {
  name: "Acme Support",
  locale: "en",
  limits: { agents: 25, inboxes: 10 },
  custom_attributes: { marker: "bench" }
}
export const accountUpdate = { name: "Acme Support", custom_attributes: { marker: "bench", plan_name: "enterprise" } }
export const accountUserAdd = (i) => ({ user_id: recordId(i), role: "agent" })
export const agentBotCreate = {
  name: "Triage Bot",
  description: "Routes new conversations to the right team",
  outgoing_url: "https://bots.example.com/triage",
  account_id: 1
}
export const agentBotUpdate = { description: "Routes and tags new conversations" }

const isRecord = (value, key) => value !== null && typeof value === "object" && typeof value[key] === "number"
const checkOne = (key) => (value, i) => {
  if (!isRecord(value, key)) throw new Error(`request ${i}: not a record: ${JSON.stringify(value)?.slice(0, 200)}`)
}
const checkList = (key) => (value, i) => {
  if (!Array.isArray(value) || value.length !== listLength || !value.every((item) => isRecord(item, key))) {
    throw new Error(`request ${i}: not a list of ${listLength}: ${JSON.stringify(value)?.slice(0, 200)}`)
  }
}
const checkNothing = (value, i) => {
  if (value !== undefined) {
    throw new Error(`request ${i}: expected no body, got ${JSON.stringify(value)?.slice(0, 200)}`)
  }
}

/**
 * Every operation measured, in this order: `path(i)` under the API prefix (with its query), `body(i)` the JSON sent
 * (or undefined), `check(value, i)` on the answer (the parsed JSON, or `undefined` for an empty body).
 */
export const operations = [
  {
    name: "users.update",
    method: "PATCH",
    path: (i) => `${prefix}/users/${userId(i)}`,
    body: () => payload,
    check: checkOne("id")
  },
  { name: "accounts.list", method: "GET", path: () => `${prefix}/accounts`, check: checkList("id") },
  {
    name: "accounts.create",
    method: "POST",
    path: () => `${prefix}/accounts`,
    body: () => accountCreate,
    check: checkOne("id")
  },
  { name: "accounts.get", method: "GET", path: (i) => `${prefix}/accounts/${recordId(i)}`, check: checkOne("id") },
  {
    name: "accounts.update",
    method: "PATCH",
    path: (i) => `${prefix}/accounts/${recordId(i)}`,
    body: () => accountUpdate,
    check: checkOne("id")
  },
  {
    name: "accounts.delete",
    method: "DELETE",
    path: (i) => `${prefix}/accounts/${recordId(i)}`,
    check: checkNothing
  },
  {
    name: "accountUsers.list",
    method: "GET",
    path: (i) => `${prefix}/accounts/${recordId(i)}/account_users`,
    check: checkList("user_id")
  },
  {
    name: "accountUsers.add",
    method: "POST",
    path: (i) => `${prefix}/accounts/${recordId(i)}/account_users`,
    body: accountUserAdd,
    check: checkOne("user_id")
  },
  {
    name: "accountUsers.remove",
    method: "DELETE",
    // `user_id` in the query (PLATFORM.md §8.4), as the SDK sends it.
    path: (i) => `${prefix}/accounts/${recordId(i)}/account_users?user_id=${recordId(i)}`,
    check: checkNothing
  },
  { name: "agentBots.list", method: "GET", path: () => `${prefix}/agent_bots`, check: checkList("id") },
  {
    name: "agentBots.create",
    method: "POST",
    path: () => `${prefix}/agent_bots`,
    body: () => agentBotCreate,
    check: checkOne("id")
  },
  { name: "agentBots.get", method: "GET", path: (i) => `${prefix}/agent_bots/${recordId(i)}`, check: checkOne("id") },
  {
    name: "agentBots.update",
    method: "PATCH",
    path: (i) => `${prefix}/agent_bots/${recordId(i)}`,
    body: () => agentBotUpdate,
    check: checkOne("id")
  },
  {
    name: "agentBots.delete",
    method: "DELETE",
    path: (i) => `${prefix}/agent_bots/${recordId(i)}`,
    check: checkNothing
  },
  {
    name: "agentBots.deleteAvatar",
    method: "DELETE",
    path: (i) => `${prefix}/agent_bots/${recordId(i)}/avatar`,
    check: checkOne("id")
  }
]

const selected = process.env.BENCH_OPERATIONS === undefined || process.env.BENCH_OPERATIONS === ""
  ? operations
  : operations.filter((operation) => process.env.BENCH_OPERATIONS.split(",").includes(operation.name))

/**
 * Warms every operation up (`BENCH_OPS_WARMUP` requests each, so that the measured ones run on code that has seen
 * every route), then measures each in turn: `BENCH_OPS_REQUESTS` requests at `BENCH_INFLIGHT` in flight, throughput
 * and CPU per request (`process.cpuUsage`, user + system).
 */
export const runOperations = async (client) => {
  const concurrent = client.concurrent ??
    ((operation, n, inflight) => pool((i) => client.one(operation, i), n, inflight))
  for (const operation of selected) await concurrent(operation, opsConfig.warmup, config.inflight)
  const results = {}
  for (const operation of selected) {
    const cpuBefore = process.cpuUsage()
    const start = performance.now()
    await concurrent(operation, opsConfig.requests, config.inflight)
    const seconds = (performance.now() - start) / 1000
    const cpu = process.cpuUsage(cpuBefore)
    results[operation.name] = {
      throughput: opsConfig.requests / seconds,
      cpuPerRequestUs: (cpu.user + cpu.system) / opsConfig.requests
    }
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024
  await client.close?.()
  process.stdout.write(JSON.stringify({ operations: results, peakRssMb }) + "\n")
}
