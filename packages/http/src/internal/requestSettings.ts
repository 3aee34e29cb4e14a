/**
 * What the live client's requests run with over any `HttpClient`, set on the caller's fiber for one attempt and put
 * back after it: no trace headers sent to Chatwoot, the token and every unknown response header redacted in the HTTP
 * client's span, no redirects followed by fetch, the operation's span as the parent, and the attempt's Scope.
 *
 * @internal
 */
import * as Wire from "@chatwoot-effect/contract/Wire"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as FiberRefs from "effect/FiberRefs"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Tracer from "effect/Tracer"

// fetch follows redirects itself, carrying every header but `authorization` (so our token) and the body to any host.
// The operation's span, when there is one, is the parent of the HTTP client's span.
// The Scope is the attempt's own: closing it aborts the request (see `HttpClient.withScope`).
const requestContext = (span: Tracer.Span | undefined, scope: Scope.Scope) =>
(
  context: Context.Context<never>
): Context.Context<never> => {
  const init = Context.getOption(context, FetchHttpClient.RequestInit)
  const withInit = Context.add(context, FetchHttpClient.RequestInit, {
    ...Option.getOrElse(init, () => ({})),
    redirect: "manual"
  }).pipe(Context.add(Scope.Scope, scope))
  return span === undefined ? withInit : Context.add(withInit, Tracer.ParentSpan, span)
}

// What our requests run with, on the fiber that sends them (which need not be the one that built the layer): no trace
// headers sent to Chatwoot, the token and every unknown response header redacted in the HTTP client's span (no such
// span under Effect's default tracer), no redirects followed by fetch, the operation's span as the parent, and the
// attempt's Scope. Set on the caller's fiber
// for the attempt and put back after it: two `locally`s and a fork per attempt were most of what the layer cost over
// the HTTP client.
/** @internal */
export const withRequestSettings = <A, E>(
  span: Tracer.Span | undefined,
  scope: Scope.Scope,
  effect: Effect.Effect<A, E, Scope.Scope>,
  onExit: (exit: Exit.Exit<A, E>) => Effect.Effect<void>
): Effect.Effect<A, E> =>
  Effect.withFiberRuntime((fiber) => {
    const id = fiber.id()
    const propagation = fiber.getFiberRef(HttpClient.currentTracerPropagation)
    const names = fiber.getFiberRef(Headers.currentRedactedNames)
    const context = fiber.getFiberRef(FiberRef.currentContext)
    const disabledWhen = fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)
    // The Scope the effect needs is in the context set here.
    const run = effect as Effect.Effect<A, E>
    const settings = (values: Settings) =>
      FiberRefs.updateManyAs(fiber.getFiberRefs(), {
        entries: [
          [HttpClient.currentTracerPropagation, [[id, values[0]]]],
          [Headers.currentRedactedNames, [[id, values[1]]]],
          [FiberRef.currentContext, [[id, values[2]]]],
          [HttpClient.currentTracerDisabledWhen, [[id, values[3]]]]
        ]
      })
    // No span of the operation: Effect's default tracer is in place, whose spans go nowhere, so the HTTP client's span
    // (its attributes, the redaction of every header) would be work for nobody.
    const ours: Settings = [
      false,
      Wire.redactedForOurRequests(names),
      requestContext(span, scope)(context),
      span === undefined ? always : disabledWhen
    ]
    const theirs: Settings = [propagation, names, context, disabledWhen]
    const setter = fiber as unknown as Partial<FiberRefsSetter>
    if (typeof setter.setFiberRefs !== "function") {
      // Not the FiberRuntime this was written against: the same settings through the public, slower API.
      const set = (values: Settings) =>
        Effect.all([
          FiberRef.set(HttpClient.currentTracerPropagation, values[0]),
          FiberRef.set(Headers.currentRedactedNames, values[1]),
          FiberRef.set(FiberRef.currentContext, values[2]),
          FiberRef.set(HttpClient.currentTracerDisabledWhen, values[3])
        ], { discard: true })
      return Effect.zipRight(set(ours), Effect.onExit(run, (exit) => Effect.zipRight(set(theirs), onExit(exit))))
    }
    // All four in one copy of the fiber's refs each way (each `FiberRef.set` copies them all), and put back on top of
    // whatever else changed meanwhile (an interruption is recorded in a fiber ref too).
    setter.setFiberRefs(settings(ours))
    return Effect.onExit(run, (exit) => {
      setter.setFiberRefs!(settings(theirs))
      return onExit(exit)
    })
  })

type Settings = readonly [
  propagation: boolean,
  redactedNames: ReadonlyArray<string | RegExp>,
  context: Context.Context<never>,
  tracerDisabledWhen: (request: HttpClientRequest.HttpClientRequest) => boolean
]

const always = () => true

// A FiberRuntime sets its refs in one step (Effect's `setFiberRefs` sets them one by one).
interface FiberRefsSetter {
  readonly setFiberRefs: (fiberRefs: FiberRefs.FiberRefs) => void
}
