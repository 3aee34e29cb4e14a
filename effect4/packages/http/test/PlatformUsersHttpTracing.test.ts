/**
 * The span of each call over real loopback servers: `PlatformUsers.<operation>` with its attributes, a child of the
 * caller's span, ended with the call's outcome; a create's span learns the new id; the HTTP client's span (over the
 * platform's clients) under it.
 */
import { UserId } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { clients, realUserBody, usersOver } from "./utils/Fixtures.js"
import { serve } from "./utils/Servers.js"
import { capturingTracer } from "./utils/Tracing.js"

for (const [name, client] of clients) {
  describe(`PlatformUsersHttp spans over ${name}`, () => {
    it.live("update, create and a failing get: their spans, attributes, parents and outcomes", () =>
      Effect.gen(function*() {
        const server = yield* serve((seen, response) => {
          if (seen.url.endsWith("/users/404")) {
            response.writeHead(404, { "content-type": "application/json" })
            return response.end(`{"status":404,"error":"Not Found"}`)
          }
          response.writeHead(200, { "content-type": "application/json" })
          response.end(realUserBody)
        })
        const { spans, tracer } = capturingTracer()
        const users = yield* usersOver(client, { baseUrl: server.origin, retry: false })
        yield* Effect.gen(function*() {
          yield* users.update(UserId.make(42), { name: "Ada" })
          yield* users.create({ name: "Dan", email: "dan@acme.inc", password: Redacted.make("Passw0rd!x") })
          yield* Effect.flip(users.get(UserId.make(404)))
        }).pipe(Effect.withSpan("caller"), Effect.withTracer(tracer))
        const caller = spans.find((span) => span.name === "caller")!
        const update = spans.find((span) => span.name === "PlatformUsers.update")!
        assert.isDefined(update)
        assert.strictEqual(update.kind, "client")
        assert.strictEqual(update.attributes.get("chatwoot.operation"), "update")
        assert.strictEqual(update.attributes.get("chatwoot.user_id"), 42)
        assert.strictEqual(update.parent._tag === "Some" ? update.parent.value.spanId : undefined, caller.spanId)
        assert.strictEqual(update.status._tag, "Ended")
        const create = spans.find((span) => span.name === "PlatformUsers.create")!
        assert.strictEqual(create.attributes.get("chatwoot.user_id"), 42)
        const get = spans.find((span) => span.name === "PlatformUsers.get")!
        assert.isTrue(get.status._tag === "Ended" && get.status.exit._tag === "Failure")
        assert.strictEqual(get.attributes.get("chatwoot.user_id"), 404)
        // The platform's clients record an http.client span under the operation's; the lean client records none.
        const http = spans.filter((span) => span.parent._tag === "Some" && span.parent.value.spanId === update.spanId)
        assert.strictEqual(http.length, name.startsWith("lean") ? 0 : 1)
      }))
  })
}

describe("PlatformUsersHttp spans under Effect's default tracer", () => {
  it.live("a failure (its span made only then) still fails with the typed error", () =>
    Effect.gen(function*() {
      const server = yield* serve((_, response) => {
        response.writeHead(404, { "content-type": "application/json" })
        response.end(`{"status":404,"error":"Not Found"}`)
      })
      const users = yield* usersOver(clients[0]![1], { baseUrl: server.origin, retry: false })
      const error = yield* Effect.flip(users.get(UserId.make(7)))
      assert.strictEqual(error._tag, "NotFound")
    }))
})
