import type { Case, Expected, Step } from "./Case.js"
import { clientValidation, invalidToken, nonPermissible, notFound } from "./errors.js"
import type { Issue } from "./errors.js"
import { APP, BOT_TOKEN, long, OTHER, seed, THIRD, TOKEN } from "./platform.js"

const source = "PLATFORM.md §5"

const list = { service: "agentBots", method: "list", args: [] } as const
const create = (payload: { readonly [key: string]: unknown }) =>
  ({ service: "agentBots", method: "create", args: [payload] }) as never
const get = (id: number) => ({ service: "agentBots", method: "get", args: [id] }) as const
const update = (id: number, payload: { readonly [key: string]: unknown }) =>
  ({ service: "agentBots", method: "update", args: [id, payload] }) as never
const remove = (id: number) => ({ service: "agentBots", method: "delete", args: [id] }) as const
const deleteAvatar = (id: number) => ({ service: "agentBots", method: "deleteAvatar", args: [id] }) as const

/** An agent bot as the Platform API renders it: the 6 fields, in their order; the token as stored. */
const bot = (fields: {
  readonly id: number
  readonly name?: string | null
  readonly description?: string | null
  readonly outgoing_url?: string | null
  readonly account_id?: number | null
  readonly access_token?: Expected
}): Expected => ({
  id: fields.id,
  name: fields.name ?? null,
  description: fields.description ?? null,
  outgoing_url: fields.outgoing_url ?? null,
  account_id: fields.account_id ?? null,
  access_token: fields.access_token ?? TOKEN
})

const helper = {
  id: 1,
  name: "Helper",
  description: "Answers",
  outgoing_url: "https://bots.example.com/hook",
  account_id: 1,
  access_token: BOT_TOKEN
}

const rejected = (payload: { readonly [key: string]: unknown }, issues: ReadonlyArray<Issue>): ReadonlyArray<Step> => [
  { call: create(payload), raw: true, sent: 0, unchanged: true, expect: clientValidation("agentBots.create", issues) },
  {
    call: update(1, payload),
    raw: true,
    sent: 0,
    unchanged: true,
    expect: clientValidation("agentBots.update", issues)
  }
]

/** The agent bots cases. */
export const agentBots: ReadonlyArray<Case> = [
  {
    name: "an invalid token is InvalidToken on every route; nothing changes",
    source: "PLATFORM.md §5.6 2, 6, 10, 13, 18-19",
    seed,
    token: "invalid",
    steps: [
      { call: list, sent: 1, unchanged: true, expect: invalidToken("agentBots.list") },
      { call: create({ name: "test" }), sent: 1, unchanged: true, expect: invalidToken("agentBots.create") },
      {
        call: get(1),
        sent: 1,
        unchanged: true,
        expect: invalidToken("agentBots.get", { resource: "agent_bot", id: 1 })
      },
      {
        call: update(1, { name: "test123" }),
        sent: 1,
        unchanged: true,
        expect: invalidToken("agentBots.update", { resource: "agent_bot", id: 1 })
      },
      {
        call: remove(1),
        sent: 1,
        unchanged: true,
        expect: invalidToken("agentBots.delete", { resource: "agent_bot", id: 1 })
      },
      {
        call: deleteAvatar(1),
        sent: 1,
        unchanged: true,
        expect: invalidToken("agentBots.deleteAvatar", { resource: "agent_bot", id: 1 })
      },
      { as: APP, call: list, expect: { succeeds: [bot(helper)] } }
    ]
  },
  {
    name: "without permission, NonPermissibleResource on the bot (delete and avatar too); nothing changes",
    source: "PLATFORM.md §5.6 7, 14",
    seed,
    token: APP,
    steps: [
      { call: get(2), sent: 1, unchanged: true, expect: nonPermissible("agentBots.get", "agent_bot", 2) },
      {
        call: update(2, { name: "test123" }),
        sent: 1,
        unchanged: true,
        expect: nonPermissible("agentBots.update", "agent_bot", 2)
      },
      { call: remove(2), sent: 1, unchanged: true, expect: nonPermissible("agentBots.delete", "agent_bot", 2) },
      {
        call: deleteAvatar(2),
        sent: 1,
        unchanged: true,
        expect: nonPermissible("agentBots.deleteAvatar", "agent_bot", 2)
      },
      { as: OTHER, call: get(2), expect: { succeeds: bot({ id: 2, name: "Their bot" }) } }
    ]
  },
  {
    name: "404: NotFound naming the bot, before the permission check, for any app",
    source,
    seed,
    token: APP,
    steps: [
      { call: get(99), sent: 1, unchanged: true, expect: notFound("agentBots.get", "agent_bot", 99) },
      {
        call: update(99, { name: "x" }),
        sent: 1,
        unchanged: true,
        expect: notFound("agentBots.update", "agent_bot", 99)
      },
      { as: OTHER, call: remove(99), sent: 1, unchanged: true, expect: notFound("agentBots.delete", "agent_bot", 99) },
      {
        as: OTHER,
        call: deleteAvatar(99),
        sent: 1,
        unchanged: true,
        expect: notFound("agentBots.deleteAvatar", "agent_bot", 99)
      }
    ]
  },
  {
    name: "an app lists only its bots; another app's bot is NonPermissibleResource",
    source: "PLATFORM.md §5.6 3-4",
    seed,
    token: APP,
    steps: [
      { as: THIRD, call: list, expect: { succeeds: [] } },
      { call: list, expect: { succeeds: [bot(helper)] } },
      { as: OTHER, call: create({ name: "Theirs too" }), expect: { succeeds: bot({ id: 3, name: "Theirs too" }) } },
      {
        as: OTHER,
        call: list,
        expect: { succeeds: [bot({ id: 2, name: "Their bot" }), bot({ id: 3, name: "Theirs too" })] }
      },
      { call: list, expect: { succeeds: [bot(helper)] } },
      { call: get(3), sent: 1, unchanged: true, expect: nonPermissible("agentBots.get", "agent_bot", 3) }
    ]
  },
  {
    name: "get gives the 6 fields, outgoing_url the stored URL (F1 fixed), the bot's own token",
    source: "PLATFORM.md §5.6 8",
    seed,
    token: APP,
    steps: [{ call: get(1), expect: { succeeds: bot(helper) } }]
  },
  {
    name: "create gives the bot with its own new token; nothing is required, nothing unique; account_id not checked",
    source: "PLATFORM.md §5.6 11",
    seed,
    token: APP,
    steps: [
      { call: create({ name: "test" }), expect: { succeeds: bot({ id: 3, name: "test" }) } },
      { call: create({}), expect: { succeeds: bot({ id: 4 }) } },
      { call: create({ name: "test" }), expect: { succeeds: bot({ id: 5, name: "test" }) } },
      { call: create({ account_id: 12345 }), expect: { succeeds: bot({ id: 6, account_id: 12345 }) } },
      {
        call: list,
        expect: {
          succeeds: [
            bot(helper),
            bot({ id: 3, name: "test" }),
            bot({ id: 4 }),
            bot({ id: 5, name: "test" }),
            bot({ id: 6, account_id: 12345 })
          ]
        }
      },
      { call: get(3), expect: { succeeds: bot({ id: 3, name: "test" }) } }
    ]
  },
  {
    name: "update sets what is sent, null clears, absent is kept; avatar_url is accepted",
    source: "PLATFORM.md §5.6 15, 17",
    seed,
    token: APP,
    steps: [
      { call: update(1, { name: "test123" }), expect: { succeeds: bot({ ...helper, name: "test123" }) } },
      {
        call: update(1, { description: null, account_id: null, outgoing_url: "localhost" }),
        expect: {
          succeeds: bot({ ...helper, name: "test123", description: null, account_id: null, outgoing_url: "localhost" })
        }
      },
      {
        call: get(1),
        expect: {
          succeeds: bot({ ...helper, name: "test123", description: null, account_id: null, outgoing_url: "localhost" })
        }
      },
      {
        call: update(1, { name: "test123", avatar_url: "http://example.com/avatar.png" }),
        expect: {
          succeeds: bot({ ...helper, name: "test123", description: null, account_id: null, outgoing_url: "localhost" })
        }
      }
    ]
  },
  {
    name: "delete is immediate: then NotFound; the list never fails and skips it",
    source: "PLATFORM.md §5.6 20, §5.4",
    seed,
    token: APP,
    steps: [
      { call: create({ name: "Second" }), expect: { succeeds: bot({ id: 3, name: "Second" }) } },
      { call: remove(1), expect: { succeeds: null } },
      { call: get(1), sent: 1, unchanged: true, expect: notFound("agentBots.get", "agent_bot", 1) },
      { call: remove(1), sent: 1, unchanged: true, expect: notFound("agentBots.delete", "agent_bot", 1) },
      { call: deleteAvatar(1), sent: 1, unchanged: true, expect: notFound("agentBots.deleteAvatar", "agent_bot", 1) },
      { call: list, expect: { succeeds: [bot({ id: 3, name: "Second" })] } },
      { call: remove(3), expect: { succeeds: null } },
      { call: list, expect: { succeeds: [] } },
      { as: OTHER, call: list, expect: { succeeds: [bot({ id: 2, name: "Their bot" })] } }
    ]
  },
  {
    name: "deleteAvatar without an avatar returns the bot, every time",
    source: "PLATFORM.md §5.6 22",
    seed,
    token: APP,
    steps: [
      { call: deleteAvatar(1), expect: { succeeds: bot(helper) } },
      { call: deleteAvatar(1), expect: { succeeds: bot(helper) } }
    ]
  },
  {
    name: "every client-side bot rule fails with Validation on create and update, before sending; the boundaries pass",
    source: "PLATFORM.md §8.3",
    seed,
    token: APP,
    steps: [
      ...rejected({ name: long(256) }, [["name", "max_length", "name is too long (maximum is 255 characters)"]]),
      ...rejected({ name: 5 }, [["name", "type", "name must be a string or null"]]),
      ...rejected({ description: long(256) }, [[
        "description",
        "max_length",
        "description is too long (maximum is 255 characters)"
      ]]),
      ...rejected({ outgoing_url: `https://x.test/${long(2034)}` }, [[
        "outgoing_url",
        "max_length",
        "outgoing_url is too long (maximum is 2048 characters)"
      ]]),
      ...rejected({ account_id: 0 }, [[
        "account_id",
        "positive_integer",
        "account_id must be a positive integer or null"
      ]]),
      ...rejected({ account_id: -1 }, [[
        "account_id",
        "positive_integer",
        "account_id must be a positive integer or null"
      ]]),
      ...rejected({ account_id: 1.5 }, [[
        "account_id",
        "positive_integer",
        "account_id must be a positive integer or null"
      ]]),
      ...rejected({ account_id: "1" }, [[
        "account_id",
        "positive_integer",
        "account_id must be a positive integer or null"
      ]]),
      ...rejected({ avatar_url: "ftp://example.com/a.png" }, [[
        "avatar_url",
        "http_url",
        "avatar_url must be an http(s) URL"
      ]]),
      ...rejected({ avatar_url: "not a url" }, [["avatar_url", "http_url", "avatar_url must be an http(s) URL"]]),
      ...rejected({ avatar_url: 7 }, [["avatar_url", "type", "avatar_url must be a string"]]),
      ...rejected(
        { name: long(256), description: long(256), outgoing_url: long(2049) },
        [["name", "max_length", "name is too long (maximum is 255 characters)"], [
          "description",
          "max_length",
          "description is too long (maximum is 255 characters)"
        ], ["outgoing_url", "max_length", "outgoing_url is too long (maximum is 2048 characters)"]]
      ),
      {
        call: update(99, { account_id: 0 }),
        raw: true,
        sent: 0,
        unchanged: true,
        expect: clientValidation("agentBots.update", [[
          "account_id",
          "positive_integer",
          "account_id must be a positive integer or null"
        ]])
      },
      { call: list, expect: { succeeds: [bot(helper)] } },
      {
        call: create({ name: long(255), description: long(255), outgoing_url: long(2048) }),
        expect: { succeeds: bot({ id: 3, name: long(255), description: long(255), outgoing_url: long(2048) }) }
      }
    ]
  }
]
