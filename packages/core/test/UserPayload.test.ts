import * as UserPayload from "@chatwoot-effect/core/UserPayload"
import { assert, describe, it } from "@effect/vitest"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { Outcome } from "./support/edition.js"

const secret = "Sup3r-Secret!"

describe("UserPayload", () => {
  it("validateUpdate normalises the email and keeps everything else", () => {
    const result = UserPayload.validateUpdate({ name: "Dan", email: "  Dan@ACME.inc " })
    assert.deepStrictEqual(result, Outcome.succeed({ name: "Dan", email: "dan@acme.inc" }))
  })

  it("validateUpdate names each field and each broken rule, and never the password", () => {
    const result = UserPayload.validateUpdate({
      email: "foo@bar",
      password: Redacted.make("pässword")
    })
    assert.isTrue(Outcome.isFailure(result))
    const error = Outcome.getOrThrow(Outcome.flip(result))
    assert.strictEqual(error._tag, "Validation")
    assert.strictEqual(error.source, "client")
    assert.deepStrictEqual(error.attributes, ["email", "password"])
    assert.deepStrictEqual(
      error.issues.map((issue) => `${issue.field}:${issue.rule}`),
      [
        "email:email_address",
        "password:uppercase",
        "password:number",
        "password:special",
        "password:invalid_characters"
      ]
    )
    for (const text of [error.message, String(error), JSON.stringify(error)]) {
      assert.notInclude(text, "pässword")
      assert.notInclude(text, "ä")
    }
  })

  it("an empty update is valid", () => {
    assert.deepStrictEqual(UserPayload.validateUpdate({}), Outcome.succeed({}))
  })

  it("encodes the wire body in field order, with the password revealed only there", () => {
    const body = Schema.encodeSync(UserPayload.UpdateUserPayload)({
      custom_attributes: { plan: "pro" },
      password: Redacted.make(secret),
      email: "dan@acme.inc",
      display_name: null,
      name: "Dan"
    })
    assert.strictEqual(
      JSON.stringify(body),
      `{"name":"Dan","display_name":null,"email":"dan@acme.inc","password":"${secret}","custom_attributes":{"plan":"pro"}}`
    )
  })

  describe("decodeUpdate (untrusted input)", () => {
    it("accepts a JSON object of known fields", () => {
      const result = UserPayload.decodeUpdate({ name: "Dan", custom_attributes: { nested: { a: [1, null] } } })
      assert.isTrue(Outcome.isSuccess(result))
    })

    it("rejects unknown fields, wrong types, arrays as custom_attributes and name null", () => {
      const cases: Array<[unknown, string, string]> = [
        [{ nmae: "Dan" }, "nmae", "unknown_field"],
        [{ name: 42 }, "name", "type"],
        [{ name: null }, "name", "type"],
        [{ custom_attributes: ["a"] }, "custom_attributes", "type"],
        [{ custom_attributes: "plan=pro" }, "custom_attributes", "type"],
        [{ email: "foo" }, "email", "format"]
      ]
      for (const [input, field, rule] of cases) {
        const result = UserPayload.decodeUpdate(input)
        assert.isTrue(Outcome.isFailure(result), JSON.stringify(input))
        const error = Outcome.getOrThrow(Outcome.flip(result))
        assert.strictEqual(error.issues[0]?.field, field, JSON.stringify(input))
        assert.strictEqual(error.issues[0]?.rule, rule, JSON.stringify(input))
      }
    })

    it("never quotes a password of the wrong type", () => {
      const result = UserPayload.decodeUpdate({ password: 12345678 })
      const error = Outcome.getOrThrow(Outcome.flip(result))
      assert.deepStrictEqual(error.attributes, ["password"])
      assert.notInclude(error.message, "12345678")
    })
  })

  describe("decodeCreate", () => {
    it("requires name, email and password", () => {
      const result = UserPayload.decodeCreate({})
      const error = Outcome.getOrThrow(Outcome.flip(result))
      assert.deepStrictEqual(error.attributes, ["name", "email", "password"])
      assert.isTrue(error.issues.every((issue) => issue.rule === "required"))
    })

    it("checks the password policy on create", () => {
      const result = UserPayload.decodeCreate({ name: "Dan", email: "dan@acme.inc", password: "short" })
      const error = Outcome.getOrThrow(Outcome.flip(result))
      assert.deepStrictEqual(error.attributes, ["password"])
      assert.strictEqual(error.issues[0]?.rule, "min_length")
      assert.notInclude(error.message, "short")
    })
  })
})
