/**
 * Loopback servers for the secret-hygiene tests: the emulator seeded with the harvest secrets, and an echo server
 * that answers any status with the whole request (headers and body) quoted back, the way debugging proxies and
 * framework error pages do, so a careless client would carry the secrets into its errors.
 */
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import * as PlatformUsersEmulator from "@chatwoot-effect/http/PlatformUsersEmulator"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type * as Net from "node:net"
import { OTHER_TOKEN, PASSWORD, TOKEN } from "./harvest.js"

/** Apps `harvest` (TOKEN) and `other` (OTHER_TOKEN); users 1 and 2 managed by `harvest`, 3 by `other` only. */
export const seed: PlatformUsersMemory.Seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "harvest", token: TOKEN }, { name: "other", token: OTHER_TOKEN }],
  users: [
    { id: 1, name: "Ann", email: "ann@acme.inc", password: PASSWORD, apps: ["harvest"] },
    { id: 2, name: "Bo", email: "bo@acme.inc", apps: ["harvest"] },
    { id: 3, name: "Cy", email: "cy@acme.inc", apps: ["other"] }
  ]
}))

/** The emulator over loopback (127.0.0.1, a free port), stopped with the scope. */
export const emulator = (options: { readonly rateLimit?: number } = {}) =>
  PlatformUsersEmulator.serve({
    host: "127.0.0.1",
    port: 0,
    seed,
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit, rateLimitBy: "global" as const })
  }).pipe(Effect.orDie)

export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

export type Answer =
  | {
    readonly _tag: "Reply"
    readonly status: number
    readonly body: string
    readonly headers?: Readonly<Record<string, string>> | undefined
  }
  /** The status line, headers and part of the body, then the socket is destroyed. */
  | { readonly _tag: "Reset"; readonly partial: string }
  /** No answer at all until the client gives up. */
  | { readonly _tag: "Hang" }

/** The request as one text: the method, the target, every header and the body. */
export const requestText = (seen: Seen): string =>
  [
    `${seen.method} ${seen.url}`,
    ...Object.entries(seen.headers).map(([name, value]) => `${name}: ${String(value)}`),
    "",
    seen.body
  ].join("\n")

/** The request quoted raw, HTML-escaped, as a JSON string and percent-encoded: every way an echo carries it. */
export const echoText = (seen: Seen): string => {
  const text = requestText(seen)
  const html = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
  return `<html><body><pre>${text}</pre><pre>${html}</pre><script>var r = ${
    JSON.stringify(text)
  }</script><a href="/?r=${encodeURIComponent(text)}">again</a></body></html>`
}

export const reply = (
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = { "content-type": "text/html" }
): Answer => ({ _tag: "Reply", status, body, headers })

/** An HTTP server on 127.0.0.1 answering each request with `script`; closed (connections dropped) with the scope. */
export const echoServer = (
  script: (seen: Seen) => Answer
): Effect.Effect<{ readonly origin: string; readonly seen: Array<Seen> }, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ readonly origin: string; readonly seen: Array<Seen>; readonly server: Http.Server }>((resume) => {
      const seen: Array<Seen> = []
      const server = Http.createServer((request, response) => {
        const chunks: Array<Buffer> = []
        request.on("data", (chunk: Buffer) => chunks.push(chunk))
        request.on("end", () => {
          const entry: Seen = {
            method: request.method ?? "",
            url: request.url ?? "",
            headers: request.headers,
            body: Buffer.concat(chunks).toString("utf8")
          }
          seen.push(entry)
          const answer = script(entry)
          switch (answer._tag) {
            case "Reply": {
              response.writeHead(answer.status, answer.headers)
              response.end(answer.body)
              return
            }
            case "Reset": {
              response.writeHead(200, { "content-type": "application/json", "content-length": "100000" })
              response.write(answer.partial, () => response.socket?.destroy())
              return
            }
            case "Hang":
              return
          }
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as Net.AddressInfo
        resume(Effect.succeed({ origin: `http://127.0.0.1:${port}`, seen, server }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

/** A loopback port nothing listens on (bound, then closed): connecting is refused. */
export const closedPort: Effect.Effect<number> = Effect.async<number>((resume) => {
  const server = Http.createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as Net.AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})
