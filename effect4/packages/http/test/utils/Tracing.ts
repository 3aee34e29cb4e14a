/**
 * A tracer that keeps every span it starts (a fresh one per test).
 */
import * as Tracer from "effect/Tracer"

export const capturingTracer = () => {
  const spans: Array<Tracer.NativeSpan> = []
  const tracer = Tracer.make({
    span: (options) => {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  return { spans, tracer }
}
