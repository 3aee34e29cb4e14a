import { Account } from "@chatwoot-effect/core/Account"
import * as AccountPayload from "@chatwoot-effect/core/AccountPayload"
import * as PlatformRules from "@chatwoot-effect/core/PlatformRules"
import { assert, describe, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import { errorOf, issuesOf } from "./issues.js"
import { Outcome } from "./support/edition.js"

// What a JavaScript caller or the CLI can pass whatever the TypeScript type says.
const create = (payload: Record<string, unknown>) =>
  AccountPayload.validateCreate({ name: "Acme", ...payload } as AccountPayload.CreateAccountPayload)
const update = (payload: Record<string, unknown>) =>
  AccountPayload.validateUpdate(payload as AccountPayload.UpdateAccountPayload)

const full: AccountPayload.CreateAccountPayload = {
  name: "Acme",
  locale: "pt_BR",
  domain: "acme.example",
  support_email: "Support <support@acme.example>",
  status: "suspended",
  features: { help_center: false, ip_lookup: true },
  limits: { agents: 5, inboxes: 0 },
  custom_attributes: { marker: "run-1", nested: { a: [1, null] } }
}

describe("AccountPayload", () => {
  it("a valid create passes unchanged, every field set, and so does the minimal one", () => {
    assert.deepStrictEqual(AccountPayload.validateCreate(full), Outcome.succeed(full))
    assert.deepStrictEqual(AccountPayload.validateCreate({ name: "A" }), Outcome.succeed({ name: "A" }))
  })

  it("an empty update is valid, and so is a full one", () => {
    assert.deepStrictEqual(AccountPayload.validateUpdate({}), Outcome.succeed({}))
    assert.isTrue(Outcome.isSuccess(AccountPayload.validateUpdate(full)))
    assert.isTrue(Outcome.isSuccess(AccountPayload.validateUpdate({ domain: null, support_email: null })))
  })

  it("every locale code passes; pt-BR and other spellings do not", () => {
    for (const locale of PlatformRules.locales) assert.deepStrictEqual(issuesOf(create({ locale })), [], locale)
    for (const locale of ["pt-BR", "EN", "", null, 0]) {
      assert.deepStrictEqual(issuesOf(create({ locale })), ["locale:one_of"], String(locale))
    }
  })

  it("status is active or suspended only", () => {
    assert.deepStrictEqual(issuesOf(create({ status: "active" })), [])
    for (const status of ["1", 1, 0, "", null, "Active"]) {
      assert.deepStrictEqual(issuesOf(update({ status })), ["status:one_of"], String(status))
    }
  })

  it("support_email: 100 characters pass, 101 fail (the column is varchar(100)); null passes", () => {
    assert.deepStrictEqual(issuesOf(create({ support_email: "a".repeat(100) })), [])
    assert.deepStrictEqual(issuesOf(create({ support_email: "a".repeat(101) })), ["support_email:max_length"])
    assert.deepStrictEqual(issuesOf(create({ support_email: null })), [])
    assert.deepStrictEqual(issuesOf(create({ support_email: 42 })), ["support_email:type"])
  })

  it("domain: 100 characters pass, 101 fail", () => {
    assert.deepStrictEqual(issuesOf(update({ domain: "d".repeat(100) })), [])
    assert.deepStrictEqual(issuesOf(update({ domain: "d".repeat(101) })), ["domain:max_length"])
  })

  it("name: required on create, never blank, at most 255 characters (code points)", () => {
    assert.deepStrictEqual(issuesOf(AccountPayload.validateCreate({} as AccountPayload.CreateAccountPayload)), [
      "name:required"
    ])
    assert.deepStrictEqual(issuesOf(create({ name: "" })), ["name:blank"])
    assert.deepStrictEqual(issuesOf(create({ name: " \t\u00a0" })), ["name:blank"])
    assert.deepStrictEqual(issuesOf(create({ name: null })), ["name:type"])
    assert.deepStrictEqual(issuesOf(create({ name: "n".repeat(255) })), [])
    assert.deepStrictEqual(issuesOf(create({ name: "😀".repeat(255) })), [])
    assert.deepStrictEqual(issuesOf(create({ name: "n".repeat(256) })), ["name:max_length"])
    assert.deepStrictEqual(issuesOf(update({ name: "" })), ["name:blank"])
    assert.deepStrictEqual(issuesOf(update({ name: "n".repeat(256) })), ["name:max_length"])
  })

  it("features: only the 59 names, only JSON booleans (\"false\" and 0 would enable)", () => {
    const all = Object.fromEntries(PlatformRules.features.map((name) => [name, false]))
    assert.deepStrictEqual(issuesOf(create({ features: all })), [])
    assert.deepStrictEqual(issuesOf(create({ features: {} })), [])
    assert.deepStrictEqual(issuesOf(create({ features: { crm: "false" } })), ["features:boolean"])
    assert.deepStrictEqual(issuesOf(update({ features: { crm: 0 } })), ["features:boolean"])
    assert.deepStrictEqual(issuesOf(update({ features: { crm: null } })), ["features:boolean"])
    for (const key of ["flags", "feature_crm", "Crm", "no_such_flag"]) {
      assert.deepStrictEqual(issuesOf(update({ features: { [key]: true } })), ["features:unknown_key"], key)
    }
    assert.deepStrictEqual(issuesOf(update({ features: JSON.parse("{\"__proto__\":true}") })), [
      "features:unknown_key"
    ])
    for (const features of [null, [], "crm", ["crm"]]) {
      assert.deepStrictEqual(issuesOf(update({ features })), ["features:json_object"], JSON.stringify(features))
    }
  })

  it("limits: the four keys, non-negative integer values, an object", () => {
    assert.deepStrictEqual(
      issuesOf(create({ limits: { inboxes: 1, agents: 0, captain_responses: 2, captain_documents: 3 } })),
      []
    )
    assert.deepStrictEqual(issuesOf(create({ limits: { seats: 5 } })), ["limits:unknown_key"])
    for (const value of [-1, 1.5, "5", null, Number.NaN, 2 ** 53]) {
      assert.deepStrictEqual(issuesOf(update({ limits: { agents: value } })), ["limits:non_negative_integer"])
    }
    for (const limits of [null, [], "agents=5"]) {
      assert.deepStrictEqual(issuesOf(update({ limits })), ["limits:json_object"], JSON.stringify(limits))
    }
  })

  it("custom_attributes: a JSON object", () => {
    assert.deepStrictEqual(issuesOf(update({ custom_attributes: {} })), [])
    for (const custom_attributes of [null, [], "x", { when: new Date(0) }, { n: Number.POSITIVE_INFINITY }]) {
      assert.deepStrictEqual(issuesOf(update({ custom_attributes })), ["custom_attributes:json_object"])
    }
  })

  it("reports every broken rule at once, with the operation and source", () => {
    const error = errorOf(AccountPayload.validateCreate({
      name: "",
      locale: "pt-BR",
      status: "1",
      features: { crm: "false", nope: true },
      limits: { agents: -1 }
    } as unknown as AccountPayload.CreateAccountPayload))
    assert.strictEqual(error.operation, "accounts.create")
    assert.strictEqual(error.source, "client")
    assert.deepStrictEqual(error.attributes, ["name", "locale", "status", "features", "limits"])
    assert.deepStrictEqual(error.issues.map((issue) => `${issue.field}:${issue.rule}`), [
      "name:blank",
      "locale:one_of",
      "status:one_of",
      "features:boolean",
      "features:unknown_key",
      "limits:non_negative_integer"
    ])
    assert.strictEqual(errorOf(update({ status: "x" })).operation, "accounts.update")
  })

  it("encodes the wire body in Chatwoot's params order", () => {
    assert.strictEqual(
      JSON.stringify(Schema.encodeSync(AccountPayload.CreateAccountPayload)(full)),
      "{\"name\":\"Acme\",\"locale\":\"pt_BR\",\"domain\":\"acme.example\"," +
        "\"support_email\":\"Support <support@acme.example>\",\"status\":\"suspended\"," +
        "\"features\":{\"help_center\":false,\"ip_lookup\":true},\"limits\":{\"inboxes\":0,\"agents\":5}," +
        "\"custom_attributes\":{\"marker\":\"run-1\",\"nested\":{\"a\":[1,null]}}}"
    )
  })

  describe("decodeCreate / decodeUpdate (untrusted input)", () => {
    it("accepts a JSON object of known fields and checks it", () => {
      assert.deepStrictEqual(AccountPayload.decodeCreate(JSON.parse(JSON.stringify(full))), Outcome.succeed(full))
      assert.deepStrictEqual(issuesOf(AccountPayload.decodeUpdate({ features: { crm: "false" } })), [
        "features:boolean"
      ])
    })

    it("rejects unknown fields, a missing name and input that is not an object", () => {
      assert.deepStrictEqual(issuesOf(AccountPayload.decodeUpdate({ nmae: "x", enabled_features: [] })), [
        "nmae:unknown_field",
        "enabled_features:unknown_field"
      ])
      assert.deepStrictEqual(issuesOf(AccountPayload.decodeUpdate(JSON.parse("{\"__proto__\":{}}"))), [
        "__proto__:unknown_field"
      ])
      assert.deepStrictEqual(issuesOf(AccountPayload.decodeCreate({ account: { name: "x" } })), [
        "account:unknown_field"
      ])
      assert.deepStrictEqual(issuesOf(AccountPayload.decodeCreate({})), ["name:required"])
      for (const input of [null, [], "name=x", 1]) {
        assert.deepStrictEqual(issuesOf(AccountPayload.decodeCreate(input)), ["payload:type"], JSON.stringify(input))
      }
    })

    it("messages never quote the values", () => {
      const secretish = "s3cr3t-value-do-not-echo"
      const error = errorOf(AccountPayload.decodeCreate({
        name: secretish.repeat(20),
        locale: secretish,
        status: secretish,
        domain: secretish.repeat(10),
        support_email: secretish.repeat(10),
        features: { crm: secretish },
        limits: { agents: secretish },
        custom_attributes: secretish
      }))
      assert.strictEqual(error.issues.length, 8)
      for (const text of [error.message, String(error), JSON.stringify(error)]) assert.notInclude(text, secretish)
    })
  })

  describe("mergeUpdate (read-merge-write)", () => {
    const current = Schema.decodeUnknownSync(Account)({
      id: 7,
      name: "Acme",
      custom_attributes: { plan_name: "pro", marker: "a" },
      limits: { agents: 5, inboxes: 10 },
      status: "active"
    })

    it("merges the sent hashes into the current ones, the patch's keys winning", () => {
      assert.deepStrictEqual(
        AccountPayload.mergeUpdate(current, { name: "New", custom_attributes: { marker: "b" }, limits: { agents: 6 } }),
        { name: "New", custom_attributes: { plan_name: "pro", marker: "b" }, limits: { agents: 6, inboxes: 10 } }
      )
    })

    it("leaves a hash the patch does not send absent (Chatwoot keeps it)", () => {
      assert.deepStrictEqual(AccountPayload.mergeUpdate(current, { status: "suspended" }), { status: "suspended" })
    })

    it("sends the patch's hash as is when the current account has none (a spec-shaped answer)", () => {
      const bare = Schema.decodeUnknownSync(Account)({ id: 7, name: "Acme" })
      assert.deepStrictEqual(AccountPayload.mergeUpdate(bare, { limits: { agents: 1 } }), { limits: { agents: 1 } })
    })
  })
})
