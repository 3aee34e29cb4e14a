/**
 * Faults that test the client's limits, on real loopback sockets: a huge body (the client stops reading past its
 * maximum instead of buffering 50 MB) and redirects to another origin (never followed: the token and the password
 * must not reach another host).
 */
import { UserId } from "@chatwoot-effect/core/User"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"
import { realUserBody } from "./utils/FakeTransport.js"
import * as FaultServer from "./utils/FaultServer.js"

const id = UserId.make(42)
const update = { name: "Dan", password: FaultServer.password }

const MB = 1024 * 1024
const huge = 50 * MB

// The server learns of the hang-up asynchronously: poll a little (bounded) for it.
const waitForAbort = (server: FaultServer.FaultServer) =>
  Effect.repeat(Effect.sleep("20 millis"), {
    until: () => server.clientAborts() > 0,
    times: 250
  })

describe("Faults: a huge body", () => {
  for (const kind of FaultServer.clientKinds) {
    for (const declareLength of [false, true]) {
      const framing = declareLength ? "with Content-Length" : "chunked"
      it.live(`50 MB ${framing} (${kind}): UnexpectedResponse Decode once past the maximum, reading stopped`, () =>
        Effect.scoped(Effect.gen(function*() {
          const server = yield* FaultServer.make(() => ({ _tag: "Huge", status: 200, bytes: huge, declareLength }))
          const { exit } = yield* FaultServer.run(kind, server.origin, (users) => users.update(id, update), {
            timeout: "20 seconds",
            guard: "25 seconds"
          })
          const error = FaultServer.expectFailure(exit, "UnexpectedResponse")
          assert.strictEqual(error.reason, "Decode")
          assert.strictEqual(error.status, 200)
          assert.include(error.detail, "larger than")
          // Not retried: the same request would get the same answer.
          assert.strictEqual(server.seen.length, 1)
          // The client hung up instead of draining the body: the server could not hand over most of the 50 MB (what
          // it did hand over sits in socket buffers or was read up to the maximum, a few MB).
          yield* waitForAbort(server)
          assert.strictEqual(server.clientAborts(), 1)
          assert.isBelow(server.bytesSent(), 25 * MB)
          // Without a declared length, the client read up to its maximum before giving up; with one, it gave up
          // on the announcement.
          if (!declareLength) assert.isAbove(server.bytesSent(), PlatformUsersHttp.defaults.maxResponseBytes)
        })))
    }
  }

  for (const chunked of [false, true]) {
    it.live(`a body just under the maximum is read whole (${chunked ? "chunked" : "with Content-Length"})`, () =>
      Effect.scoped(Effect.gen(function*() {
        const padding = "x".repeat(PlatformUsersHttp.defaults.maxResponseBytes - realUserBody.length - 100)
        const body = realUserBody.replace("\"ui_settings\":{}", `"ui_settings":{"padding":"${padding}"}`)
        const server = yield* FaultServer.make(() =>
          FaultServer.json(200, body, chunked ? { "transfer-encoding": "chunked" } : {})
        )
        const { exit } = yield* FaultServer.run("undici", server.origin, (users) => users.get(id), {
          timeout: "20 seconds"
        })
        const user = FaultServer.expectSuccess(exit)
        assert.strictEqual(user.id, 42)
        assert.strictEqual((user.ui_settings as { readonly padding: string }).padding.length, padding.length)
        assert.strictEqual(server.seen.length, 1)
      })))
  }

  it.live("a huge 502 page is not read whole either, and not retried", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultServer.make(() => ({ _tag: "Huge", status: 502, bytes: huge, declareLength: false }))
      const { exit } = yield* FaultServer.run("undici", server.origin, (users) => users.get(id), {
        timeout: "20 seconds",
        guard: "25 seconds"
      })
      const error = FaultServer.expectFailure(exit, "UnexpectedResponse")
      assert.strictEqual(error.status, 502)
      assert.strictEqual(server.seen.length, 1)
      yield* waitForAbort(server)
      assert.strictEqual(server.clientAborts(), 1)
      assert.isBelow(server.bytesSent(), 25 * MB)
    })))
})

describe("Faults: redirects to another origin", () => {
  for (const kind of FaultServer.clientKinds) {
    for (const status of [301, 302, 303, 307, 308]) {
      it.live(`${status} to another port (${kind}) is UnexpectedResponse Status ${status}; nothing reaches it`, () =>
        Effect.scoped(Effect.gen(function*() {
          const elsewhere = yield* FaultServer.make(() => FaultServer.json(200, realUserBody))
          const server = yield* FaultServer.make(() =>
            FaultServer.html(status, FaultServer.nginxPage(status, "Moved"), {
              location: `${elsewhere.origin}/platform/api/v1/users/42`
            })
          )
          const { exit } = yield* FaultServer.run(kind, server.origin, (users) => users.update(id, update))
          const error = FaultServer.expectFailure(exit, "UnexpectedResponse")
          assert.strictEqual(error.reason, "Status")
          assert.strictEqual(error.status, status)
          assert.strictEqual(server.seen.length, 1)
          assert.strictEqual(server.seen[0]!.headers["api-access-token"], FaultServer.TOKEN)
          // The other origin never saw a request, so neither the token nor the password.
          assert.strictEqual(elsewhere.seen.length, 0)
        })))
    }

    it.live(`a redirect to the same origin (${kind}) is not followed either`, () =>
      Effect.scoped(Effect.gen(function*() {
        const server = yield* FaultServer.make((seen) =>
          seen.url.startsWith("/moved")
            ? FaultServer.json(200, realUserBody)
            : FaultServer.reply(307, "", { location: "/moved/platform/api/v1/users/42" })
        )
        const { exit } = yield* FaultServer.run(kind, server.origin, (users) => users.get(id))
        const error = FaultServer.expectFailure(exit, "UnexpectedResponse")
        assert.strictEqual(error.status, 307)
        assert.deepStrictEqual(server.seen.map((seen) => seen.url), ["/platform/api/v1/users/42"])
      })))
  }

  it.live("the caller's own fetch RequestInit is kept, except that its redirect: \"follow\" is not honoured", () =>
    Effect.scoped(Effect.gen(function*() {
      const elsewhere = yield* FaultServer.make(() => FaultServer.json(200, realUserBody))
      const server = yield* FaultServer.make(() =>
        FaultServer.reply(302, "", { location: `${elsewhere.origin}/platform/api/v1/users/42` })
      )
      const { exit } = yield* FaultServer.run(
        "fetch",
        server.origin,
        (users) =>
          Effect.provideService(users.update(id, update), FetchHttpClient.RequestInit, {
            redirect: "follow",
            headers: { "x-request-source": "faults-test" }
          })
      )
      assert.strictEqual(FaultServer.expectFailure(exit, "UnexpectedResponse").status, 302)
      assert.strictEqual(server.seen[0]!.headers["x-request-source"], "faults-test")
      assert.strictEqual(elsewhere.seen.length, 0)
    })))
})
