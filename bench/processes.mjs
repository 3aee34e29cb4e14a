// The process plumbing every bench script shares (run.mjs, ab.mjs, editions.mjs): pinning to a core, the bench
// server, one client process and its JSON result line, the median.
import { spawn, spawnSync } from "node:child_process"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const benchDir = path.dirname(fileURLToPath(import.meta.url))

/** The server's core and the clients' core, when there are two to pin to. */
export const serverCore = 0
export const clientCore = 1
export const hasTaskset = os.availableParallelism() >= 2 && spawnSync("taskset", ["-c", "0", "true"]).status === 0

/** `[command, args]` running `command args` on `core` (unpinned without taskset or a second core). */
export const pinned = (core, command, args) =>
  hasTaskset ? ["taskset", ["-c", String(core), command, ...args]] : [command, args]

export const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** The bench server (server.mjs) on the server core: `{ child, port }` once it listens. */
export const startServer = (extraEnv = {}) =>
  new Promise((resolve, reject) => {
    const [command, args] = pinned(serverCore, process.execPath, [path.join(benchDir, "server.mjs")])
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...extraEnv } })
    let out = ""
    child.stdout.on("data", (chunk) => {
      out += chunk
      const nl = out.indexOf("\n")
      if (nl >= 0) resolve({ child, port: JSON.parse(out.slice(0, nl)).port })
    })
    child.on("error", reject)
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)))
  })

/**
 * One client process on the client core (`node` file, in `cwd`, with `env` added): the JSON of its last stdout line.
 */
export const runClient = ({ cwd = benchDir, env = {}, file, name = file, node = process.execPath }) =>
  new Promise((resolve, reject) => {
    const [command, args] = pinned(clientCore, node, [file])
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } })
    let out = ""
    child.stdout.on("data", (chunk) => out += chunk)
    child.on("error", reject)
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`${name} exited with ${code}`))
      resolve(JSON.parse(out.trim().split("\n").at(-1)))
    })
  })
