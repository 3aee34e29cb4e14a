// The emulator's request handler: Rails' routing, PlatformController's before_actions and Rack::Attack's throttle
// in front of the in-memory engine (BEHAVIOUR.md §2, §7, §9).
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import * as PlatformWire from "@chatwoot-effect/core/PlatformWire"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"

export type RateLimitBy = "ip" | "global"

/** A Rack::Attack-style fixed window: `limit` requests per minute per key, windows aligned on the epoch minute. */
interface Window {
  readonly window: number
  readonly counts: ReadonlyMap<string, number>
}

export const makeRateLimiter = (limit: number) =>
  Effect.map(
    Ref.make<Window>({ window: -1, counts: new Map() }),
    (ref) => (key: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const window = Math.floor(now / 60_000)
        return Ref.modify(ref, (state) => {
          const counts = new Map(state.window === window ? state.counts : [])
          const count = (counts.get(key) ?? 0) + 1
          counts.set(key, count)
          return [count <= limit, { window, counts }] as const
        })
      })
  )

const wire = (response: PlatformWire.WireResponse): HttpServerResponse.HttpServerResponse =>
  response.body === ""
    // An explicit length: Rails' `head` sends `Content-Length: 0`, not a chunked empty body.
    ? HttpServerResponse.empty({
      status: response.status,
      headers: response.contentType === undefined
        ? { "content-length": "0" }
        : { "content-type": response.contentType, "content-length": "0" }
    })
    : HttpServerResponse.text(response.body, {
      status: response.status,
      ...(response.contentType === undefined ? {} : { contentType: response.contentType })
    })

const failure = (value: PlatformWire.ServerFailure) => wire(PlatformWire.renderFailure(value))

/**
 * `request.headers[:HTTP_API_ACCESS_TOKEN]`: Rack folds case and turns hyphens into underscores. When both spellings
 * are sent, Puma keeps the hyphenated one.
 */
export const tokenFromHeaders = (headers: Readonly<Record<string, string | undefined>>): string | undefined => {
  let underscored: string | undefined
  let hyphenated: string | undefined
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    if (!PlatformWire.isTokenHeader(lower)) continue
    if (lower.includes("-")) hyphenated = value
    else underscored = value
  }
  return hyphenated ?? underscored
}

const jsonMediaTypes = new Set(["application/json", "text/x-json", "application/jsonrequest"])

/**
 * Whether the exception app would answer JSON: Rails takes the preferred type of `Accept`, and ignores a browser-like
 * header (one listing `*\/*` among others).
 */
export const acceptsJson = (accept: string | undefined): boolean => {
  if (accept === undefined || accept.trim() === "") return false
  if (/,\s*\*\/\*|\*\/\*\s*,/.test(accept)) return false
  const types = accept.split(",").map((part, index) => {
    const [type, ...params] = part.split(";").map((piece) => piece.trim().toLowerCase())
    const q = params.find((param) => param.startsWith("q="))
    return { type: type ?? "", q: q === undefined ? 1 : Number(q.slice(2)) || 0, index }
  })
  types.sort((a, b) => b.q - a.q || a.index - b.index)
  return jsonMediaTypes.has(types[0]?.type ?? "")
}

// The request target is origin-form (`/path?query`) on a socket; resolved against a base, a target starting with `//`
// would be read as a host (`//%2F` is then an invalid URL), so it is appended to an origin instead.
const requestUrl = (target: string): URL | undefined => {
  try {
    const base = "http://emulator.invalid"
    return target.startsWith("/") ? new URL(`${base}${target}`) : new URL(target, base)
  } catch {
    return undefined
  }
}

const route = (method: string, pathname: string) => {
  try {
    return PlatformWire.matchRoute(method, pathname)
  } catch {
    // A path segment that is not valid percent-encoding routes nowhere.
    return undefined
  }
}

export const makeApp = (options: {
  readonly memory: PlatformUsersMemory.Handle
  readonly rateLimit?: ((key: string) => Effect.Effect<boolean>) | undefined
  readonly rateLimitBy: RateLimitBy
}): HttpApp.Default =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    // Rack::Attack runs as middleware, before routing and before the controller.
    if (options.rateLimit !== undefined) {
      const key = options.rateLimitBy === "global" ? "*" : Option.getOrElse(request.remoteAddress, () => "unknown")
      if (!(yield* options.rateLimit(key))) return failure({ _tag: "RateLimited" })
    }
    const url = requestUrl(request.url)
    // The router comes first: an unknown path or a wrong verb is a 404 whatever the token.
    // Rails routes HEAD like GET (Node then sends no body).
    const matched = url === undefined
      ? undefined
      : route(request.method === "HEAD" ? "GET" : request.method, url.pathname)
    if (url === undefined || matched === undefined) return failure({ _tag: "NotFound" })
    const app = yield* Effect.either(options.memory.authenticate(tokenFromHeaders(request.headers)))
    if (Either.isLeft(app)) return failure(app.left)
    // Rails parses the body lazily, on the first `params` access: after the token check.
    const contentType = request.headers["content-type"]
    // A multipart body is read as bytes: an uploaded file's do not survive decoding as text.
    const bytes = /^\s*multipart\/form-data\b/i.test(contentType ?? "")
      ? yield* Effect.orElseSucceed(Effect.map(request.arrayBuffer, (buffer) => new Uint8Array(buffer)), () =>
        new Uint8Array())
      : undefined
    const body = bytes === undefined
      ? yield* Effect.orElseSucceed(request.text, () =>
        "")
      : ""
    const params = PlatformUsersMemory.requestParams({ contentType, body, search: url.search, bytes })
    if (Either.isLeft(params)) return failure({ _tag: "BadRequest", acceptJson: acceptsJson(request.headers.accept) })
    const { response } = matched.route
    const engineRequest = PlatformUsersMemory.requestOf(matched.route, matched.params, params.right)
    return yield* options.memory.run(app.right, engineRequest).pipe(
      Effect.match({
        onFailure: failure,
        onSuccess: (success) =>
          response === undefined
            // `head :ok` with the route's JSON format: a content type without charset, no body.
            ? wire({ status: 200, contentType: "application/json", body: "" })
            : wire({ status: 200, contentType: PlatformWire.railsJson, body: success.body })
      })
    )
  })
