import type { AccountId } from "@chatwoot-effect/core/Account"
import * as AgentBotPayload from "@chatwoot-effect/core/AgentBotPayload"
import { assert, describe, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import { errorOf, issuesOf } from "./issues.js"
import { Outcome } from "./support/edition.js"

const update = (payload: Record<string, unknown>) =>
  AgentBotPayload.validateUpdate(payload as AgentBotPayload.UpdateAgentBotPayload)

const full: AgentBotPayload.CreateAgentBotPayload = {
  name: "Triage",
  description: "Routes conversations",
  outgoing_url: "https://bots.example/webhook",
  account_id: 7 as AccountId,
  avatar_url: "http://example.com/avatar.png"
}

describe("AgentBotPayload", () => {
  it("a valid create passes unchanged; nothing is required and null clears", () => {
    assert.deepStrictEqual(AgentBotPayload.validateCreate(full), Outcome.succeed(full))
    assert.deepStrictEqual(AgentBotPayload.validateCreate({}), Outcome.succeed({}))
    const clear = { name: null, description: null, outgoing_url: null, account_id: null }
    assert.deepStrictEqual(AgentBotPayload.validateUpdate(clear), Outcome.succeed(clear))
  })

  it("name and description at most 255 characters, outgoing_url at most 2048 (no format check)", () => {
    assert.deepStrictEqual(issuesOf(update({ name: "n".repeat(255), description: "d".repeat(255) })), [])
    assert.deepStrictEqual(issuesOf(update({ name: "n".repeat(256) })), ["name:max_length"])
    assert.deepStrictEqual(issuesOf(update({ description: "d".repeat(256) })), ["description:max_length"])
    assert.deepStrictEqual(issuesOf(update({ outgoing_url: "u".repeat(2048) })), [])
    assert.deepStrictEqual(issuesOf(update({ outgoing_url: "localhost" })), [])
    assert.deepStrictEqual(issuesOf(update({ outgoing_url: "u".repeat(2049) })), ["outgoing_url:max_length"])
    assert.deepStrictEqual(issuesOf(update({ name: 5 })), ["name:type"])
  })

  it("account_id a positive integer or null", () => {
    for (const account_id of [0, -3, 1.5, "7", "abc"]) {
      assert.deepStrictEqual(issuesOf(update({ account_id })), ["account_id:positive_integer"], String(account_id))
    }
  })

  it("avatar_url an http(s) URL", () => {
    assert.deepStrictEqual(issuesOf(update({ avatar_url: "https://example.com/a.png" })), [])
    for (
      const avatar_url of ["ftp://example.com/a.png", "file:///etc/passwd", "example.com/a.png", "", "javascript:x"]
    ) {
      assert.deepStrictEqual(issuesOf(update({ avatar_url })), ["avatar_url:http_url"], avatar_url)
    }
    assert.deepStrictEqual(issuesOf(update({ avatar_url: null })), ["avatar_url:type"])
  })

  it("names the operation and every broken rule", () => {
    const error = errorOf(
      AgentBotPayload.validateCreate({ name: "n".repeat(256), account_id: 0 } as AgentBotPayload.CreateAgentBotPayload)
    )
    assert.strictEqual(error.operation, "agentBots.create")
    assert.strictEqual(error.source, "client")
    assert.deepStrictEqual(error.attributes, ["name", "account_id"])
    assert.strictEqual(errorOf(update({ account_id: 0 })).operation, "agentBots.update")
  })

  it("encodes the wire body in the permitted params' order", () => {
    assert.strictEqual(
      JSON.stringify(Schema.encodeSync(AgentBotPayload.CreateAgentBotPayload)({ account_id: null, name: "b" })),
      "{\"name\":\"b\",\"account_id\":null}"
    )
  })

  it("decodeCreate / decodeUpdate reject unknown fields (avatar, bot_type, a wrapped body) and check the rest", () => {
    assert.deepStrictEqual(AgentBotPayload.decodeCreate(JSON.parse(JSON.stringify(full))), Outcome.succeed(full))
    for (const key of ["avatar", "bot_type", "bot_config", "agent_bot"]) {
      assert.deepStrictEqual(issuesOf(AgentBotPayload.decodeUpdate({ [key]: "x" })), [`${key}:unknown_field`])
    }
    assert.deepStrictEqual(issuesOf(AgentBotPayload.decodeCreate({ avatar_url: "nope" })), ["avatar_url:http_url"])
    assert.deepStrictEqual(issuesOf(AgentBotPayload.decodeCreate("name=x")), ["payload:type"])
    const error = errorOf(AgentBotPayload.decodeUpdate({ avatar_url: "quoted-value", name: "quoted-value".repeat(30) }))
    for (const text of [error.message, JSON.stringify(error)]) assert.notInclude(text, "quoted-value")
  })
})
