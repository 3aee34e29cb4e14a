// Seeding accounts, agent bots, memberships and their permission rows (docs/seed.md), and the handle methods that
// add and inspect them.
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as fs from "node:fs"
import * as path from "node:path"
import * as PlatformUsersMemory from "../src/PlatformUsersMemory.js"
import { Outcome, repositoryRoot } from "./support/edition.js"
import { APP, body, failure, json, makeHandle, NON_PERMISSIBLE, request } from "./support/resources.js"

const issuesOf = (input: unknown): ReadonlyArray<string> => {
  const decoded = PlatformUsersMemory.decodeSeed(input)
  assert.isTrue(Outcome.isFailure(decoded), "the seed should be rejected")
  return Outcome.match(decoded, { onFailure: (error) => error.issues, onSuccess: () => [] })
}

const apps = [{ name: "app", token: APP }]

describe("seed: accounts, agent bots and memberships", () => {
  it.effect("accounts with their fields, flags on top of the defaults, jsonb hashes and permission rows", () =>
    Effect.gen(function*() {
      const seed = Outcome.getOrThrow(PlatformUsersMemory.decodeSeed({
        apps,
        accounts: [
          {
            id: 7,
            name: "Acme",
            locale: "pt_BR",
            domain: "acme.test",
            support_email: "",
            status: "suspended",
            features: { ip_lookup: true, crm: false },
            custom_attributes: { zz: 1, a: 2 },
            limits: { inboxes: 1, agents: 2 },
            apps: ["app"]
          },
          { name: "Nobody's" }
        ]
      }))
      const handle = yield* PlatformUsersMemory.make({ seed, defaultFeatures: ["crm", "help_center"] })
      assert.strictEqual(
        yield* body(handle, request("accounts.get", { id: "7" })),
        `{"id":7,"name":"Acme","locale":"pt_BR","domain":"acme.test",` +
          `"support_email":"Chatwoot \\u003caccounts@chatwoot.com\\u003e","features":{"ip_lookup":true,` +
          `"help_center":true},"custom_attributes":{"a":2,"zz":1},"limits":{"agents":2,"inboxes":1},` +
          `"status":"suspended"}`
      )
      const accounts = yield* handle.accounts
      assert.deepStrictEqual(accounts.map((a) => [a.id, a.name, a.apps]), [[7, "Acme", ["app"]], [1, "Nobody's", []]])
      assert.strictEqual(yield* failure(handle, request("accounts.get", { id: "1" })), NON_PERMISSIBLE)
      // Accounts created through the API get ids after the highest one.
      assert.strictEqual((yield* json(handle, request("accounts.create", {}, { name: "New" }))).id, 8)
    }))

  it.effect("memberships reference accounts by id; an unknown id creates the account with the membership's name", () =>
    Effect.gen(function*() {
      const seed = Outcome.getOrThrow(PlatformUsersMemory.decodeSeed({
        apps,
        accounts: [{ id: 1, name: "Declared", apps: ["app"] }, { name: "Auto" }],
        users: [
          {
            id: 1,
            name: "Ann",
            email: "ann@example.com",
            apps: ["app"],
            accounts: [{ id: 1, role: "administrator" }, { id: 2, name: "Implicit", active_at: "2025-01-01T00:00:00Z" }]
          },
          { id: 2, name: "Bo", email: "bo@example.com", accounts: [{ id: 2, name: "Implicit", role: null }] }
        ]
      }))
      const handle = yield* PlatformUsersMemory.make({ seed })
      // "Auto" skipped the ids memberships name.
      assert.deepStrictEqual((yield* handle.accounts).map((a) => [a.id, a.name]), [[1, "Declared"], [3, "Auto"], [
        2,
        "Implicit"
      ]])
      const ann = yield* json(handle, { operation: "get", id: "1" })
      assert.strictEqual(ann.account_id, 2)
      assert.strictEqual(ann.role, "agent")
      assert.deepStrictEqual(ann.accounts, [
        { id: 1, name: "Declared", active_at: null, role: "administrator" },
        { id: 2, name: "Implicit", active_at: "2025-01-01T00:00:00.000Z", role: "agent" }
      ])
      const members = yield* json(handle, request("accountUsers.list", { account_id: "1" }))
      assert.deepStrictEqual(members.map((m: { user_id: number; role: string }) => [m.user_id, m.role]), [[
        1,
        "administrator"
      ]])
      assert.deepStrictEqual((yield* handle.accountUsers(2)).map((row) => [row.user_id, row.role]), [[1, "agent"], [
        2,
        null
      ]])
      assert.deepStrictEqual(Option.getOrThrow(yield* handle.account(2)).apps, [])
    }))

  it.effect("agent bots with a given or random token, and their apps", () =>
    Effect.gen(function*() {
      const seed = Outcome.getOrThrow(PlatformUsersMemory.decodeSeed({
        apps,
        agent_bots: [
          { name: "Given", access_token: "GivenBotToken00000000001", account_id: 3, apps: ["app"] },
          { id: 5, description: "no name" }
        ]
      }))
      const handle = yield* PlatformUsersMemory.make({ seed })
      assert.strictEqual(
        yield* body(handle, request("agentBots.list")),
        `[{"id":1,"name":"Given","description":null,"outgoing_url":null,"account_id":3,` +
          `"access_token":"GivenBotToken00000000001"}]`
      )
      const bot = Option.getOrThrow(yield* handle.agentBot(5))
      assert.match(Redacted.value(bot.access_token), /^[1-9A-HJ-NP-Za-km-z]{24}$/)
      assert.deepStrictEqual(bot.apps, [])
      assert.strictEqual(yield* failure(handle, request("agentBots.get", { id: "5" })), NON_PERMISSIBLE)
    }))

  it("errors name their entry", () => {
    const issues = issuesOf({
      apps,
      accounts: [
        { name: "", locale: "pt-BR" },
        { id: 1, name: "x", features: { bogus: true, ip_lookup: true }, domain: "d".repeat(101), apps: ["crm"] },
        { id: 1, name: "y", support_email: "e".repeat(101), status: "closed" }
      ],
      agent_bots: [{ name: "n".repeat(256), apps: ["nope"] }, { id: 2 }, { id: 2 }],
      users: [
        {
          name: "Ann",
          email: "ann@example.com",
          accounts: [{ id: 1, name: "Wrong" }, { id: 9 }, { id: 10, name: "Ten" }]
        },
        { name: "Bo", email: "bo@example.com", accounts: [{ id: 10, name: "Other" }] }
      ]
    })
    assert.deepStrictEqual(issues.filter((issue) => issue.startsWith("accounts[0]")), [
      "accounts[0].locale: must be one of the 39 enabled locale codes (en, pt_BR, zh_CN...)"
    ])
    assert.isTrue(issues.some((issue) => issue.startsWith("accounts[2].status:")))
    const consistency = issuesOf({
      apps,
      accounts: [
        { name: "" },
        { id: 1, name: "x", features: { bogus: true, ip_lookup: true }, domain: "d".repeat(101), apps: ["crm"] },
        { id: 1, name: "y", support_email: "e".repeat(101) }
      ],
      agent_bots: [{ name: "n".repeat(256), apps: ["nope"] }, { id: 2 }, { id: 2 }],
      users: [
        {
          name: "Ann",
          email: "ann@example.com",
          accounts: [{ id: 1, name: "Wrong" }, { id: 9 }, { id: 10, name: "Ten" }]
        },
        { name: "Bo", email: "bo@example.com", accounts: [{ id: 10, name: "Other" }] }
      ]
    })
    assert.deepStrictEqual(consistency, [
      "accounts[0].name: Name can't be blank",
      "accounts[1].domain: Domain is too long (maximum is 100 characters)",
      "accounts[1].features.bogus: no feature named \"bogus\" in config/features.yml",
      "accounts[1].apps[0]: no app named \"crm\" in apps",
      "accounts[2].support_email: at most 100 characters (the column's size)",
      "accounts[2].id: duplicate id 1",
      "agent_bots[0].name: Name is too long (maximum is 255 characters)",
      "agent_bots[0].apps[0]: no app named \"nope\" in apps",
      "agent_bots[2].id: duplicate id 2",
      "users[0].accounts[0].name: \"Wrong\" conflicts with account 1, named \"y\"",
      "users[0].accounts[1].name: is missing, and there is no account 9 to take it from",
      "users[1].accounts[0].name: \"Other\" conflicts with account 10, named \"Ten\""
    ])
  })

  it("tokens are never quoted: duplicate or mistyped bot tokens", () => {
    const issues = issuesOf({
      apps,
      agent_bots: [{ access_token: APP }, { access_token: "Secret000000000000000001" }, {
        access_token: "Secret000000000000000001"
      }]
    })
    assert.deepStrictEqual(issues, [
      "agent_bots[0].access_token: duplicate token (tokens of apps and bots are unique)",
      "agent_bots[2].access_token: duplicate token (tokens of apps and bots are unique)"
    ])
    const typed = issuesOf({ agent_bots: [{ access_token: 12345678 }, { access_token: "" }] })
    assert.deepStrictEqual(typed, [
      "agent_bots[0].access_token: must be a non-empty string",
      "agent_bots[1].access_token: must be a non-empty string"
    ])
    assert.isFalse([...issues, ...typed].some((issue) => issue.includes(APP) || issue.includes("Secret0")))
  })

  it.effect("unknown default flags are a defect of make", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(PlatformUsersMemory.make({ defaultFeatures: ["crm", "bogus"] }))
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        assert.include(
          Cause.pretty(exit.cause),
          "defaultFeatures[1]: no feature named \"bogus\" in config/features.yml"
        )
      }
    }))

  it.effect("examples/seed.json seeds the demo account and bot", () =>
    Effect.gen(function*() {
      const file = path.join(repositoryRoot, "examples", "seed.json")
      const seed = Outcome.getOrThrow(PlatformUsersMemory.decodeSeed(JSON.parse(fs.readFileSync(file, "utf8"))))
      const handle = yield* PlatformUsersMemory.make({ seed })
      const token = "DemoPlatformToken0000001"
      const account = yield* json(handle, request("accounts.get", { id: "1" }), token)
      assert.strictEqual(account.name, "Demo Account")
      assert.isTrue(account.features.ip_lookup)
      assert.isUndefined(account.features.help_center)
      assert.deepStrictEqual(account.limits, { agents: 5, inboxes: 10 })
      const bots = yield* json(handle, request("agentBots.list"), token)
      assert.deepStrictEqual(bots.map((bot: { name: string; outgoing_url: string }) => [bot.name, bot.outgoing_url]), [[
        "Demo Bot",
        "https://bots.example.com/demo"
      ]])
      const user = yield* json(handle, { operation: "get", id: "1" }, token)
      assert.deepStrictEqual(user.accounts, [
        { id: 1, name: "Demo Account", active_at: "2025-01-01T00:00:00.000Z", role: "administrator" }
      ])
    }))
})

describe("handle: adding and inspecting", () => {
  it.effect("addAccount, grantAccount, addAgentBot, grantAgentBot and their errors", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const added = yield* handle.addAccount({ name: "Added", features: { crm: true } })
      assert.strictEqual(added.id, 3)
      assert.deepStrictEqual(added.features, ["crm"])
      assert.deepStrictEqual(added.apps, [])
      yield* handle.grantAccount("other", 3)
      assert.deepStrictEqual(Option.getOrThrow(yield* handle.account(3)).apps, ["other"])
      const errors = [
        yield* Effect.flip(handle.addAccount({ id: 1, name: "Dup" })),
        yield* Effect.flip(handle.addAccount({ name: "x", locale: "xx" } as never)),
        yield* Effect.flip(handle.grantAccount("nope", 1)),
        yield* Effect.flip(handle.grantAccount("app", 99)),
        yield* Effect.flip(handle.addAgentBot({ id: 1 })),
        yield* Effect.flip(handle.addAgentBot({ access_token: "ResourcesAppToken0000002" })),
        yield* Effect.flip(handle.grantAgentBot("app", 99)),
        yield* Effect.flip(handle.addMembership(1, { id: 50 })),
        yield* Effect.flip(handle.addMembership(1, { id: 1, name: "Not Account 1" }))
      ]
      assert.deepStrictEqual(errors.map((error) => error.issues), [
        ["account.id: duplicate id 1"],
        ["locale: must be one of the 39 enabled locale codes (en, pt_BR, zh_CN...)"],
        ["appName: no app named \"nope\""],
        ["accountId: no account 99"],
        ["agent_bot.id: duplicate id 1"],
        ["agent_bot.access_token: duplicate token (tokens of apps and bots are unique)"],
        ["botId: no agent bot 99"],
        ["membership.name: is missing, and there is no account 50 to take it from"],
        ["membership.name: \"Not Account 1\" conflicts with account 1, named \"Account 1\""]
      ])
      const bot = yield* handle.addAgentBot({ name: "Added bot", apps: ["app"] })
      assert.strictEqual(bot.id, 3)
      assert.deepStrictEqual((yield* json(handle, request("agentBots.list"))).map((b: { id: number }) => b.id), [1, 3])
      // A new app's token may not be a bot's either.
      const clash = yield* Effect.flip(handle.addApp({ name: "clash", token: "SeededBotAccessToken0001" }))
      assert.deepStrictEqual(clash.issues, ["token: duplicate token"])
    }))

  it.effect("addMembership updates an existing membership in place and creates a missing account", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* handle.addMembership(1, { id: 1, role: "agent" })
      yield* handle.addMembership(1, { id: 60, name: "Sixty" })
      yield* handle.addMembership(1, { id: 1, role: "administrator", name: "Account 1" })
      assert.deepStrictEqual(
        Option.getOrThrow(yield* handle.user(1)).accounts,
        [
          { id: 1, name: "Account 1", role: "administrator", active_at: null },
          { id: 60, name: "Sixty", role: "agent", active_at: null }
        ]
      )
      assert.strictEqual(Option.getOrThrow(yield* handle.account(60)).name, "Sixty")
    }))
})
