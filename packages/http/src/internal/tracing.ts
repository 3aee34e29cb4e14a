/**
 * The span of each call: `<Service>.<operation>` (`PlatformUsers.update`, `PlatformAccounts.create`...), with the
 * operation and the record's id as attributes.
 *
 * Over the platform's clients it is the parent of their `http.client` span. Over the lean client nothing inside starts
 * a span or logs, and making it the current span (a context change each way) cost about a quarter of the CPU of a
 * call: it is only recorded on the typed error, as `Effect.fail` would have (the failures inside fail plainly). With
 * Effect's default tracer, whose spans go nowhere, a call that succeeds makes none: only a failure does, for its error
 * (what `Cause.pretty` shows).
 *
 * @internal
 */
import * as Routes from "@chatwoot-effect/contract/Routes"
import type * as PlatformWire from "@chatwoot-effect/core/PlatformWire"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Effect from "effect/Effect"
import * as Tracer from "effect/Tracer"

// Effect's own tracer, in place unless the program installs one: its spans are recorded nowhere.
const defaultTracer: Tracer.Tracer = Effect.runSync(Effect.tracer)

// The operation's span records the typed error, as `Effect.fail` inside it would have.
const failInSpan = <E>(span: Tracer.Span, error: E): Effect.Effect<never, E> =>
  Effect.withParentSpan(Effect.fail(error), span)

const spanOptions = (route: PlatformWire.AnyRoute, id: number | undefined): Tracer.SpanOptions => ({
  kind: "client",
  // The call site is always this package: capturing a stack per request bought nothing and cost an Error.
  captureStackTrace: false,
  attributes: Routes.spanAttributes(route, id)
})

/**
 * Runs `body` in the call's span (see the module's notes); `body` gets the fiber's clock, which decides how attempts
 * are timed out.
 *
 * @internal
 */
export const traced = <A, E>(
  route: PlatformWire.AnyRoute,
  id: number | undefined,
  body: (span: Tracer.Span | undefined, clock: Clock.Clock) => Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  // The tracer and the clock in one read of the fiber's default services.
  Effect.withFiberRuntime((fiber) => {
    const services = fiber.getFiberRef(DefaultServices.currentServices)
    const clock = Context.get(services, Clock.Clock)
    const name = Routes.spanName(route)
    if (Context.get(services, Tracer.Tracer) === defaultTracer) {
      return Effect.catchAll(
        body(undefined, clock),
        (error) => Effect.useSpan(name, spanOptions(route, id), (span) => failInSpan(span, error))
      )
    }
    return Effect.useSpan(
      name,
      spanOptions(route, id),
      (span) => Effect.catchAll(body(span, clock), (error) => failInSpan(span, error))
    )
  })
