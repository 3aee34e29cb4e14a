import * as AccountUserPayload from "@chatwoot-effect/core/AccountUserPayload"
import type { UserId } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import { errorOf, issuesOf } from "./issues.js"
import { Outcome } from "./support/edition.js"

const userId = 5 as UserId

const add = (payload: Record<string, unknown>) =>
  AccountUserPayload.validateAdd(payload as AccountUserPayload.AddAccountUserPayload)

describe("AccountUserPayload", () => {
  it("a valid add passes unchanged, with or without a role", () => {
    const payload = { user_id: 5 as UserId, role: "administrator" as const }
    assert.deepStrictEqual(AccountUserPayload.validateAdd(payload), Outcome.succeed(payload))
    assert.deepStrictEqual(add({ user_id: 5, role: "agent" }), Outcome.succeed({ user_id: userId, role: "agent" }))
    assert.deepStrictEqual(add({ user_id: 5 }), Outcome.succeed({ user_id: userId }))
  })

  it("role is agent or administrator only", () => {
    for (const role of ["admin", "Administrator", "2", 1, "", null]) {
      assert.deepStrictEqual(issuesOf(add({ user_id: 5, role })), ["role:one_of"], String(role))
    }
  })

  it("user_id is required and a positive integer", () => {
    assert.deepStrictEqual(issuesOf(add({})), ["user_id:required"])
    for (const user_id of [0, -1, 1.5, "5", null, Number.NaN]) {
      assert.deepStrictEqual(issuesOf(add({ user_id })), ["user_id:positive_integer"], String(user_id))
    }
    const error = errorOf(add({ user_id: "x", role: "admin" }))
    assert.strictEqual(error.operation, "accountUsers.add")
    assert.strictEqual(error.source, "client")
    assert.deepStrictEqual(error.attributes, ["user_id", "role"])
  })

  it("validateRemove: a positive integer user_id, else a Validation (the server would remove nobody)", () => {
    assert.deepStrictEqual(AccountUserPayload.validateRemove(userId), Outcome.succeed(userId))
    assert.deepStrictEqual(issuesOf(AccountUserPayload.decodeRemove(undefined)), ["user_id:required"])
    for (const userId of [0, "5", null, 2.5]) {
      assert.deepStrictEqual(issuesOf(AccountUserPayload.decodeRemove(userId)), ["user_id:positive_integer"])
    }
    assert.strictEqual(errorOf(AccountUserPayload.decodeRemove(0)).operation, "accountUsers.remove")
  })

  it("encodes the wire body", () => {
    assert.strictEqual(
      JSON.stringify(
        Schema.encodeSync(AccountUserPayload.AddAccountUserPayload)({ role: "agent", user_id: 5 as UserId })
      ),
      "{\"user_id\":5,\"role\":\"agent\"}"
    )
  })

  it("decodeAdd checks untrusted input and rejects unknown fields, values never quoted", () => {
    assert.deepStrictEqual(AccountUserPayload.decodeAdd({ user_id: 5 }), Outcome.succeed({ user_id: userId }))
    assert.deepStrictEqual(issuesOf(AccountUserPayload.decodeAdd({ user_id: 5, account_id: 7 })), [
      "account_id:unknown_field"
    ])
    assert.deepStrictEqual(issuesOf(AccountUserPayload.decodeAdd([5])), ["payload:type"])
    const error = errorOf(AccountUserPayload.decodeAdd({ user_id: "quoted-value", role: "quoted-value" }))
    for (const text of [error.message, JSON.stringify(error)]) assert.notInclude(text, "quoted-value")
  })
})
