/**
 * A lean `HttpClient` on undici, made for Chatwoot's answers: small JSON bodies with a `Content-Length`.
 *
 * `NodeHttpClient.layerUndici` pays, per request, for an `AbortController`, an `http.client` span (URL serialisation,
 * every header redacted and recorded) and a stream to read the body once it is asked for. This client drives undici's
 * dispatcher directly: one callback handler per request (undici hands the handler its own abort function), the whole
 * body read as it arrives, up to `maxBodyBytes`, in the same asynchronous step as the headers, and the headers
 * converted at most once. It records no span of its own (the `<Service>.<operation>` span of `PlatformHttp` covers the
 * call) and sends no trace headers.
 *
 * Behaviour: redirects are never followed (a 3xx is returned as it is); a body longer than `maxBodyBytes` (announced
 * or received) is not read further, the connection is let go, and reading that response's body fails with an
 * `HttpClientError` whose reason is a `DecodeError` with a {@link BodyTooLarge} cause; a connection error before the
 * answer fails `execute` with a `TransportError` reason, one during the body fails the body's reads with a
 * `DecodeError` reason. Interrupting `execute` aborts the request.
 *
 * `PlatformHttp.layer` and `PlatformUsersHttp.layer` run on it; their `layerWithHttpClient` work over any `HttpClient`.
 *
 * @since 1.0.0
 */
import * as Wire from "@chatwoot-effect/contract/Wire"
import * as Effect from "effect/Effect"
import * as Cookies from "effect/http/Cookies"
import * as Headers from "effect/http/Headers"
import type * as HttpBody from "effect/http/HttpBody"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as HttpIncomingMessage from "effect/http/HttpIncomingMessage"
import * as Url from "effect/http/Url"
import * as UrlParams from "effect/http/UrlParams"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import type * as Socket from "effect/socket/Socket"
import * as Stream from "effect/Stream"
import { Readable } from "node:stream"
import type { Dispatcher } from "undici"
import * as Internal from "./internal/leanClient.js"

/**
 * @since 1.0.0
 * @category Models
 */
export interface Options {
  /** The longest body read; reading a longer one fails with {@link BodyTooLarge}. Default 4 MiB. */
  readonly maxBodyBytes?: number | undefined
}

/**
 * @since 1.0.0
 * @category Constants
 */
export const defaultMaxBodyBytes: number = Wire.maxResponseBytes

/**
 * The `cause` of the `DecodeError` of a body longer than the client's `maxBodyBytes`: reading stopped there.
 *
 * @since 1.0.0
 * @category Errors
 */
export const BodyTooLarge: typeof Internal.BodyTooLarge = Internal.BodyTooLarge

/**
 * @since 1.0.0
 * @category Errors
 */
export type BodyTooLarge = Internal.BodyTooLarge

const emptyBody = new Uint8Array(0)
const utf8 = new TextDecoder()

// What the body of a response came to: its bytes, or why there are none.
type BodyResult = Result.Result<Uint8Array, unknown>

class ChatwootResponse extends Inspectable.Class implements Internal.LeanResponse {
  readonly [HttpIncomingMessage.TypeId]: typeof HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: typeof HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private cachedHeaders: Headers.Headers | undefined
  private cachedText: Effect.Effect<string, HttpClientError.HttpClientError> | undefined
  private decodedText: string | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly url: string,
    readonly status: number,
    private readonly rawHeaders: Record<string, string>,
    private readonly body: BodyResult
  ) {
    super()
  }

  pipe(...args: Array<unknown>) {
    return pipeArguments(this, args as unknown as IArguments)
  }

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromRecordUnsafe(this.rawHeaders)
  }

  get cookies(): Cookies.Cookies {
    const header = this.rawHeaders["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(header.split("\n"))
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private decodeError(cause: unknown): HttpClientError.HttpClientError {
    return new HttpClientError.HttpClientError({
      reason: new HttpClientError.DecodeError({ request: this.request, response: this, cause })
    })
  }

  private get bytes(): Effect.Effect<Uint8Array, HttpClientError.HttpClientError> {
    return Result.isSuccess(this.body)
      ? Effect.succeed(this.body.success)
      : Effect.fail(this.decodeError(this.body.failure))
  }

  get text(): Effect.Effect<string, HttpClientError.HttpClientError> {
    return this.cachedText ??= Result.isSuccess(this.body)
      ? Effect.succeed(this.decodedText ??= utf8.decode(this.body.success))
      : Effect.fail(this.decodeError(this.body.failure))
  }

  [Internal.bodyText](): Result.Result<string, HttpClientError.HttpClientError> {
    return Result.isSuccess(this.body)
      ? Result.succeed(this.decodedText ??= utf8.decode(this.body.success))
      : Result.fail(this.decodeError(this.body.failure))
  }

  [Internal.rawHeader](name: string): string | undefined {
    return this.rawHeaders[name]
  }

  get json(): Effect.Effect<Schema.Json, HttpClientError.HttpClientError> {
    return Effect.flatMap(this.text, (text) => {
      try {
        return Effect.succeed(text === "" ? null : JSON.parse(text) as Schema.Json)
      } catch (cause) {
        return Effect.fail(this.decodeError(cause))
      }
    })
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.HttpClientError> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.HttpClientError> {
    // A copy: the bytes may be a view into a larger buffer (`Buffer#slice` would not copy).
    return Effect.map(this.bytes, (bytes) => Uint8Array.prototype.slice.call(bytes).buffer as ArrayBuffer)
  }

  get formData(): Effect.Effect<FormData, HttpClientError.HttpClientError> {
    return Effect.flatMap(this.bytes, (bytes) =>
      Effect.tryPromise({
        try: () => {
          const contentType = this.rawHeaders["content-type"]
          const init: ResponseInit = contentType === undefined ? {} : { headers: { "content-type": contentType } }
          return new Response(bytes as Uint8Array<ArrayBuffer>, init).formData()
        },
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get upgrade(): Effect.Effect<Socket.Socket, HttpClientError.HttpClientError> {
    return Effect.fail(
      new HttpClientError.HttpClientError({
        reason: new HttpClientError.StatusCodeError({
          request: this.request,
          response: this,
          description: "the Chatwoot client does not hand over the connection of an HTTP upgrade"
        })
      })
    )
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.HttpClientError> {
    return Result.isSuccess(this.body)
      ? (this.body.success.length === 0 ? Stream.empty : Stream.succeed(this.body.success))
      : Stream.fail(this.decodeError(this.body.failure))
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

type DispatchBody = Exclude<Dispatcher.DispatchOptions["body"], undefined>

const encodeError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.HttpClientError({ reason: new HttpClientError.EncodeError({ request, cause }) })

// Bodies other than bytes and strings, through a web `ReadableStream`. A form is encoded by a web `Response`, which
// gives its multipart boundary in the content type that goes with it.
const otherBody = (
  request: HttpClientRequest.HttpClientRequest,
  body: HttpBody.FormData | HttpBody.Stream
): Effect.Effect<readonly [DispatchBody, Record<string, string>], HttpClientError.HttpClientError> => {
  if (body._tag === "Stream") {
    return Effect.map(
      Effect.mapError(Stream.toReadableStreamEffect(body.stream), (cause) => encodeError(request, cause)),
      (web) => [Readable.fromWeb(web as any) as DispatchBody, request.headers] as const
    )
  }
  return Effect.sync(() => {
    const encoded = new Response(body.formData)
    const contentType = encoded.headers.get("content-type")
    return [
      Readable.fromWeb(encoded.body as any) as DispatchBody,
      contentType === null ? request.headers : { ...request.headers, "content-type": contentType }
    ] as const
  })
}

/**
 * The client over an undici dispatcher (an `Agent`, a `Pool`...).
 *
 * @since 1.0.0
 * @category Constructors
 */
export const make = (dispatcher: Dispatcher, options: Options = {}): HttpClient.HttpClient =>
  makeOn(() => dispatcher, Effect.succeed(dispatcher), options)

// `current()` is the dispatcher once there is one; until then each request waits for `load`.
const makeOn = (
  current: () => Dispatcher | undefined,
  load: Effect.Effect<Dispatcher>,
  options: Options
): HttpClient.HttpClient => {
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes
  const execute = <E>(
    request: HttpClientRequest.HttpClientRequest,
    timeoutMillis: number | undefined
  ): Effect.Effect<Internal.LeanResponse, HttpClientError.HttpClientError | E> => {
    const url = Url.make(request.url, request.urlParams, Option.getOrUndefined(request.hash))
    if (Result.isFailure(url)) {
      return Effect.fail(
        new HttpClientError.HttpClientError({
          reason: new HttpClientError.InvalidUrlError({ request, cause: url.failure })
        })
      )
    }
    const send = (body: DispatchBody, headers: Record<string, string>) => {
      const dispatcher = current()
      return dispatcher !== undefined
        ? exchange<E>(dispatcher, request, url.success, body, headers, timeoutMillis)
        : Effect.flatMap(load, (loaded) => exchange<E>(loaded, request, url.success, body, headers, timeoutMillis))
    }
    // Bytes and strings (JSON bodies among them) go as they are, without a step through Effect.
    const body = request.body
    return body._tag === "Uint8Array" || body._tag === "Raw"
      ? send(body.body as DispatchBody, request.headers)
      : body._tag === "Empty"
      ? send(null, request.headers)
      : Effect.flatMap(otherBody(request, body), ([body, headers]) => send(body, headers))
  }
  const client = HttpClient.makeWith(
    (effect) => Effect.flatMap(effect, (request) => execute<never>(request, undefined)),
    Effect.succeed as HttpClient.HttpClient.Preprocess<never, never>
  )
  // `PlatformHttp` times each attempt out through this when it is given the client as it is.
  const within: Internal.LeanClient[typeof Internal.executeWithin] = (request, timeoutMillis) =>
    execute<Internal.TimedOut>(request, timeoutMillis)
  Object.defineProperty(client, Internal.executeWithin, { value: within })
  return client

  function exchange<E>(
    dispatcher: Dispatcher,
    request: HttpClientRequest.HttpClientRequest,
    url: URL,
    body: DispatchBody,
    requestHeaders: Record<string, string>,
    timeoutMillis: number | undefined
  ): Effect.Effect<Internal.LeanResponse, HttpClientError.HttpClientError | E> {
    return Effect.callback((resume) => {
      const handler = new Exchange(request, url, maxBodyBytes, resume)
      try {
        dispatcher.dispatch({
          origin: url.origin,
          path: url.pathname + url.search,
          method: request.method as Dispatcher.HttpMethod,
          headers: requestHeaders,
          body
        }, handler)
      } catch (error) {
        handler.done = true
        return resume(Effect.fail(transportError(request, error)))
      }
      if (timeoutMillis !== undefined) {
        handler.timer = setTimeout(() => {
          if (handler.done) return
          handler.done = true
          handler.interrupted = true
          handler.abort?.(new Error("timed out"))
          resume(Effect.fail(new Internal.TimedOut() as E))
        }, timeoutMillis)
      }
      return Effect.sync(() => handler.interrupt())
    })
  }
}

const transportError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })

// One request's handler: its state in fields and its callbacks on the prototype (no closures per request).
class Exchange implements Dispatcher.DispatchHandler {
  abort: ((reason?: Error) => void) | undefined = undefined
  // Interrupted or timed out: the request is aborted as soon as undici hands over its abort function.
  interrupted = false
  done = false
  timer: ReturnType<typeof setTimeout> | undefined = undefined
  status = 0
  headers: Record<string, string> = {}
  chunks: Array<Buffer> = []
  total = 0

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly url: URL,
    readonly maxBodyBytes: number,
    readonly resume: (effect: Effect.Effect<Internal.LeanResponse, any>) => void
  ) {}

  respond(result: BodyResult): void {
    if (this.done) return
    this.done = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    const url = this.url.hash === "" ? this.url.href : this.url.href.slice(0, -this.url.hash.length)
    this.resume(Effect.succeed(new ChatwootResponse(this.request, url, this.status, this.headers, result)))
  }

  tooLarge(): false {
    this.chunks = []
    this.respond(Result.fail(new BodyTooLarge(this.maxBodyBytes)))
    this.abort?.(new BodyTooLarge(this.maxBodyBytes))
    return false
  }

  interrupt(): void {
    this.interrupted = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    if (!this.done) this.abort?.(new Error("interrupted"))
  }

  onConnect(abortRequest: (reason?: Error) => void): void {
    if (this.interrupted) return abortRequest(new Error("interrupted"))
    this.abort = abortRequest
  }

  onHeaders(statusCode: number, rawHeaders: Array<Buffer>): boolean {
    this.status = statusCode
    this.headers = Wire.headerRecord(rawHeaders)
    // A HEAD answer announces the length of a body it does not have.
    const declared = this.request.method === "HEAD" ? 0 : Number(this.headers["content-length"])
    return declared > this.maxBodyBytes ? this.tooLarge() : true
  }

  onData(chunk: Buffer): boolean {
    if (this.done) return false
    this.total += chunk.length
    if (this.total > this.maxBodyBytes) return this.tooLarge()
    this.chunks.push(chunk)
    return true
  }

  onComplete(): void {
    const chunks = this.chunks
    this.respond(Result.succeed(
      chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? emptyBody : Buffer.concat(chunks, this.total)
    ))
  }

  onError(error: Error): void {
    if (this.done || this.interrupted) return
    // Once the status line is in, the answer exists: only its body failed.
    if (this.status !== 0) return this.respond(Result.fail(error))
    this.done = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.resume(Effect.fail(transportError(this.request, error)))
  }
}

/**
 * The client on a keep-alive undici `Agent` of its own, closed with the layer. undici is loaded, and the `Agent`
 * made, at the first request: a program that sends none (`--help`, a usage error) never pays for loading it.
 *
 * @since 1.0.0
 * @category Layers
 */
export const layerUndiciWith = (options: Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.gen(function*() {
      let agent: Dispatcher | undefined
      yield* Effect.addFinalizer(() => agent === undefined ? Effect.void : Effect.promise(() => agent!.destroy()))
      const load = yield* Effect.cached(
        Effect.map(Effect.promise(() => import("undici")), (undici) => agent ??= new undici.Agent())
      )
      return makeOn(() => agent, load, options)
    })
  )

/**
 * {@link layerUndiciWith} with the defaults (bodies of at most 4 MiB).
 *
 * @since 1.0.0
 * @category Layers
 */
export const layerUndici: Layer.Layer<HttpClient.HttpClient> = layerUndiciWith({})
