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
        Wire.redactedForOurRequests(Context.get(context, Headers.CurrentRedactedNames))
      ),
      Context.add(
        HttpClient.TracerDisabledWhen,
        span === undefined ? always : Context.get(context, HttpClient.TracerDisabledWhen)
      )
    )
    if (span !== undefined) settled = Context.add(settled, Tracer.ParentSpan, span)
    return Context.add(settled, Scope.Scope, scope)
  })
