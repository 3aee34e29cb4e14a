import type * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformUsersWire from "@chatwoot-effect/core/PlatformUsersWire"
import { UserId } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import * as NodeUtil from "node:util"
import type { Reply } from "./utils/FakeTransport.js"
import { jsonReply, makeFake, serviceOver, textReply, TOKEN } from "./utils/FakeTransport.js"

const id = UserId.make(42)
const PASSWORD = "Secr3t-Passw0rd!"
const password = Redacted.make(PASSWORD)

type Call = (users: PlatformUsers.Service) => Effect.Effect<unknown, PlatformUsersError.PlatformUsersError>

const calls: ReadonlyArray<readonly [PlatformUsersError.Operation, Call]> = [
  ["create", (users) => users.create({ name: "Dan", email: "dan@acme.inc", password })],
  ["get", (users) => users.get(id)],
  ["update", (users) => users.update(id, { name: "Dan" })],
  ["delete", (users) => users.delete(id)],
  ["loginUrl", (users) => users.loginUrl(id)],
  ["token", (users) => users.token(id)]
]

const failWith = (reply: Reply, call: Call) =>
  Effect.gen(function*() {
    const fake = yield* makeFake([reply])
    const users = yield* serviceOver(fake)
    const error = yield* Effect.flip(call(users))
    return { error, count: yield* fake.count }
  })

// Every status of BEHAVIOUR.md §2.3 and some a proxy could add, on every operation.
const statusCases: ReadonlyArray<readonly [string, Reply]> = [
  ["401 Invalid access_token", jsonReply(401, PlatformUsersWire.errorBodies.invalidToken)],
  ["401 Non permissible resource", jsonReply(401, PlatformUsersWire.errorBodies.nonPermissible)],
  ["404 Rails body", jsonReply(404, PlatformUsersWire.errorBodies.notFound)],
  ["422 RecordInvalid", jsonReply(422, { message: "Email is not an email", attributes: ["email"] })],
  ["400 JSON", jsonReply(400, PlatformUsersWire.errorBodies.badRequest)],
  ["400 empty", textReply(400, "", "text/html")],
  ["429 text/plain", textReply(429, "Retry later\n")],
  ["500 JSON", jsonReply(500, PlatformUsersWire.errorBodies.internalServerError)],
  ["502 HTML", textReply(502, "<html><body>Bad Gateway</body></html>", "text/html")],
  ["503 empty", textReply(503, "", "text/plain")],
  ["504 HTML", textReply(504, "<html>Gateway Timeout</html>", "text/html")],
  ["403 proxy", textReply(403, "Forbidden by policy", "text/plain")],
  ["418", textReply(418, "")],
  ["301", { status: 301, body: "", headers: { location: "https://elsewhere.example.org/" } }]
]

describe("PlatformUsersHttp status mapping", () => {
  for (const [label, reply] of statusCases) {
    for (const [operation, call] of calls) {
      it.scoped(`${label} on ${operation} is errorFromResponse's error, after one request`, () =>
        Effect.gen(function*() {
          const { count, error } = yield* failWith(reply, call)
          assert.strictEqual(count, 1)
          const status = (reply as { readonly status: number }).status
          const expected = PlatformUsersWire.errorFromResponse({
            operation: operation as PlatformUsersError.UserOperation,
            userId: operation === "create" ? undefined : id,
            status,
            body: (reply as { readonly body: string }).body,
            now: 0
          })
          if (expected._tag === "Validation" && operation !== "create" && operation !== "update") {
            // Only create and update can be invalid: a 422 elsewhere is off-contract.
            assert.strictEqual(error._tag, "UnexpectedResponse")
            assert.strictEqual((error as PlatformUsersError.UnexpectedResponse).status, 422)
          } else {
            assert.strictEqual(error._tag, expected._tag)
            assert.deepStrictEqual(JSON.parse(JSON.stringify(error)), JSON.parse(JSON.stringify(expected)))
            assert.strictEqual(error.message, expected.message)
          }
        }))
    }
  }

  it.scoped("401 Invalid access_token is Unauthorized InvalidToken with the user id", () =>
    Effect.gen(function*() {
      const { error } = yield* failWith(jsonReply(401, PlatformUsersWire.errorBodies.invalidToken), (u) => u.get(id))
      const unauthorized = error as PlatformUsersError.Unauthorized
      assert.strictEqual(unauthorized._tag, "Unauthorized")
      assert.strictEqual(unauthorized.reason, "InvalidToken")
      assert.strictEqual(unauthorized.id, 42)
      assert.strictEqual(unauthorized.operation, "get")
    }))

  it.scoped("401 Non permissible resource is Unauthorized NonPermissibleResource", () =>
    Effect.gen(function*() {
      const { error } = yield* failWith(
        jsonReply(401, PlatformUsersWire.errorBodies.nonPermissible),
        (u) => u.update(id, { name: "x" })
      )
      assert.strictEqual(error._tag, "Unauthorized")
      assert.strictEqual((error as PlatformUsersError.Unauthorized).reason, "NonPermissibleResource")
    }))

  it.scoped("404 on a member route is NotFound; on create it is UnexpectedResponse Status", () =>
    Effect.gen(function*() {
      const notFound = jsonReply(404, PlatformUsersWire.errorBodies.notFound)
      const { error } = yield* failWith(notFound, (u) => u.delete(id))
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual((error as PlatformUsersError.NotFound).id, 42)
      const created = yield* failWith(notFound, (u) => u.create({ name: "Dan", email: "dan@acme.inc", password }))
      assert.strictEqual(created.error._tag, "UnexpectedResponse")
      assert.strictEqual((created.error as PlatformUsersError.UnexpectedResponse).reason, "Status")
    }))

  it.scoped("422 is a server-side Validation with Chatwoot's message and attributes", () =>
    Effect.gen(function*() {
      const { error } = yield* failWith(
        jsonReply(422, {
          message: "Email has already been taken, Email has already been taken",
          attributes: ["email"]
        }),
        (u) => u.update(id, { email: "taken@acme.inc" })
      )
      const validation = error as PlatformUsersError.Validation
      assert.strictEqual(validation._tag, "Validation")
      assert.strictEqual(validation.source, "server")
      assert.deepStrictEqual(validation.attributes, ["email"])
      assert.strictEqual(validation.serverMessage, "Email has already been taken, Email has already been taken")
    }))

  it.scoped("429 text/plain `Retry later` is RateLimited", () =>
    Effect.gen(function*() {
      const { error } = yield* failWith(textReply(429, "Retry later\n"), (u) => u.get(id))
      assert.strictEqual(error._tag, "RateLimited")
      assert.isUndefined((error as PlatformUsersError.RateLimited).retryAfterMillis)
    }))

  it.scoped("500 is ServerError with Chatwoot's error; 502 is ServerError 502", () =>
    Effect.gen(function*() {
      const five = yield* failWith(jsonReply(500, PlatformUsersWire.errorBodies.internalServerError), (u) => u.get(id))
      assert.strictEqual(five.error._tag, "ServerError")
      assert.strictEqual((five.error as PlatformUsersError.ServerError).status, 500)
      assert.strictEqual((five.error as PlatformUsersError.ServerError).error, "Internal Server Error")
      const gateway = yield* failWith(textReply(502, "bad gateway"), (u) => u.get(id))
      assert.strictEqual((gateway.error as PlatformUsersError.ServerError).status, 502)
    }))

  it.scoped("400 and 403 are UnexpectedResponse BadRequest and Status", () =>
    Effect.gen(function*() {
      const bad = yield* failWith(jsonReply(400, PlatformUsersWire.errorBodies.badRequest), (u) => u.get(id))
      assert.strictEqual((bad.error as PlatformUsersError.UnexpectedResponse).reason, "BadRequest")
      const forbidden = yield* failWith(textReply(403, "nope"), (u) => u.get(id))
      assert.strictEqual((forbidden.error as PlatformUsersError.UnexpectedResponse).reason, "Status")
      assert.strictEqual((forbidden.error as PlatformUsersError.UnexpectedResponse).status, 403)
    }))

  it.scoped("a transport failure is TransportError Network", () =>
    Effect.gen(function*() {
      const { error } = yield* failWith({ _tag: "NetworkError", message: "connect ECONNREFUSED" }, (u) => u.get(id))
      const transport = error as PlatformUsersError.TransportError
      assert.strictEqual(transport._tag, "TransportError")
      assert.strictEqual(transport.reason, "Network")
      assert.include(transport.detail, "ECONNREFUSED")
      assert.include(transport.detail, "https://chatwoot.example.org/platform/api/v1/users/42")
    }))
})

describe("PlatformUsersHttp client-side validation", () => {
  const invalid: ReadonlyArray<readonly [string, Call, ReadonlyArray<string>]> = [
    ["a weak password on update", (u) => u.update(id, { password: Redacted.make("password") }), ["password"]],
    ["a malformed email on update", (u) => u.update(id, { email: "foo@bar" }), ["email"]],
    ["a blank email on update", (u) => u.update(id, { email: "  " }), ["email"]],
    [
      "custom_attributes that are not a JSON object",
      (u) => u.update(id, { custom_attributes: [1, 2] as unknown as Record<string, unknown> }),
      ["custom_attributes"]
    ],
    [
      "a create with a bad email and a bad password",
      (u) => u.create({ name: "Dan", email: "dan", password: Redacted.make("short") }),
      ["email", "password"]
    ]
  ]
  for (const [label, call, attributes] of invalid) {
    it.scoped(`${label} fails with Validation and sends nothing`, () =>
      Effect.gen(function*() {
        const { count, error } = yield* failWith(jsonReply(200, "{}"), call)
        assert.strictEqual(count, 0)
        const validation = error as PlatformUsersError.Validation
        assert.strictEqual(validation._tag, "Validation")
        assert.strictEqual(validation.source, "client")
        assert.deepStrictEqual(validation.attributes, attributes)
        assert.isAbove(validation.issues.length, 0)
      }))
  }

  it.scoped("the rejected password is in no part of the validation error", () =>
    Effect.gen(function*() {
      const secret = "weakpässword"
      const { count, error } = yield* failWith(
        jsonReply(200, "{}"),
        (u) => u.update(id, { password: Redacted.make(secret) })
      )
      assert.strictEqual(count, 0)
      for (const text of renderings(error)) {
        assert.notInclude(text, secret)
        assert.notInclude(text, "ä")
      }
    }))
})

const renderings = (error: unknown): ReadonlyArray<string> => [
  String(error),
  JSON.stringify(error),
  (error as Error).message,
  (error as Error).stack ?? "",
  NodeUtil.inspect(error, { depth: 10 }),
  Inspectable.toStringUnknown(error),
  Cause.pretty(Cause.fail(error)),
  JSON.stringify(Cause.fail(error))
]

describe("PlatformUsersHttp redaction", () => {
  const echo = `api-access-token: ${TOKEN}; body: {"password":"${PASSWORD}"}`
  const leaks: ReadonlyArray<readonly [string, Reply]> = [
    ["a transport error whose cause quotes the token", { _tag: "NetworkError", message: `socket hang up (${echo})` }],
    ["a proxy 403 echoing the request", textReply(403, echo)],
    ["a 502 page echoing the request", textReply(502, `<html>${echo}</html>`, "text/html")],
    ["a 500 JSON error echoing the request", jsonReply(500, { error: echo })],
    ["a 422 whose message echoes the request", jsonReply(422, { message: echo, attributes: ["password"] })],
    ["a 401 with an odd body", jsonReply(401, { error: echo })],
    ["a 200 that does not decode", jsonReply(200, { id: TOKEN, name: PASSWORD, email: echo })]
  ]
  for (const [label, reply] of leaks) {
    it.scoped(`${label}: neither the token nor the password reaches the error or the logs`, () =>
      Effect.gen(function*() {
        const fake = yield* makeFake([reply])
        const users = yield* serviceOver(fake)
        const lines: Array<string> = []
        const logger = Logger.make((options) => {
          lines.push(Logger.logfmtLogger.log(options), Logger.stringLogger.log(options))
        })
        const error = yield* users.update(id, { name: "Dan", password: Redacted.make(PASSWORD) }).pipe(
          Effect.tapErrorCause((cause) => Effect.logError("update failed", cause)),
          Effect.tapError((error) => Effect.logError(error)),
          Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
          Effect.flip
        )
        // The request really carried both secrets.
        const [request] = yield* fake.requests
        assert.strictEqual(request!.headers["api-access-token"], TOKEN)
        assert.include(request!.body!, PASSWORD)
        assert.isAbove(lines.length, 0)
        for (const text of [...renderings(error), ...lines]) {
          assert.notInclude(text, TOKEN)
          assert.notInclude(text, PASSWORD)
        }
      }))
  }

  it.scoped("the 422 message listing a password's invalid characters is redacted", () =>
    Effect.gen(function*() {
      const { error } = yield* failWith(
        jsonReply(422, { message: "Password contains 2 invalid characters (éü)", attributes: ["password"] }),
        (u) => u.update(id, { name: "x" })
      )
      for (const text of renderings(error)) assert.notInclude(text, "éü")
    }))
})
