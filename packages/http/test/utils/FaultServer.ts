/**
 * A fault-injecting HTTP server on a real loopback socket (node:http on 127.0.0.1, port 0) for the live client's
 * fault tests: each request is answered by a script, which can reply normally or misbehave on the wire (reset the
 * connection mid-response, hang, trickle the body, stream a huge body, redirect elsewhere...). It records every
 * request it saw and closes with the test's scope, dropping any connection still open.
 *
 * Also the harness of those tests: `run` calls the live client (`PlatformUsersHttp.layer`) over a real HttpClient
 * (undici or fetch) against such a server, bounded in time; `expectFailure` checks that the outcome is a typed
 * failure (never a defect or an interruption) with no secret in any rendering of the error.
 */
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as ChatwootHttpClient from "@chatwoot-effect/http/ChatwootHttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { assert } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type * as Net from "node:net"
import * as NodeUtil from "node:util"
import { Agent } from "undici"
import * as PlatformUsersHttp from "../../src/PlatformUsersHttp.js"
import { TOKEN } from "./FakeTransport.js"

export { TOKEN }

export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

export type Fault =
  /** A complete answer. */
  | {
    readonly _tag: "Reply"
    readonly status: number
    readonly headers?: Readonly<Record<string, string>> | undefined
    readonly body?: string | undefined
  }
  /** Sends the status line, the headers and `partial`, then destroys the socket. */
  | {
    readonly _tag: "Reset"
    readonly status: number
    readonly headers?: Readonly<Record<string, string>> | undefined
    readonly partial: string
  }
  /** Destroys the socket before any byte of answer. */
  | { readonly _tag: "Drop" }
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | { readonly _tag: "Hang" }
  /** Sends the headers at once, then the body `chunkBytes` at a time, one chunk every `everyMillis`. */
  | {
    readonly _tag: "Trickle"
    readonly status: number
    readonly headers?: Readonly<Record<string, string>> | undefined
    readonly body: string
    readonly chunkBytes: number
    readonly everyMillis: number
  }
  /** Streams `bytes` bytes of JSON-looking body, honouring back-pressure; `Content-Length` only if `declareLength`. */
  | {
    readonly _tag: "Huge"
    readonly status: number
    readonly bytes: number
    readonly declareLength: boolean
  }

export type Script = (seen: Seen, index: number) => Fault

export interface FaultServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  readonly port: number
  /** Every request received, in order (recorded once its body was read). */
  readonly seen: ReadonlyArray<Seen>
  /** Body bytes handed to the socket by `Huge` answers (what the kernel accepted), over all requests. */
  readonly bytesSent: () => number
  /** How many answers were cut short because the client went away first. */
  readonly clientAborts: () => number
}

export const reply = (
  status: number,
  body = "",
  headers: Readonly<Record<string, string>> = {}
): Fault => ({ _tag: "Reply", status, body, headers })

export const json = (status: number, body: string, headers: Readonly<Record<string, string>> = {}): Fault =>
  reply(status, body, { "content-type": "application/json; charset=utf-8", ...headers })

export const html = (status: number, body: string, headers: Readonly<Record<string, string>> = {}): Fault =>
  reply(status, body, { "content-type": "text/html", ...headers })

/** The error page nginx serves when its upstream fails. */
export const nginxPage = (status: number, title: string): string =>
  `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1>` +
  `</center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n`

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(
    /'/g,
    "&#39;"
  )

/** The request as a debugging proxy prints it: the body first, then the request line and every header. */
export const requestText = (seen: Seen): string =>
  `${seen.body}\n\n${seen.method} ${seen.url}\n${
    Object.entries(seen.headers).map(([name, value]) => `${name}: ${String(value)}`).join("\n")
  }`

/**
 * A debugging proxy's error page that echoes the request back (the body, the token header among the others) in
 * three forms: raw, HTML-escaped and as a JSON string.
 */
export const echoPage = (seen: Seen): string => {
  const request = requestText(seen)
  return `<html><body><h1>502 Bad Gateway</h1><p>upstream failed for:</p><pre>${escapeHtml(request)}</pre>` +
    `<!-- ${request} --><script>var request = ${JSON.stringify(request)}</script></body></html>`
}

const answer = (fault: Fault, request: Http.IncomingMessage, response: Http.ServerResponse, counters: {
  bytesSent: number
  clientAborts: number
}) => {
  const socket = request.socket
  switch (fault._tag) {
    case "Reply": {
      response.writeHead(fault.status, { ...fault.headers })
      response.end(fault.body ?? "")
      return
    }
    case "Reset": {
      // A declared length larger than what is sent, so the client cannot take the cut for the end.
      response.writeHead(fault.status, {
        "content-length": String(Buffer.byteLength(fault.partial) + 1000),
        ...fault.headers
      })
      response.write(fault.partial, () => {
        // Let the bytes reach the client before the reset.
        setTimeout(() => socket.destroy(), 20)
      })
      return
    }
    case "Drop": {
      socket.destroy()
      return
    }
    case "Hang":
      return
    case "Trickle": {
      response.writeHead(fault.status, { ...fault.headers })
      response.flushHeaders()
      const bytes = Buffer.from(fault.body)
      let offset = 0
      const timer = setInterval(() => {
        if (response.destroyed) {
          clearInterval(timer)
          return
        }
        response.write(bytes.subarray(offset, offset + fault.chunkBytes))
        offset += fault.chunkBytes
        if (offset >= bytes.length) {
          clearInterval(timer)
          response.end()
        }
      }, fault.everyMillis)
      response.on("close", () => clearInterval(timer))
      return
    }
    case "Huge": {
      response.writeHead(fault.status, {
        "content-type": "application/json; charset=utf-8",
        ...(fault.declareLength ? { "content-length": String(fault.bytes) } : {})
      })
      const chunk = Buffer.alloc(64 * 1024, "x")
      const opening = Buffer.from("{\"id\":42,\"name\":\"")
      let sent = 0
      let finished = false
      const pump = () => {
        while (sent < fault.bytes && !response.destroyed) {
          const piece = sent === 0 ? opening : chunk.subarray(0, Math.min(chunk.length, fault.bytes - sent))
          sent += piece.length
          counters.bytesSent += piece.length
          if (!response.write(piece)) {
            response.once("drain", pump)
            return
          }
        }
        if (!response.destroyed) {
          finished = true
          response.end()
        }
      }
      response.on("close", () => {
        if (!finished) counters.clientAborts++
      })
      pump()
      return
    }
  }
}

/** Starts a server that answers request `index` with `script(seen, index)`; it closes with the scope. */
export const make = (script: Script): Effect.Effect<FaultServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Http.Server; readonly handle: FaultServer }>((resume) => {
      const seen: Array<Seen> = []
      const counters = { bytesSent: 0, clientAborts: 0 }
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
          const index = seen.length
          seen.push(entry)
          answer(script(entry, index), request, response, counters)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as Net.AddressInfo
        resume(Effect.succeed({
          server,
          handle: {
            origin: `http://127.0.0.1:${port}`,
            port,
            seen,
            bytesSent: () => counters.bytesSent,
            clientAborts: () => counters.clientAborts
          }
        }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ handle }) => handle))

/** An origin where nothing listens: a port taken from the system, then closed. */
export const closedOrigin: Effect.Effect<string> = Effect.async<string>((resume) => {
  const server = Http.createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as Net.AddressInfo
    server.close(() => resume(Effect.succeed(`http://127.0.0.1:${port}`)))
  })
})

// ============================================================================
// The live client against a FaultServer
// ============================================================================

/**
 * A valid password (Chatwoot's rules) made of characters that HTML, JSON and URL encodings all rewrite. Its core
 * `Pa55Vault` survives every encoding, so a test that looks for the core catches a leak in any of them.
 */
export const PASSWORD = "Kx7 <Pa55Vault>&\"q'"
export const PASSWORD_CORE = "Pa55Vault"
export const password = Redacted.make(PASSWORD)

/** `undici` is `NodeHttpClient.layerUndici`, `chatwoot` this package's lean `ChatwootHttpClient.layerUndici`. */
export type ClientKind = "undici" | "fetch" | "chatwoot"

export const clientKinds: ReadonlyArray<ClientKind> = ["undici", "fetch", "chatwoot"]

// FAULTS_UNDICI_IS_CHATWOOT=1 runs the whole suite with the lean client in place of NodeHttpClient.
const isChatwoot = (kind: ClientKind) =>
  kind === "chatwoot" || (kind === "undici" && process.env.FAULTS_UNDICI_IS_CHATWOOT === "1")

// The lean client as the live layer takes it (untransformed: the layer then times attempts out through the client's
// own timer), on an Agent that counts what it is asked to dispatch.
const countedChatwootClient = (onDispatch: () => void): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(
    HttpClient.HttpClient,
    Effect.map(
      Effect.acquireRelease(Effect.sync(() => new Agent()), (agent) => Effect.promise(() => agent.destroy())),
      (agent) =>
        ChatwootHttpClient.make(agent.compose((dispatch) => (options, handler) => {
          onDispatch()
          return dispatch(options, handler)
        }))
    )
  )

const clientLayer = (kind: ClientKind): Layer.Layer<HttpClient.HttpClient> =>
  kind === "undici" ? NodeHttpClient.layerUndici : FetchHttpClient.layer

/**
 * Live-clock settings: four attempts a few milliseconds apart. The per-attempt timeout is generous so that a slow,
 * loaded machine never turns a good answer into a timeout; the tests of timeouts set a small one themselves.
 */
export const fastOptions = {
  retry: { base: "5 millis", cap: "20 millis" },
  timeout: "5 seconds"
} as const

export interface RunOptions {
  readonly retry?: PlatformUsersHttp.RetryOptions | false | undefined
  readonly timeout?: Duration.DurationInput | false | undefined
  /** The test fails if the call has no outcome by then. */
  readonly guard?: Duration.DurationInput | undefined
}

export interface Outcome<A> {
  readonly exit: Exit.Exit<A, PlatformUsersError.PlatformUsersError>
  /** Requests the client handed to its HttpClient (counts attempts even when no server is there to see them). */
  readonly attempts: number
}

/**
 * Runs `call` on a fresh live service for `origin`, over a fresh HttpClient of `kind`; fails the test if it has no
 * outcome within `guard` (default 20 seconds).
 */
export const run = <A>(
  kind: ClientKind,
  origin: string,
  call: (users: PlatformUsers.Service) => Effect.Effect<A, PlatformUsersError.PlatformUsersError>,
  options: RunOptions = {}
): Effect.Effect<Outcome<A>> =>
  Effect.gen(function*() {
    let attempts = 0
    const counted = isChatwoot(kind)
    const live = PlatformUsersHttp.layerWithHttpClient({
      baseUrl: origin,
      apiAccessToken: Redacted.make(TOKEN),
      retry: "retry" in options ? options.retry : fastOptions.retry,
      timeout: "timeout" in options ? options.timeout : fastOptions.timeout,
      transformClient: counted ? undefined : HttpClient.tapRequest(() => Effect.sync(() => attempts++))
    }).pipe(Layer.provide(counted ? countedChatwootClient(() => attempts++) : clientLayer(kind)))
    const guard = Duration.decode(options.guard ?? "20 seconds")
    const exit = yield* PlatformUsers.PlatformUsers.pipe(
      Effect.flatMap(call),
      Effect.provide(live),
      Effect.exit,
      Effect.timeoutOption(guard)
    )
    if (Option.isNone(exit)) return assert.fail(`no outcome within ${Duration.format(guard)}: the client hangs`)
    return { exit: exit.value, attempts }
  })

/** Every rendering of an error a program could print or log. */
const renderings = (error: unknown, cause: Cause.Cause<unknown>): ReadonlyArray<string> => [
  String(error),
  JSON.stringify(error),
  (error as { readonly message?: unknown }).message as string,
  NodeUtil.inspect(error, { depth: 10 }),
  Cause.pretty(cause)
]

/** Neither the token nor the password (in any encoding) is in any rendering of the failure. */
export const assertNoSecrets = (error: unknown, cause: Cause.Cause<unknown>): void => {
  for (const text of renderings(error, cause)) {
    assert.notInclude(text, TOKEN)
    assert.notInclude(text, PASSWORD_CORE)
  }
}

/**
 * The exit is a plain typed failure (no defect, no interruption) with the given tag; returns the error after checking
 * that no secret is in it.
 */
export const expectFailure = <Tag extends PlatformUsersError.PlatformUsersError["_tag"]>(
  exit: Exit.Exit<unknown, PlatformUsersError.PlatformUsersError>,
  tag: Tag
): Extract<PlatformUsersError.PlatformUsersError, { readonly _tag: Tag }> => {
  if (Exit.isSuccess(exit)) return assert.fail(`expected a ${tag} failure, got a success`)
  const cause = exit.cause
  assert.isFalse(Cause.isDie(cause), `a defect: ${Cause.pretty(cause)}`)
  assert.isFalse(Cause.isInterrupted(cause), `an interruption: ${Cause.pretty(cause)}`)
  const error = Cause.failureOption(cause)
  if (Option.isNone(error)) return assert.fail(`no typed failure: ${Cause.pretty(cause)}`)
  assertNoSecrets(error.value, cause)
  assert.strictEqual(error.value._tag, tag, `expected ${tag}, got ${error.value._tag}: ${error.value.message}`)
  return error.value as Extract<PlatformUsersError.PlatformUsersError, { readonly _tag: Tag }>
}

export const expectSuccess = <A>(exit: Exit.Exit<A, PlatformUsersError.PlatformUsersError>): A => {
  if (Exit.isFailure(exit)) return assert.fail(`expected a success, got ${Cause.pretty(exit.cause)}`)
  return exit.value
}
