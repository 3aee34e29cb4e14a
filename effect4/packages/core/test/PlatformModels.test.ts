import { Account } from "@chatwoot-effect/core/Account"
import { AccountUser } from "@chatwoot-effect/core/AccountUser"
import { AgentBot } from "@chatwoot-effect/core/AgentBot"
import { assert, describe, it } from "@effect/vitest"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as util from "node:util"

// Decode the text, encode the result: the JSON must come back byte for byte.
const roundTrip = <A, I>(schema: Schema.Codec<A, I>, body: string): string =>
  JSON.stringify(Schema.encodeSync(schema)(Schema.decodeUnknownSync(schema)(JSON.parse(body))))

describe("Account", () => {
  // §3.1: the 9 keys in order; a create echo keeps the hashes' sent order (limits here: inboxes before agents).
  const body = "{\"id\":7,\"name\":\"Acme\",\"locale\":\"pt_BR\",\"domain\":null," +
    "\"support_email\":\"Chatwoot <accounts@chatwoot.com>\"," +
    "\"features\":{\"inbound_emails\":true,\"channel_email\":true,\"help_center\":true}," +
    "\"custom_attributes\":{\"plan_name\":\"pro\",\"nested\":{\"a\":[1,null]},\"__proto__\":{\"x\":1}}," +
    "\"limits\":{\"inboxes\":10,\"agents\":5},\"status\":\"active\"}"

  it("decodes the 9 keys and re-encodes them in the server's order, hashes included", () => {
    const account = Schema.decodeUnknownSync(Account)(JSON.parse(body))
    assert.strictEqual(account.id, 7)
    assert.strictEqual(account.support_email, "Chatwoot <accounts@chatwoot.com>")
    assert.deepStrictEqual(account.features, { inbound_emails: true, channel_email: true, help_center: true })
    assert.deepStrictEqual(Object.keys(account.limits ?? {}), ["inboxes", "agents"])
    assert.strictEqual(roundTrip(Account, body), body)
  })

  it("decodes the defaults of a new account and the nulls a client can set", () => {
    const fresh = "{\"id\":1,\"name\":\"A\",\"locale\":\"en\",\"domain\":null,\"support_email\":null,\"features\":{}," +
      "\"custom_attributes\":{},\"limits\":{},\"status\":null}"
    assert.strictEqual(roundTrip(Account, fresh), fresh)
    const nullLocale = JSON.parse(fresh)
    nullLocale.locale = null
    assert.isTrue(Result.isSuccess(Schema.decodeUnknownResult(Account)(nullLocale)))
  })

  it("accepts any locale and status string: the server is the authority", () => {
    const account = Schema.decodeUnknownSync(Account)({ id: 1, name: "A", locale: "xx", status: "archived" })
    assert.strictEqual(account.locale, "xx")
    assert.strictEqual(account.status, "archived")
  })

  it("decodes the published spec's {id, name} shape", () => {
    assert.strictEqual(roundTrip(Account, "{\"id\":3,\"name\":\"Spec\"}"), "{\"id\":3,\"name\":\"Spec\"}")
  })

  it("rejects a body without a positive integer id or a name, or with hashes that are not objects", () => {
    for (
      const input of [
        { name: "A" },
        { id: 0, name: "A" },
        { id: 1.5, name: "A" },
        { id: 1 },
        { id: 1, name: "A", limits: [] },
        { id: 1, name: "A", custom_attributes: null },
        { id: 1, name: "A", features: { crm: "true" } }
      ]
    ) {
      assert.isTrue(Result.isFailure(Schema.decodeUnknownResult(Account)(input)), JSON.stringify(input))
    }
  })
})

describe("AccountUser", () => {
  // §4.1: `as_json` of the row, 12 columns in DB order.
  const body = "{\"id\":11,\"account_id\":7,\"user_id\":5,\"role\":\"agent\",\"inviter_id\":null," +
    "\"created_at\":\"2025-12-30T11:25:54.123Z\",\"updated_at\":\"2025-12-30T11:25:54.123Z\",\"active_at\":null," +
    "\"availability\":\"online\",\"auto_offline\":true,\"custom_role_id\":null,\"agent_capacity_policy_id\":null}"

  it("decodes the 12 keys and re-encodes them in order", () => {
    const member = Schema.decodeUnknownSync(AccountUser)(JSON.parse(body))
    assert.strictEqual(member.account_id, 7)
    assert.strictEqual(member.user_id, 5)
    assert.strictEqual(member.auto_offline, true)
    assert.strictEqual(roundTrip(AccountUser, body), body)
  })

  it("tolerates a column it does not know (dropped) and a null role", () => {
    const input = { ...JSON.parse(body), role: null, assignment_policy_id: 3 }
    const member = Schema.decodeUnknownSync(AccountUser)(input)
    assert.strictEqual(member.role, null)
    assert.notProperty(Schema.encodeSync(AccountUser)(member), "assignment_policy_id")
  })

  it("decodes the published spec's {account_id, user_id, role} shape", () => {
    const spec = "{\"account_id\":7,\"user_id\":5,\"role\":\"administrator\"}"
    assert.strictEqual(roundTrip(AccountUser, spec), spec)
  })

  it("requires account_id and user_id", () => {
    for (const input of [{ user_id: 5 }, { account_id: 7 }, { account_id: 7, user_id: "5" }]) {
      assert.isTrue(Result.isFailure(Schema.decodeUnknownResult(AccountUser)(input)), JSON.stringify(input))
    }
  })
})

describe("AgentBot", () => {
  const token = "Xk2pQr7sT9vWbN3mZ8cD4fGh"
  // §5.1 on 4.9.1: `outgoing_url` shows the name (F1).
  const body = `{"id":3,"name":"Triage","description":"MyString","outgoing_url":"Triage","account_id":7,` +
    `"access_token":"${token}"}`

  it("decodes the 6 keys, passes outgoing_url through (F1) and re-encodes them in order, the token included", () => {
    const bot = Schema.decodeUnknownSync(AgentBot)(JSON.parse(body))
    assert.strictEqual(bot.outgoing_url, "Triage")
    assert.strictEqual(Redacted.value(bot.access_token!), token)
    assert.strictEqual(roundTrip(AgentBot, body), body)
  })

  it("never shows the access token when printed, logged or serialised", () => {
    const bot = Schema.decodeUnknownSync(AgentBot)(JSON.parse(body))
    for (const text of [String(bot), JSON.stringify(bot), util.inspect(bot, { depth: 10 }), `${bot.access_token}`]) {
      assert.notInclude(text, token)
      assert.include(text, "<redacted>")
    }
  })

  it("decodes the all-null bot of an empty create, and the published spec's extra keys", () => {
    const empty = "{\"id\":4,\"name\":null,\"description\":null,\"outgoing_url\":null,\"account_id\":null," +
      `"access_token":"${token}"}`
    assert.strictEqual(roundTrip(AgentBot, empty), empty)
    const spec = Schema.decodeUnknownSync(AgentBot)({
      id: 5,
      name: "b",
      thumbnail: "https://x/t.png",
      bot_type: "webhook",
      bot_config: {},
      system_bot: false
    })
    assert.strictEqual(spec.bot_type, "webhook")
    assert.strictEqual(spec.access_token, undefined)
  })

  it("keeps an account_id Chatwoot stored unchecked (0 from a non-numeric string)", () => {
    assert.strictEqual(Schema.decodeUnknownSync(AgentBot)({ id: 6, account_id: 0 }).account_id, 0)
  })

  it("rejects a body without a positive integer id", () => {
    for (const input of [{}, { id: 0 }, { id: "3" }]) {
      assert.isTrue(Result.isFailure(Schema.decodeUnknownResult(AgentBot)(input)), JSON.stringify(input))
    }
  })
})
