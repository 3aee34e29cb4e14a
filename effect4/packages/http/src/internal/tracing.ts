/**
 * The span of each call: `<Service>.<operation>` (`PlatformUsers.update`, `PlatformAccounts.create`...), with the
 * operation and the record's id as attributes.
 *
 * Over the platform's clients it is the parent of their `http.client` span. With Effect's default tracer in place
 * (a program that installs none), a call that succeeds makes no span: only a failure does, so that its error still
 * names the operation's span, under the caller's.
 *
 * @internal
 */
import * as Routes from "@chatwoot-effect/contract/Routes"
import type * as PlatformWire from "@chatwoot-effect/core/PlatformWire"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Tracer from "effect/Tracer"

// Effect's own tracer, in place unless the program installs one.
const defaultTracer: Tracer.Tracer = Tracer.Tracer.defaultValue()

const spanOptions = (route: PlatformWire.AnyRoute, id: number | undefined): Tracer.SpanOptions => ({
  kind: "client",
  // The call site is always this package: capturing a stack per request bought nothing.
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
  Effect.withFiber((fiber) => {
    const clock = fiber.getRef(Clock.Clock)
    const name = Routes.spanName(route)
    if (fiber.getRef(Tracer.Tracer) === defaultTracer) {
      return Effect.catch(
        body(undefined, clock),
        (error) => Effect.useSpan(name, spanOptions(route, id), () => Effect.fail(error))
      )
    }
    return Effect.useSpan(name, spanOptions(route, id), (span) => body(span, clock))
  })
