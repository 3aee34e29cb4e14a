// Requests that reached an emulator's socket, counted through node:http's own diagnostics channel (filtered by the
// server's port, as tests run concurrently), so the emulator is used exactly as shipped.
import * as Effect from "effect/Effect"
import * as DiagnosticsChannel from "node:diagnostics_channel"
import type * as Net from "node:net"

/** Counts the requests the server at `url` receives from now until the scope closes; the effect reads the count. */
export const countRequests = (url: string) => {
  const port = Number(new URL(url).port)
  let count = 0
  const onStart = (message: unknown) => {
    const address = (message as { readonly server?: Net.Server }).server?.address()
    if (typeof address === "object" && address !== null && address.port === port) count++
  }
  return Effect.acquireRelease(
    Effect.sync(() => {
      DiagnosticsChannel.subscribe("http.server.request.start", onStart)
      return Effect.sync(() => count)
    }),
    () => Effect.sync(() => DiagnosticsChannel.unsubscribe("http.server.request.start", onStart))
  )
}
