/**
 * Helpers of the bulk end-to-end tests: the bundled binary as a child process, the emulator it serves, a loopback
 * proxy that injects trouble, and readers of the NDJSON results and of the journal.
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { binaryPath } from "../globalSetup.js"

export interface Output {
  stdout: string
  stderr: string
}

export interface Finished extends Output {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env = { ...process.env }
  delete env.CHATWOOT_URL
  delete env.CHATWOOT_PLATFORM_TOKEN
  delete env.CHATWOOT_TIMEOUT
  delete env.CHATWOOT_TOKEN_HEADER
  delete env.CHATWOOT_RETRIES
  return { ...env, ...extra }
}

const collect = (child: ChildProcess): Output => {
  const out = { stdout: "", stderr: "" }
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (out.stdout += chunk))
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (out.stderr += chunk))
  return out
}

export interface Running {
  readonly child: ChildProcess
  readonly out: Output
  /** Resolves once the child exited and its pipes are drained. */
  readonly exited: Promise<Finished>
}

/** Spawns the binary; SIGKILLed when the scope closes if it still runs. */
export const spawnBinary = (
  args: ReadonlyArray<string>,
  env: Record<string, string> = {}
): Effect.Effect<Running, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const child = spawn(process.execPath, [binaryPath, ...args], {
        env: cleanEnv(env),
        stdio: ["ignore", "pipe", "pipe"]
      })
      const out = collect(child)
      const exited = new Promise<Finished>((resolve) => {
        child.once("close", (code, signal) => resolve({ code, signal, ...out }))
      })
      return { child, out, exited }
    }),
    ({ child }) => Effect.sync(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"))
  )

/** Waits for a running child to end; SIGKILLs it and fails after `ms`. */
export const waitExit = (running: Running, ms = 20_000): Effect.Effect<Finished, Error> =>
  Effect.async<Finished, Error>((resume) => {
    const timer = setTimeout(() => {
      running.child.kill("SIGKILL")
      resume(Effect.fail(new Error(`timed out after ${ms}ms; stderr: ${running.out.stderr}`)))
    }, ms)
    void running.exited.then((finished) => {
      clearTimeout(timer)
      resume(Effect.succeed(finished))
    })
    return Effect.sync(() => clearTimeout(timer))
  })

/** Runs the binary to its end (killed after `ms`). */
export const runBinary = (args: ReadonlyArray<string>, env: Record<string, string> = {}, ms = 20_000) =>
  Effect.scoped(Effect.flatMap(spawnBinary(args, env), (running) => waitExit(running, ms)))

/** Polls (every 10 ms, at most `ms`) until `condition` holds; fails otherwise. */
export const waitUntil = (condition: () => boolean, what: string, ms = 15_000): Effect.Effect<void, Error> =>
  Effect.async<void, Error>((resume) => {
    const started = Date.now()
    const timer = setInterval(() => {
      if (condition()) {
        clearInterval(timer)
        resume(Effect.void)
      } else if (Date.now() - started > ms) {
        clearInterval(timer)
        resume(Effect.fail(new Error(`timed out waiting for ${what}`)))
      }
    }, 10)
    return Effect.sync(() => clearInterval(timer))
  })

/** `chatwoot-platform emulator --port 0 ...`, once it prints its URL; killed when the scope closes. */
export const startEmulator = (args: ReadonlyArray<string>): Effect.Effect<string, Error, Scope.Scope> =>
  Effect.gen(function*() {
    const running = yield* spawnBinary(["emulator", "--port", "0", ...args])
    const listening = () => /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(running.out.stdout)
    yield* waitUntil(
      () => listening() !== null || running.child.exitCode !== null,
      `the emulator's listening line (stderr: ${running.out.stderr})`
    )
    const match = listening()
    if (match === null) return yield* Effect.fail(new Error(`the emulator exited: ${running.out.stderr}`))
    return match[1]!
  })

export const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "cwp-bulk-e2e-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

// ============================================================================
// A proxy that injects trouble
// ============================================================================

export type Action =
  | { readonly _tag: "Forward"; readonly delayMillis?: number }
  | { readonly _tag: "Respond"; readonly status: number; readonly body: string; readonly contentType: string }
  /** Never answers (until the proxy closes). */
  | { readonly _tag: "Hang" }

export interface ProxyRequest {
  readonly method: string
  readonly path: string
  /** The user id of `/platform/api/v1/users/:id`, if any. */
  readonly id: number | undefined
  /** Requests the proxy received before this one. */
  readonly index: number
}

export interface Proxy {
  readonly url: string
  /** Every request received, with what was done with it. */
  readonly log: Array<ProxyRequest & { readonly action: Action["_tag"] }>
}

/** Rack::Attack's answer, as Chatwoot sends it (BEHAVIOUR.md section 7). */
export const tooManyRequests: Action = {
  _tag: "Respond",
  status: 429,
  body: "Retry later\n",
  contentType: "text/plain"
}

/** A loopback proxy in front of `target`; `decide` picks what to do with each request. Closed with the scope. */
export const startProxy = (
  target: string,
  decide: (request: ProxyRequest) => Action
): Effect.Effect<Proxy, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ proxy: Proxy; server: http.Server }>((resume) => {
      const log: Proxy["log"] = []
      const timers = new Set<NodeJS.Timeout>()
      const upstream = new URL(target)
      const server = http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          const url = req.url ?? "/"
          const idMatch = /^\/platform\/api\/v1\/users\/(\d+)/.exec(url)
          const request: ProxyRequest = {
            method: req.method ?? "GET",
            path: url,
            id: idMatch === null ? undefined : Number(idMatch[1]),
            index: log.length
          }
          const action = decide(request)
          log.push({ ...request, action: action._tag })
          if (action._tag === "Hang") return
          if (action._tag === "Respond") {
            res.writeHead(action.status, { "content-type": action.contentType })
            res.end(action.body)
            return
          }
          const forward = http.request({
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: url,
            headers: { ...req.headers, host: upstream.host }
          }, (answer) => {
            const body: Array<Buffer> = []
            answer.on("data", (chunk: Buffer) => body.push(chunk))
            answer.on("end", () => {
              const send = () => {
                if (res.destroyed) return
                res.writeHead(answer.statusCode ?? 502, answer.headers)
                res.end(Buffer.concat(body))
              }
              if (action.delayMillis === undefined) return send()
              const timer = setTimeout(() => {
                timers.delete(timer)
                send()
              }, action.delayMillis)
              timers.add(timer)
            })
          })
          forward.on("error", () => res.destroy())
          forward.end(Buffer.concat(chunks))
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        server.on("close", () => timers.forEach(clearTimeout))
        resume(Effect.succeed({ proxy: { url: `http://127.0.0.1:${port}`, log }, server }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ proxy }) => proxy))

// ============================================================================
// Reading what a run wrote
// ============================================================================

export interface Result {
  readonly line: number
  readonly id: number | null
  readonly status: "ok" | "error" | "skipped"
  readonly kind?: string
  readonly message?: string
}

/**
 * The result lines of a run's stdout. A run killed mid-write may leave a torn last line (no newline): it is not a
 * result and is left out. Every complete line must be a result.
 */
export const parseResults = (stdout: string): Array<Result> => {
  const complete = stdout.slice(0, stdout.lastIndexOf("\n") + 1)
  return complete.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Result)
}

/** `bulk update: N records: a ok, b failed, c invalid, d skipped` from stderr. */
export const parseSummary = (stderr: string) => {
  const match = new RegExp(
    "bulk update(?: \\(stopped early\\))?: (\\d+) records: (\\d+) ok, (\\d+) failed, (\\d+) invalid, (\\d+) skipped"
  ).exec(stderr)
  if (match === null) return undefined
  const [total, ok, failed, invalid, skipped] = match.slice(1).map(Number) as [number, number, number, number, number]
  return { total, ok, failed, invalid, skipped, stoppedEarly: stderr.includes("(stopped early)") }
}

/**
 * Reads a journal as the engine does: a JSON header, then one line number per line; only a torn last line (no
 * newline) may be anything else. Throws when the journal is damaged.
 */
export const readJournal = (
  file: string
): { readonly header: Record<string, unknown>; readonly lines: Array<number> } => {
  const text = fs.readFileSync(file, "utf8")
  const complete = text.slice(0, text.lastIndexOf("\n") + 1)
  const torn = text.slice(complete.length)
  if (torn !== "" && !/^[0-9]*$/.test(torn)) throw new Error(`torn last line is not a prefix of a number: ${torn}`)
  const [header, ...rest] = complete.split("\n").slice(0, -1)
  if (header === undefined) throw new Error("the journal has no header line")
  const parsed = JSON.parse(header) as Record<string, unknown>
  if (parsed.journal !== "chatwoot-platform users update journal") throw new Error(`not a journal header: ${header}`)
  const lines = rest.map((line, i) => {
    if (!/^[1-9][0-9]*$/.test(line)) throw new Error(`journal line ${i + 2} is damaged: ${JSON.stringify(line)}`)
    return Number(line)
  })
  return { header: parsed, lines }
}
