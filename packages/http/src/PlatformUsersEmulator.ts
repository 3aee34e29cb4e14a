/**
 * An emulator of Chatwoot's Platform API users endpoints: the in-memory server of `PlatformUsersMemory` behind
 * Chatwoot's routing, authentication, error bodies and (optionally) rate limit, served over HTTP or answered
 * in-process through a mock `HttpClient`.
 *
 * @since 0.1.0
 */
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Headers from "@effect/platform/Headers"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import * as EmulatorApp from "./internal/emulatorApp.js"

/**
 * @since 0.1.0
 * @category Models
 */
export interface EmulatorOptions {
  /** Platform app tokens accepted (one app each). With none and no seed, one app gets a random token. */
  readonly platformTokens?: ReadonlyArray<string> | undefined
  /** Chatwoot's `FRONTEND_URL`, the prefix of login links (none: links start with `/app/login`). */
  readonly frontendUrl?: string | undefined
  /** Apps and users to start with (`docs/seed.md`). */
  readonly seed?: PlatformUsersMemory.Seed | undefined
  /** Requests allowed per minute (a fixed window, like Rack::Attack); off when absent. */
  readonly rateLimit?: number | undefined
  /** Count the rate limit per client IP (Chatwoot's `req/ip` throttle, the default) or for all clients together. */
  readonly rateLimitBy?: "ip" | "global" | undefined
  /** The flags a new account starts with; by default the 26 of `PlatformRules.defaultFeatures`. */
  readonly defaultFeatures?: ReadonlyArray<string> | undefined
  /** What a blank account `support_email` shows; default `"Chatwoot <accounts@chatwoot.com>"`, `null` for none. */
  readonly supportEmailFallback?: string | null | undefined
  /** Enterprise mode (`limits` keys validated); default `true`. */
  readonly eeMode?: boolean | undefined
  /** `"deferred"`: account deletes wait for `memory.runPendingAccountDeletes`, like Chatwoot's job. */
  readonly accountDelete?: "immediate" | "deferred" | undefined
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface Emulator {
  /** The request handler. */
  readonly app: HttpApp.Default
  /** The platform app tokens accepted when the emulator was made. */
  readonly tokens: ReadonlyArray<string>
  /** The in-memory server behind it, to seed and inspect. */
  readonly memory: PlatformUsersMemory.Handle
}

/**
 * The emulator could not listen. `reason` names the usual causes.
 *
 * @since 0.1.0
 * @category Errors
 */
export class EmulatorError extends Schema.TaggedError<EmulatorError>("@chatwoot-effect/http/EmulatorError")(
  "EmulatorError",
  {
    reason: Schema.Literal("AddressInUse", "PermissionDenied", "AddressNotAvailable", "Other"),
    host: Schema.String,
    port: Schema.Number,
    detail: Schema.String
  }
) {
  get message(): string {
    const where = `${this.host}:${this.port}`
    switch (this.reason) {
      case "AddressInUse":
        return `cannot listen on ${where}: the port is already in use (pick another with --port, or 0 for any)`
      case "PermissionDenied":
        return `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`
      case "AddressNotAvailable":
        return `cannot listen on ${where}: the address is not available on this machine`
      case "Other":
        return `cannot listen on ${where}: ${this.detail}`
    }
  }
}

/**
 * Builds the emulator: its in-memory server and the handler.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: EmulatorOptions): Effect.Effect<Emulator, never, Scope.Scope> =>
  Effect.gen(function*() {
    const memory = yield* PlatformUsersMemory.make({
      seed: options.seed,
      frontendUrl: options.frontendUrl,
      platformTokens: options.platformTokens,
      defaultFeatures: options.defaultFeatures,
      supportEmailFallback: options.supportEmailFallback,
      eeMode: options.eeMode,
      accountDelete: options.accountDelete
    })
    const rateLimit = options.rateLimit !== undefined && options.rateLimit > 0
      ? yield* EmulatorApp.makeRateLimiter(options.rateLimit)
      : undefined
    const apps = yield* memory.apps
    return {
      app: EmulatorApp.makeApp({ memory, rateLimit, rateLimitBy: options.rateLimitBy ?? "ip" }),
      tokens: apps.map((app) => Redacted.value(app.token)),
      memory
    }
  })

const errorCode = (cause: unknown): string | undefined =>
  typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string"
    ? cause.code
    : undefined

// Either spelling Rack accepts: the server's spans record request headers, and this one is a platform token.
const tokenHeaderNames = /^api[-_]access[-_]token$/i

const hostForUrl = (host: string) => host.includes(":") ? `[${host}]` : host

/**
 * Makes the emulator and serves it over HTTP until the scope closes. `port: 0` picks a free port; the answer's `url`
 * carries the real one (e.g. `http://127.0.0.1:54321`).
 *
 * @since 0.1.0
 * @category Constructors
 */
export const serve = (
  options: EmulatorOptions & {
    /** Default `127.0.0.1`. */
    readonly host?: string | undefined
    /** Default `3000`; `0` for any free port. */
    readonly port?: number | undefined
  }
): Effect.Effect<{ readonly url: string; readonly emulator: Emulator }, EmulatorError, Scope.Scope> =>
  Effect.gen(function*() {
    const host = options.host ?? "127.0.0.1"
    const port = options.port ?? 3000
    const emulator = yield* make(options)
    const server = yield* NodeHttpServer.make(() => Http.createServer(), { host, port }).pipe(
      Effect.mapError((error) => {
        const code = errorCode(error.cause)
        return new EmulatorError({
          reason: code === "EADDRINUSE"
            ? "AddressInUse"
            : code === "EACCES"
            ? "PermissionDenied"
            : code === "EADDRNOTAVAIL" || code === "ENOTFOUND"
            ? "AddressNotAvailable"
            : "Other",
          host,
          port,
          detail: error.cause instanceof Error ? error.cause.message : String(error.cause)
        })
      })
    )
    // Handlers inherit the serving fiber's refs: from here on the token header is `<redacted>` in server spans.
    yield* server.serve(emulator.app).pipe(
      Effect.locallyWith(Headers.currentRedactedNames, (names) => [...names, tokenHeaderNames])
    )
    const address = server.address
    const url = address._tag === "TcpAddress"
      ? `http://${hostForUrl(address.hostname)}:${address.port}`
      : `http://unix:${address.path}`
    return { url, emulator }
  })

/**
 * An `HttpClient` answered in-process by the emulator's handler (no socket): give it to `PlatformUsersHttp.layerWithHttpClient`
 * to run the whole wire path in a test. Any base URL works; only the path, query, headers and body matter.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerHttpClient = (emulator: Emulator): Layer.Layer<HttpClient.HttpClient> =>
  Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request, url) =>
      Effect.gen(function*() {
        const body = request.body
        const bytes = body._tag === "Uint8Array"
          ? body.body
          : body._tag === "Raw" && typeof body.body === "string"
          ? new TextEncoder().encode(body.body)
          : undefined
        const headers = new globalThis.Headers()
        for (const [name, value] of Object.entries(request.headers)) {
          if (name !== "content-length") headers.set(name, value)
        }
        const withBody = bytes !== undefined && request.method !== "GET" && request.method !== "HEAD"
        const webRequest = yield* Effect.try({
          try: () =>
            new Request(url, {
              method: request.method,
              headers,
              ...(withBody ? { body: bytes as Uint8Array<ArrayBuffer> } : {})
            }),
          catch: (cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })
        })
        const response = yield* emulator.app.pipe(
          Effect.provideService(HttpServerRequest.HttpServerRequest, HttpServerRequest.fromWeb(webRequest))
        )
        return HttpClientResponse.fromWeb(request, HttpServerResponse.toWeb(response))
      })
    )
  )
