/**
 * End to end through a stock nginx: the built binary against the emulator behind Debian's nginx, started here on
 * 127.0.0.1 with a minimal configuration (`proxy_pass` and nothing about headers, so `underscores_in_headers` stays
 * off, its default). nginx drops the underscore `api_access_token` header; the default `api-access-token` passes.
 * Without nginx installed (`.ci/run` installs `nginx-light`), the test says so in one line and is skipped.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { binaryPath } from "./globalSetup.js"
import { cleanEnv, type Finished, startEmulator } from "./utils/bulkE2e.js"

// `/usr/sbin` is not on every user's PATH.
const findNginx = (): string | undefined => {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/sbin", "/usr/local/sbin", "/sbin"]
  for (const dir of dirs.filter((dir) => dir !== "")) {
    const candidate = path.join(dir, "nginx")
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

const nginx = findNginx()
if (nginx === undefined) {
  console.log("nginx is not installed: skipping the reverse-proxy test (apt-get install -y nginx-light to run it)")
}

const TOKEN = "ProxyPlatformToken424242"

const freePort: Effect.Effect<number> = Effect.async<number>((resume) => {
  const server = net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as net.AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1")
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
  })

/** Everything nginx writes goes under `dir`; `master_process off` keeps it one process, so stopping it is a signal. */
const nginxConfig = (dir: string, port: number, upstream: string) =>
  `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log notice;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass ${upstream}; }
  }
}
`

interface Nginx {
  readonly url: string
  readonly errorLog: () => string
  /** `METHOD path status` of each request nginx served, from its access log. */
  readonly served: () => Array<string>
  /** SIGTERM, then the exit; SIGKILL if it has not ended within 10 s. */
  readonly stop: Effect.Effect<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
}

const stopChild = (child: ChildProcess) =>
  Effect.async<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return resume(Effect.succeed({ code: child.exitCode, signal: child.signalCode }))
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000)
    child.once("exit", (code, signal) => {
      clearTimeout(timer)
      resume(Effect.succeed({ code, signal }))
    })
    child.kill("SIGTERM")
  })

/** Starts nginx in front of `upstream`, ready once it accepts connections; stopped when the scope closes, always. */
const startNginx = (binary: string, upstream: string): Effect.Effect<Nginx, Error, Scope.Scope> =>
  Effect.gen(function*() {
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "cwp-nginx-"))),
      (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
    )
    const read = (name: string) => {
      try {
        return fs.readFileSync(path.join(dir, name), "utf8")
      } catch {
        return ""
      }
    }
    const errorLog = () => read("error.log")
    const served = () =>
      Array.from(read("access.log").matchAll(/"(\w+) (\S+) HTTP\/[\d.]+" (\d{3}) /g), (m) => `${m[1]} ${m[2]} ${m[3]}`)
    // The port is free when picked; another process may take it first, so a bind failure picks another (3 tries).
    for (let attempt = 1;; attempt++) {
      const port = yield* freePort
      const conf = path.join(dir, "nginx.conf")
      fs.writeFileSync(conf, nginxConfig(dir, port, upstream))
      const child = yield* Effect.acquireRelease(
        Effect.sync(() =>
          spawn(binary, ["-p", `${dir}/`, "-c", conf, "-e", path.join(dir, "error.log")], {
            stdio: ["ignore", "ignore", "pipe"]
          })
        ),
        stopChild
      )
      let stderr = ""
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
      const ready = yield* Effect.promise(async () => {
        for (let i = 0; i < 300; i++) {
          if (child.exitCode !== null || child.signalCode !== null) return false
          if (await accepts(port)) return true
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        return false
      })
      if (ready) return { url: `http://127.0.0.1:${port}`, errorLog, served, stop: stopChild(child) }
      yield* stopChild(child)
      const log = `${stderr}${errorLog()}`
      if (attempt >= 3 || !log.includes("Address already in use")) {
        return yield* Effect.fail(new Error(`nginx did not start: ${log}`))
      }
    }
  })

/** Runs the built binary with `stdin` piped in and `env` over a clean environment; killed after 20 s. */
const runBinary = (args: ReadonlyArray<string>, env: Record<string, string>, stdin = "") =>
  Effect.async<Finished, Error>((resume) => {
    const child = spawn(process.execPath, [binaryPath, ...args], {
      env: cleanEnv(env),
      stdio: ["pipe", "pipe", "pipe"]
    })
    const out = { stdout: "", stderr: "" }
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out.stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (out.stderr += chunk))
    child.stdin.end(stdin)
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      resume(Effect.fail(new Error(`timed out; stderr: ${out.stderr}`)))
    }, 20_000)
    child.once("close", (code, signal) => {
      clearTimeout(timer)
      resume(Effect.succeed({ code, signal, ...out }))
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      child.kill("SIGKILL")
    })
  })

describe("the built binary through nginx", () => {
  it.scopedLive.skipIf(nginx === undefined)(
    "create, get and update pass a stock nginx; the underscore header does not, and the error names the proxy",
    () =>
      Effect.gen(function*() {
        const seedDir = yield* Effect.acquireRelease(
          Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "cwp-nginx-seed-"))),
          (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
        )
        const seed = path.join(seedDir, "seed.json")
        fs.writeFileSync(seed, JSON.stringify({ apps: [{ name: "proxied", token: TOKEN }] }))
        const emulator = yield* startEmulator(["--seed", seed])
        const proxy = yield* startNginx(nginx!, emulator)
        const env = { CHATWOOT_PLATFORM_TOKEN: TOKEN }
        const cli = (args: ReadonlyArray<string>, extra: Record<string, string> = {}, stdin = "") =>
          runBinary(["--url", proxy.url, "--json", "users", ...args], { ...env, ...extra }, stdin)

        const created = yield* cli(
          ["create", "--name", "Ada", "--email", "Ada@Proxied.example", "--password-stdin"],
          {},
          "Proxied-Passw0rd!\n"
        )
        assert.strictEqual(created.code, 0, created.stderr)
        assert.strictEqual(created.stderr, "")
        const user = JSON.parse(created.stdout)
        assert.strictEqual(user.name, "Ada")
        assert.strictEqual(user.email, "ada@proxied.example")
        assert.isAbove(user.id, 0)

        const got = yield* cli(["get", String(user.id)])
        assert.strictEqual(got.code, 0, got.stderr)
        assert.deepStrictEqual(JSON.parse(got.stdout), user)

        const updated = yield* cli(["update", String(user.id), "--name", "Ada L", "--custom-attribute", "via=nginx"])
        assert.strictEqual(updated.code, 0, updated.stderr)
        const after = JSON.parse(updated.stdout)
        assert.strictEqual(after.id, user.id)
        assert.strictEqual(after.name, "Ada L")
        assert.deepStrictEqual(after.custom_attributes, { via: "nginx" })

        // The same request with the underscore spelling: nginx drops the header, Chatwoot sees no token.
        const dropped = yield* cli(["get", String(user.id)], { CHATWOOT_TOKEN_HEADER: "api_access_token" })
        assert.strictEqual(dropped.code, 4, dropped.stderr)
        assert.strictEqual(dropped.stdout, "")
        assert.strictEqual(dropped.stderr.trim().split("\n").length, 1, dropped.stderr)
        assert.match(dropped.stderr, /^chatwoot-platform: get on user \d+: Chatwoot rejected the platform token/)
        assert.include(dropped.stderr, "a proxy in front of Chatwoot may have dropped its header")
        assert.notInclude(dropped.stderr, TOKEN)
        // The emulator itself reads that spelling: it was nginx that dropped it.
        const direct = yield* runBinary(["--url", emulator, "users", "get", String(user.id)], {
          ...env,
          CHATWOOT_TOKEN_HEADER: "api_access_token"
        })
        assert.strictEqual(direct.code, 0, direct.stderr)

        const stopped = yield* proxy.stop
        assert.strictEqual(stopped.code, 0, proxy.errorLog())
        // Every request went through nginx.
        const member = `/platform/api/v1/users/${user.id}`
        assert.deepStrictEqual(proxy.served(), [
          "POST /platform/api/v1/users 200",
          `GET ${member} 200`,
          `PATCH ${member} 200`,
          `GET ${member} 401`
        ])
      }),
    60_000
  )
})
