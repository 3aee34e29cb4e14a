/**
 * Real loopback servers for one test each (node:http and net on 127.0.0.1, port 0), closed with the test's scope.
 */
import * as Effect from "effect/Effect"
import * as Http from "node:http"
import type * as Net from "node:net"
import * as NetServer from "node:net"

export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

export type Handler = (seen: Seen, response: Http.ServerResponse) => void

// A node:http server that records every request it got.
export const serve = (handler: Handler) =>
  Effect.acquireRelease(
    Effect.callback<{ readonly origin: string; readonly seen: Array<Seen>; readonly server: Http.Server }>(
      (resume) => {
        const seen: Array<Seen> = []
        const server = Http.createServer((request, response) => {
          const chunks: Array<Buffer> = []
          request.on("data", (chunk: Buffer) => chunks.push(chunk))
          request.on("end", () => {
            const entry = {
              method: request.method ?? "",
              url: request.url ?? "",
              headers: request.headers,
              body: Buffer.concat(chunks).toString("utf8")
            }
            seen.push(entry)
            handler(entry, response)
          })
        })
        server.listen(0, "127.0.0.1", () => {
          const { port } = server.address() as Net.AddressInfo
          resume(Effect.succeed({ origin: `http://127.0.0.1:${port}`, seen, server }))
        })
      }
    ),
    ({ server }) =>
      Effect.callback<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

// A raw TCP server: `onConnection` does what it likes with each socket.
export const serveRaw = (onConnection: (socket: Net.Socket) => void) =>
  Effect.acquireRelease(
    Effect.callback<{ readonly origin: string; readonly server: Net.Server; readonly sockets: Set<Net.Socket> }>(
      (resume) => {
        const sockets = new Set<Net.Socket>()
        const server = NetServer.createServer((socket) => {
          sockets.add(socket)
          socket.on("close", () => sockets.delete(socket))
          socket.on("error", () => {})
          onConnection(socket)
        })
        server.listen(0, "127.0.0.1", () => {
          const { port } = server.address() as Net.AddressInfo
          resume(Effect.succeed({ origin: `http://127.0.0.1:${port}`, server, sockets }))
        })
      }
    ),
    ({ server, sockets }) =>
      Effect.callback<void>((resume) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resume(Effect.void))
      })
  )

// A bounded wait on the live clock for `done()` to hold.
export const waitFor = (done: () => boolean) =>
  Effect.promise(async () => {
    for (let i = 0; i < 400 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5))
  })
