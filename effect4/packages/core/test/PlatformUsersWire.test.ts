import { NotFound } from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformUsersWire from "@chatwoot-effect/core/PlatformUsersWire"
import * as User from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Schema from "effect/Schema"

const userId = User.UserId.make(42)

const realUser = {
  access_token: "X9sTvJqg6Kk6c4Jk2n8Lw1Pz",
  account_id: null,
  available_name: "Dan",
  avatar_url: "",
  confirmed: true,
  display_name: null,
  message_signature: null,
  email: "dan@acme.inc",
  id: 42,
  name: "Dan",
  provider: "email",
  pubsub_token: "a1B2c3D4e5F6g7H8i9J0kLmN",
  role: null,
  ui_settings: {},
  uid: "dan@acme.inc",
  accounts: []
}

describe("User", () => {
  it("decodes the real server's shape (null account_id and role, no custom_attributes), nulls kept", () => {
    const user = Schema.decodeUnknownSync(User.User)(realUser)
    assert.strictEqual(user.id, 42)
    assert.isNull(user.account_id)
    assert.isNull(user.role)
    assert.isNull(user.display_name)
    assert.isNull(user.message_signature)
    assert.isFalse("custom_attributes" in user)
    assert.deepStrictEqual(user.accounts, [])
    // Encoded, it is Chatwoot's JSON again, key order included.
    assert.strictEqual(JSON.stringify(Schema.encodeSync(User.User)(user)), JSON.stringify(realUser))
  })

  it("decodes a spec-shaped response with extra fields", () => {
    const user = Schema.decodeUnknownSync(User.User)({
      ...realUser,
      account_id: 1,
      role: "administrator",
      hmac_identifier: "abc",
      inviter_id: 3,
      type: "SuperAdmin",
      custom_attributes: { plan: "pro" },
      accounts: [{
        id: 1,
        name: "Acme",
        status: "active",
        active_at: "2025-01-01T00:00:00.000Z",
        role: "administrator",
        permissions: ["administrator"],
        availability: "online",
        availability_status: "online",
        auto_offline: true,
        custom_role_id: null,
        custom_role: null
      }]
    })
    assert.strictEqual(user.account_id, 1)
    assert.deepStrictEqual(user.custom_attributes, { plan: "pro" })
    assert.strictEqual(user.accounts[0]?.role, "administrator")
    // The spec's extra fields are dropped: the encoded value has only what Chatwoot really sends.
    const encoded = Schema.encodeSync(User.User)(user)
    const keys = Object.keys(realUser)
    assert.deepStrictEqual(Object.keys(encoded), [...keys.slice(0, 12), "custom_attributes", ...keys.slice(12)])
    assert.deepStrictEqual(encoded.accounts, [{
      id: 1,
      name: "Acme",
      active_at: "2025-01-01T00:00:00.000Z",
      role: "administrator"
    }])
  })

  it("keeps a \"__proto__\" key in ui_settings and custom_attributes (JSON objects pass through as they are)", () => {
    const raw = JSON.parse(
      "{\"id\":1,\"name\":\"\",\"email\":\"\",\"ui_settings\":{\"__proto__\":{\"a\":1}}," +
        "\"custom_attributes\":{\"__proto__\":1}}"
    )
    const user = Schema.decodeUnknownSync(User.User)(raw)
    assert.deepStrictEqual(Object.keys(user.ui_settings!), ["__proto__"])
    assert.deepStrictEqual(Object.keys(user.custom_attributes!), ["__proto__"])
    assert.deepStrictEqual(Schema.decodeUnknownSync(User.User)(Schema.encodeSync(User.User)(user)), user)
  })

  it("rejects a response that does not fit (id missing)", () => {
    const { id: _id, ...withoutId } = realUser
    assert.throws(() => Schema.decodeUnknownSync(User.User)(withoutId))
  })
})

describe("PlatformUsersWire", () => {
  const read = (status: number, body: string, extra: { retryAfter?: string; operation?: "create" | "update" } = {}) =>
    PlatformUsersWire.errorFromResponse({
      operation: extra.operation ?? "update",
      userId: extra.operation === "create" ? undefined : userId,
      status,
      body,
      retryAfter: extra.retryAfter,
      now: Date.parse("2026-01-01T00:00:00Z")
    })

  it("round-trips every server failure through the same table", () => {
    const cases: Array<[PlatformUsersWire.ServerFailure, string]> = [
      [{ _tag: "InvalidToken" }, "Unauthorized:InvalidToken"],
      [{ _tag: "NonPermissible" }, "Unauthorized:NonPermissibleResource"],
      [{ _tag: "NotFound" }, "NotFound"],
      [{
        _tag: "RecordInvalid",
        violations: [{ field: "email", rule: "taken", message: "Email has already been taken" }]
      }, "Validation"],
      [{ _tag: "InternalServerError" }, "ServerError"],
      [{ _tag: "BadRequest", acceptJson: true }, "UnexpectedResponse"],
      [{ _tag: "BadRequest", acceptJson: false }, "UnexpectedResponse"],
      [{ _tag: "RateLimited" }, "RateLimited"]
    ]
    for (const [failure, expected] of cases) {
      const response = PlatformUsersWire.renderFailure(failure)
      const error = read(response.status, response.body)
      const tag = error._tag === "Unauthorized" ? `${error._tag}:${error.reason}` : error._tag
      assert.strictEqual(tag, expected, failure._tag)
    }
  })

  it("sends the hyphenated token header by default; both of Rack's spellings, in any case, are the token header", () => {
    assert.strictEqual(PlatformUsersWire.tokenHeader, "api-access-token")
    assert.deepStrictEqual(PlatformUsersWire.TokenHeader.literals, ["api-access-token", "api_access_token"])
    for (const name of ["api-access-token", "api_access_token", "Api-Access-Token", "API_ACCESS-TOKEN"]) {
      assert.isTrue(PlatformUsersWire.isTokenHeader(name), name)
    }
    for (
      const name of ["apiaccesstoken", "x-api-access-token", "api-access-token ", "access_token", "api.access.token"]
    ) {
      assert.isFalse(PlatformUsersWire.isTokenHeader(name), name)
    }
  })

  it("a 401 Invalid access_token names both causes: the wrong token, and a proxy that dropped the header", () => {
    const error = read(401, PlatformUsersWire.errorBodies.invalidToken)
    assert.strictEqual(error._tag, "Unauthorized")
    assert.match(error.message, /^update on user 42: Chatwoot rejected the platform token \(Invalid access_token\)\. /)
    assert.include(error.message, "platform app")
    assert.include(error.message, "a proxy in front of Chatwoot may have dropped its header")
    assert.include(error.message, "underscores_in_headers")
    assert.notInclude(error.message, "\n")
    const other = read(401, PlatformUsersWire.errorBodies.nonPermissible)
    assert.notInclude(other.message, "proxy")
  })

  it("writes Chatwoot's exact bodies", () => {
    assert.strictEqual(
      PlatformUsersWire.renderFailure({ _tag: "NotFound" }).body,
      "{\"status\":404,\"error\":\"Not Found\"}"
    )
    assert.deepStrictEqual(PlatformUsersWire.renderFailure({ _tag: "RateLimited" }), {
      status: 429,
      contentType: "text/plain",
      body: "Retry later\n"
    })
    assert.strictEqual(
      PlatformUsersWire.renderFailure({
        _tag: "RecordInvalid",
        violations: [
          { field: "email", rule: "required", message: "Email can't be blank" },
          { field: "email", rule: "required", message: "Email can't be blank" }
        ]
      }).body,
      "{\"message\":\"Email can't be blank, Email can't be blank\",\"attributes\":[\"email\"]}"
    )
  })

  it("reads 422 message and attributes, redacting password characters", () => {
    const error = read(
      422,
      JSON.stringify({ message: "Password contains 1 invalid character (é)", attributes: ["password"] })
    )
    assert.strictEqual(error._tag, "Validation")
    if (error._tag !== "Validation") return
    assert.deepStrictEqual(error.attributes, ["password"])
    assert.strictEqual(error.source, "server")
    assert.notInclude(error.message, "é")
  })

  it("reads Retry-After in seconds and as an HTTP date", () => {
    const seconds = read(429, "Retry later\n", { retryAfter: "7" })
    assert.strictEqual(seconds._tag === "RateLimited" && seconds.retryAfterMillis, 7000)
    const date = read(429, "Retry later\n", { retryAfter: "Thu, 01 Jan 2026 00:00:30 GMT" })
    assert.strictEqual(date._tag === "RateLimited" && date.retryAfterMillis, 30000)
    const none = read(429, "Retry later\n")
    assert.strictEqual(none._tag === "RateLimited" && none.retryAfterMillis, undefined)
  })

  it("maps 5xx with its status, an nginx HTML page included, and unknown statuses", () => {
    const bad = read(502, "<html><body><h1>502 Bad Gateway</h1></body></html>")
    assert.strictEqual(bad._tag === "ServerError" && bad.status, 502)
    const forbidden = read(403, "Forbidden")
    assert.strictEqual(forbidden._tag === "UnexpectedResponse" && forbidden.reason, "Status")
    const notFoundOnCreate = read(404, "{\"status\":404,\"error\":\"Not Found\"}", { operation: "create" })
    assert.strictEqual(notFoundOnCreate._tag, "UnexpectedResponse")
  })

  it("narrows to each operation's errors: a 422 off create/update and a 404 on create are off-contract", () => {
    const member = PlatformUsersWire.asMemberError(read(422, "{\"message\":\"x\",\"attributes\":[]}", {}))
    assert.strictEqual(member._tag === "UnexpectedResponse" && `${member.reason} ${member.status}`, "Status 422")
    const create = PlatformUsersWire.asCreateError(new NotFound({ operation: "create", resource: "user", id: userId }))
    assert.strictEqual(create._tag === "UnexpectedResponse" && `${create.reason} ${create.status}`, "Status 404")
    const kept = PlatformUsersWire.asMemberError(read(404, "{\"status\":404,\"error\":\"Not Found\"}"))
    assert.strictEqual(kept._tag, "NotFound")
  })

  it("routes like Rails: .json suffix, PUT as PATCH, trailing slash, no index, 404 otherwise", () => {
    const p = PlatformUsersWire.apiPrefix
    assert.deepStrictEqual(PlatformUsersWire.matchRoute("PUT", `${p}/users/7.json`), { operation: "update", id: "7" })
    assert.deepStrictEqual(PlatformUsersWire.matchRoute("POST", `${p}/users/`), { operation: "create", id: "" })
    assert.deepStrictEqual(PlatformUsersWire.matchRoute("GET", `${p}/users/7/login`), {
      operation: "loginUrl",
      id: "7"
    })
    assert.deepStrictEqual(PlatformUsersWire.matchRoute("POST", `${p}/users/7/token.json`), {
      operation: "token",
      id: "7"
    })
    assert.strictEqual(PlatformUsersWire.matchRoute("GET", `${p}/users`), undefined)
    assert.strictEqual(PlatformUsersWire.matchRoute("POST", `${p}/users/7`), undefined)
    assert.strictEqual(PlatformUsersWire.matchRoute("GET", `${p}/users/7/token`), undefined)
    assert.strictEqual(PlatformUsersWire.matchRoute("GET", "/api/v1/users/7"), undefined)
  })
})
