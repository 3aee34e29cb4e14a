import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import * as PlatformUsersWire from "@chatwoot-effect/core/PlatformUsersWire"
import { UserId } from "@chatwoot-effect/core/User"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Tracer from "effect/Tracer"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"
import { apiAccessToken, jsonReply, makeFake, realUserBody, serviceOver, TOKEN } from "./utils/FakeTransport.js"

const id = UserId.make(42)
const PASSWORD = "Tr4ced-Passw0rd!"

// A tracer that keeps every span it starts (a fresh one per test).
const capturingTracer = Effect.map(Effect.tracer, (base) => {
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span: (...args) => {
      const span = base.span(...args)
      spans.push(span)
      return span
    },
    context: base.context
  })
  return { spans, tracer }
})

const attributeText = (spans: ReadonlyArray<Tracer.Span>) =>
  spans.flatMap((span) => [span.name, ...Array.from(span.attributes, ([key, value]) => `${key}=${String(value)}`)])

describe("PlatformUsersHttp tracing", () => {
  it.scoped("update runs in a span PlatformUsers.update with chatwoot.user_id, around the HTTP span", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* capturingTracer
      const fake = yield* makeFake([jsonReply(200, realUserBody)])
      const users = yield* serviceOver(fake)
      yield* users.update(id, { name: "Dan", password: Redacted.make(PASSWORD) }).pipe(Effect.withTracer(tracer))
      const span = spans.find((span) => span.name === "PlatformUsers.update")
      assert.isDefined(span)
      assert.strictEqual(span!.attributes.get("chatwoot.user_id"), 42)
      assert.strictEqual(span!.attributes.get("chatwoot.operation"), "update")
      assert.strictEqual(span!.kind, "client")
      assert.strictEqual(span!.status._tag, "Ended")
      const http = spans.find((span) => span.name === "http.client PATCH")
      assert.isDefined(http)
      assert.strictEqual(Option.getOrUndefined(http!.parent)?.spanId, span!.spanId)
      assert.strictEqual(http!.attributes.get("url.full"), "https://chatwoot.example.org/platform/api/v1/users/42")
      assert.strictEqual(http!.attributes.get("http.request.header.api-access-token"), "<redacted>")
      for (const text of attributeText(spans)) {
        assert.notInclude(text, TOKEN)
        assert.notInclude(text, PASSWORD)
      }
      // Spans are kept, but nothing of them travels to Chatwoot.
      const [request] = yield* fake.requests
      assert.isUndefined(request!.headers["traceparent"])
      assert.isUndefined(request!.headers["b3"])
    }))

  it.scoped("each operation has its own span name", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* capturingTracer
      const fake = yield* makeFake((request) =>
        request.method === "DELETE"
          ? { status: 200, body: "" }
          : request.url.endsWith("/login")
          ? jsonReply(200, { url: "https://x.org/app/login?sso_auth_token=1" })
          : request.url.endsWith("/token")
          ? jsonReply(200, {
            access_token: "UsErAcc3ssT0kenAbCdEfGhJ",
            expiry: null,
            user: { id: 42, name: "Dan", display_name: null, email: "dan@acme.inc" }
          })
          : jsonReply(200, realUserBody)
      )
      const users = yield* serviceOver(fake)
      yield* Effect.all([
        users.get(id),
        users.delete(id),
        users.loginUrl(id),
        users.token(id),
        users.create({ name: "Dan", email: "dan@acme.inc", password: Redacted.make(PASSWORD) })
      ]).pipe(Effect.withTracer(tracer))
      for (const operation of ["get", "delete", "loginUrl", "token"]) {
        const span = spans.find((span) => span.name === `PlatformUsers.${operation}`)
        assert.isDefined(span, operation)
        assert.strictEqual(span!.attributes.get("chatwoot.user_id"), 42)
      }
      // create learns the id from the answer.
      const create = spans.find((span) => span.name === "PlatformUsers.create")
      assert.strictEqual(create!.attributes.get("chatwoot.user_id"), 42)
      for (const text of attributeText(spans)) {
        assert.notInclude(text, TOKEN)
        assert.notInclude(text, PASSWORD)
        assert.notInclude(text, "UsErAcc3ssT0kenAbCdEfGhJ")
      }
    }))

  it.scoped("a failed call ends its span with the typed error, and the span holds no secret", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* capturingTracer
      const fake = yield* makeFake([jsonReply(401, PlatformUsersWire.errorBodies.invalidToken)])
      const users = yield* serviceOver(fake)
      const error = yield* Effect.flip(users.get(id).pipe(Effect.withTracer(tracer)))
      assert.strictEqual(error._tag, "Unauthorized")
      const span = spans.find((span) => span.name === "PlatformUsers.get")!
      assert.strictEqual(span.status._tag, "Ended")
      if (span.status._tag === "Ended") assert.isTrue(span.status.exit._tag === "Failure")
      for (const text of attributeText(spans)) assert.notInclude(text, TOKEN)
    }))

  it.scoped("both spellings of the token header are redacted, whichever one is chosen", () =>
    Effect.gen(function*() {
      for (const tokenHeader of PlatformUsersWire.TokenHeader.literals) {
        const other = tokenHeader === "api-access-token" ? "api_access_token" : "api-access-token"
        const { spans, tracer } = yield* capturingTracer
        const fake = yield* makeFake([jsonReply(200, realUserBody)])
        // A client in between that adds the other spelling as well: it is redacted too.
        const users = yield* serviceOver(fake, {
          tokenHeader,
          transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader(other, TOKEN))
        })
        yield* users.get(id).pipe(Effect.withTracer(tracer))
        const [request] = yield* fake.requests
        assert.strictEqual(request!.headers[tokenHeader], TOKEN)
        const http = spans.find((span) => span.name === "http.client GET")
        assert.isDefined(http, tokenHeader)
        assert.strictEqual(http!.attributes.get(`http.request.header.${tokenHeader}`), "<redacted>", tokenHeader)
        assert.strictEqual(http!.attributes.get(`http.request.header.${other}`), "<redacted>", other)
        for (const text of attributeText(spans)) assert.notInclude(text, TOKEN)
      }
    }))

  it.effect("through layer, the token header is redacted in the HTTP span too", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* capturingTracer
      const fake = yield* makeFake([jsonReply(200, realUserBody)])
      yield* PlatformUsers.PlatformUsers.pipe(
        Effect.flatMap((users) => users.get(id)),
        Effect.provide(
          PlatformUsersHttp.layerWithHttpClient({ baseUrl: "https://cw.example.org", apiAccessToken }).pipe(
            Layer.provide(Layer.succeed(HttpClient.HttpClient, fake.client))
          )
        ),
        Effect.withTracer(tracer)
      )
      const http = spans.find((span) => span.name === "http.client GET")
      assert.isDefined(http)
      assert.strictEqual(http!.attributes.get("http.request.header.api-access-token"), "<redacted>")
      for (const text of attributeText(spans)) assert.notInclude(text, TOKEN)
    }))

  it.scoped("the token header is redacted even when the service is used from a fiber that did not build it", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* capturingTracer
      const fake = yield* makeFake([jsonReply(200, realUserBody)])
      // Fiber.await (unlike join) does not copy the builder's FiberRefs into this fiber.
      const built = yield* Effect.forkScoped(serviceOver(fake)).pipe(Effect.flatMap(Fiber.await))
      assert.isTrue(Exit.isSuccess(built))
      if (Exit.isFailure(built)) return
      yield* built.value.get(id).pipe(Effect.withTracer(tracer))
      const http = spans.find((span) => span.name === "http.client GET")
      assert.strictEqual(http!.attributes.get("http.request.header.api-access-token"), "<redacted>")
      for (const text of attributeText(spans)) assert.notInclude(text, TOKEN)
    }))
})
