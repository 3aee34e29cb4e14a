// The Effect 3 edition's emulator as the shared cases need it, in a child process on the machine's Node 20 (started
// by CaseServer.ts over IPC): a fresh `PlatformUsersEmulator.serve` per case on a loopback socket, from the case's
// seed and every server option (the same function `chatwoot-platform emulator` runs), with the requests its socket
// received and its whole state (apps, users, accounts, memberships, bots, pending deletes) read by the Effect 3
// harness's own helpers (packages/http/test/utils/RequestCount.ts and PlatformState.ts). The Effect 3 sources run
// through tsx, as the CLI's bin runs them in a checkout; every import is by path, since bare names here would
// resolve to effect4/'s packages.
import * as Path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import * as Util from "node:util"

const repo = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "..")
const load = (path) => import(pathToFileURL(Path.join(repo, path)).href)

const { register } = await load("node_modules/tsx/dist/esm/api/index.mjs")
register()
const { Effect, Either, Exit, Scope } = await load("node_modules/effect/dist/esm/index.js")
const PlatformUsersEmulator = await load("packages/http/src/PlatformUsersEmulator.ts")
const PlatformUsersMemory = await load("packages/core/src/PlatformUsersMemory.ts")
const { countRequests } = await load("packages/http/test/utils/RequestCount.ts")
const { stateOf } = await load("packages/http/test/utils/PlatformState.ts")

const servers = new Map()
let next = 0

const ops = {
  serve: ({ seed, server }) =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const { emulator, url } = yield* Scope.extend(
        PlatformUsersEmulator.serve({
          host: "127.0.0.1",
          port: 0,
          seed: Either.getOrThrow(PlatformUsersMemory.decodeSeed(seed)),
          ...server
        }),
        scope
      )
      const requests = yield* Scope.extend(countRequests(url), scope)
      const key = next++
      servers.set(key, { scope, memory: emulator.memory, requests, snapshot: undefined })
      return { key, url }
    }),
  requests: ({ key }) => servers.get(key).requests,
  snapshot: ({ key }) =>
    Effect.map(stateOf(servers.get(key).memory), (state) => {
      servers.get(key).snapshot = state
      return null
    }),
  unchanged: ({ key }) =>
    Effect.map(stateOf(servers.get(key).memory), (state) => Util.isDeepStrictEqual(state, servers.get(key).snapshot)),
  close: ({ key }) =>
    Effect.suspend(() => {
      const { scope } = servers.get(key)
      servers.delete(key)
      return Scope.close(scope, Exit.void)
    })
}

process.on("message", ({ id, op, ...input }) => {
  Effect.runPromise(ops[op](input)).then(
    (value) => process.send({ id, value: value ?? null }),
    (error) => process.send({ id, error: String(error?.stack ?? error) })
  )
})
process.on("disconnect", () => process.exit(0))
process.send({ ready: true })
