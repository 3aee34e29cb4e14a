/**
 * What the live client's requests run with over any `HttpClient`, for one attempt: no trace headers sent to
 * Chatwoot, the token and every unknown response header redacted in the HTTP client's span, no redirects followed
 * by fetch, the operation's span as the parent, and the attempt's Scope. All of it is one change of the attempt's
 * context (`Effect.updateContext`), read from the caller's fiber, so it holds whichever fiber sends the request.
 *
 * @internal
 */
import * as Wire from "@chatwoot-effect/contract/Wire"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Headers from "effect/http/Headers"
import * as HttpClient from "effect/http/HttpClient"
import * as Scope from "effect/Scope"
import * as Tracer from "effect/Tracer"

// Both spellings, whichever one is sent: a proxy may echo either back in a response header.
/** @internal */
export const appendTokenHeader = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> => [
  ...names,
  ...Wire.tokenHeaders.filter((name) => !names.includes(name))
]

// Response headers are the server's text: a proxy echoing the request can put the token or the password in any of
// them (even `location`). The HTTP spans of our requests show these headers' values, and `<redacted>` for the rest.
const shownHeaders = [
  "accept",
  "user-agent",
  "content-type",
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "date",
  "retry-after",
  "server",
  "via",
  "vary",
  "etag",
  "cache-control",
  "x-request-id",
  "x-runtime",
  "ratelimit-[a-z-]+",
  "x-ratelimit-[a-z-]+"
]
const unshownHeader = new RegExp(`^(?!(?:${shownHeaders.join("|")})$)`)

// The names in place are nearly always the same array from one call to the next: the answer is kept for it.
let redactedFor: ReadonlyArray<string | RegExp> | undefined
let redactedNames: ReadonlyArray<string | RegExp> = []
const redactForOurRequests = (names: ReadonlyArray<string | RegExp>) => {
  if (names !== redactedFor) {
    redactedNames = [...appendTokenHeader(names), unshownHeader]
    redactedFor = names
  }
  return redactedNames
}

const always = () => true

/**
 * `effect` with our settings (see the module's notes). Without a span of the operation, Effect's default tracer is
 * in place, whose spans go nowhere: the HTTP client's span is then turned off.
 *
 * @internal
 */
export const withRequestSettings = <A, E>(
  span: Tracer.Span | undefined,
  scope: Scope.Scope,
  effect: Effect.Effect<A, E, Scope.Scope>
): Effect.Effect<A, E> =>
  Effect.updateContext(effect, (context: Context.Context<never>) => {
    const init = Context.getOrUndefined(context, FetchHttpClient.RequestInit)
    let settled = Context.add(context, FetchHttpClient.RequestInit, { ...init, redirect: "manual" }).pipe(
      Context.add(HttpClient.TracerPropagationEnabled, false),
      Context.add(
        Headers.CurrentRedactedNames,
        redactForOurRequests(Context.get(context, Headers.CurrentRedactedNames))
      ),
      Context.add(
        HttpClient.TracerDisabledWhen,
        span === undefined ? always : Context.get(context, HttpClient.TracerDisabledWhen)
      )
    )
    if (span !== undefined) settled = Context.add(settled, Tracer.ParentSpan, span)
    return Context.add(settled, Scope.Scope, scope)
  })
