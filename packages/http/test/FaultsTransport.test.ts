/**
 * Faults of the connection itself, on real loopback sockets: a refused connection, a socket dropped before or in
 * the middle of an answer, a server that never answers, a body that trickles in. Each ends in a typed
 * `TransportError` (or in a success after a retry) within the retry and timeout budget, never in a defect or a hang.
 */
import { UserId } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { realUserBody } from "./utils/FakeTransport.js"
import * as FaultServer from "./utils/FaultServer.js"

const id = UserId.make(42)
const update = { name: "Dan", password: FaultServer.password }

describe("Faults: the connection", () => {
  for (const kind of FaultServer.clientKinds) {
    describe(kind, () => {
      it.live("a refused connection (closed port) is TransportError Network after 4 attempts", () =>
        Effect.gen(function*() {
          const origin = yield* FaultServer.closedOrigin
          const { attempts, exit } = yield* FaultServer.run(kind, origin, (users) => users.update(id, update))
          const error = FaultServer.expectFailure(exit, "TransportError")
          assert.strictEqual(error.reason, "Network")
          assert.strictEqual(error.operation, "update")
          assert.include(error.detail, "/platform/api/v1/users/42")
          assert.strictEqual(attempts, 4)
        }))

      it.live("a socket dropped before any answer is TransportError Network after 4 attempts", () =>
        Effect.scoped(Effect.gen(function*() {
          const server = yield* FaultServer.make(() => ({ _tag: "Drop" }))
          const { exit } = yield* FaultServer.run(kind, server.origin, (users) => users.get(id))
          assert.strictEqual(FaultServer.expectFailure(exit, "TransportError").reason, "Network")
          assert.strictEqual(server.seen.length, 4)
        })))

      it.live("a reset in the middle of the body is TransportError Network after 4 attempts", () =>
        Effect.scoped(Effect.gen(function*() {
          const server = yield* FaultServer.make(() => ({
            _tag: "Reset",
            status: 200,
            headers: { "content-type": "application/json; charset=utf-8" },
            partial: realUserBody.slice(0, 60)
          }))
          const { exit } = yield* FaultServer.run(kind, server.origin, (users) => users.update(id, update))
          assert.strictEqual(FaultServer.expectFailure(exit, "TransportError").reason, "Network")
          assert.strictEqual(server.seen.length, 4)
        })))

      it.live("a reset, then a drop, then a good answer: the third attempt succeeds", () =>
        Effect.scoped(Effect.gen(function*() {
          const server = yield* FaultServer.make((_, index) =>
            index === 0
              ? { _tag: "Reset", status: 200, partial: realUserBody.slice(0, 60) }
              : index === 1
              ? { _tag: "Drop" }
              : FaultServer.json(200, realUserBody)
          )
          const { exit } = yield* FaultServer.run(kind, server.origin, (users) => users.update(id, update))
          assert.strictEqual(FaultServer.expectSuccess(exit).id, 42)
          assert.strictEqual(server.seen.length, 3)
          // Every attempt carried the same request.
          for (const seen of server.seen) {
            assert.strictEqual(seen.method, "PATCH")
            assert.strictEqual(seen.url, "/platform/api/v1/users/42")
            assert.strictEqual(seen.headers["api-access-token"], FaultServer.TOKEN)
            assert.deepStrictEqual(JSON.parse(seen.body), { name: "Dan", password: FaultServer.PASSWORD })
          }
        })))

      it.live("a server that never answers: TransportError Timeout after each attempt's timeout", () =>
        Effect.scoped(Effect.gen(function*() {
          const server = yield* FaultServer.make(() => ({ _tag: "Hang" }))
          const { exit } = yield* FaultServer.run(kind, server.origin, (users) => users.get(id), {
            retry: { retries: 1, base: "5 millis", cap: "20 millis" },
            timeout: "300 millis"
          })
          const error = FaultServer.expectFailure(exit, "TransportError")
          assert.strictEqual(error.reason, "Timeout")
          assert.include(error.detail, "/platform/api/v1/users/42")
          assert.strictEqual(server.seen.length, 2)
        })))

      it.live("a hang, then a good answer: the retry succeeds", () =>
        Effect.scoped(Effect.gen(function*() {
          const server = yield* FaultServer.make((_, index) =>
            index === 0 ? { _tag: "Hang" } : FaultServer.json(200, realUserBody)
          )
          const { exit } = yield* FaultServer.run(kind, server.origin, (users) => users.get(id), {
            timeout: "1 second"
          })
          assert.strictEqual(FaultServer.expectSuccess(exit).id, 42)
          // 2, unless a loaded machine made a good answer miss its second as well.
          assert.isAtLeast(server.seen.length, 2)
        })))

      it.live("a body that trickles in slower than the timeout is TransportError Timeout (headers came at once)", () =>
        Effect.scoped(Effect.gen(function*() {
          const server = yield* FaultServer.make(() => ({
            _tag: "Trickle",
            status: 200,
            headers: { "content-type": "application/json; charset=utf-8" },
            body: realUserBody,
            chunkBytes: 8,
            everyMillis: 100
          }))
          const { exit } = yield* FaultServer.run(kind, server.origin, (users) => users.get(id), {
            retry: false,
            timeout: "400 millis"
          })
          assert.strictEqual(FaultServer.expectFailure(exit, "TransportError").reason, "Timeout")
          assert.strictEqual(server.seen.length, 1)
        })))

      it.live("a body that trickles in within the timeout is read whole", () =>
        Effect.scoped(Effect.gen(function*() {
          const server = yield* FaultServer.make(() => ({
            _tag: "Trickle",
            status: 200,
            headers: { "content-type": "application/json; charset=utf-8" },
            body: realUserBody,
            chunkBytes: 64,
            everyMillis: 10
          }))
          const { exit } = yield* FaultServer.run(kind, server.origin, (users) => users.get(id), {
            retry: false,
            timeout: "10 seconds"
          })
          const user = FaultServer.expectSuccess(exit)
          assert.strictEqual(user.id, 42)
          assert.strictEqual(user.email, "dan@acme.inc")
          assert.strictEqual(server.seen.length, 1)
        })))
    })
  }
})
