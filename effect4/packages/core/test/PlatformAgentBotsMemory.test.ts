// The agent_bots endpoints of the in-memory server (PLATFORM.md §5): the request-spec cases of §5.6, then the
// params, the 422s and the fixed F1 and F2.
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as PlatformUsersMemory from "../src/PlatformUsersMemory.js"
import {
  base58Token,
  body,
  BOT_TOKEN,
  failure,
  INVALID_TOKEN,
  json,
  makeHandle,
  NON_PERMISSIBLE,
  NOT_FOUND,
  OTHER,
  request,
  SERVER_ERROR,
  unprocessable
} from "./support/resources.js"

const list = request("agentBots.list")
const create = (params: Record<string, unknown>) => request("agentBots.create", {}, params)
const get = (id: number | string) => request("agentBots.get", { id: String(id) })
const update = (id: number | string, params: Record<string, unknown>) =>
  request("agentBots.update", { id: String(id) }, params)
const del = (id: number | string) => request("agentBots.delete", { id: String(id) })
const deleteAvatar = (id: number | string) => request("agentBots.deleteAvatar", { id: String(id) })

const png = PlatformUsersMemory.uploadedFile(
  new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  { contentType: "image/png", filename: "avatar.png" }
)

const SEEDED = `{"id":1,"name":"MyString","description":"MyString","outgoing_url":"localhost","account_id":null,` +
  `"access_token":"${BOT_TOKEN}"}`

describe("agent bots: the request-spec cases (PLATFORM.md §5.6)", () => {
  it.effect("1-4. index: 401 without a token or with an invalid one; [] without permissible; the app's bots", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* failure(handle, list, null), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, list, "invalid"), INVALID_TOKEN)
      const third = yield* handle.addApp({ name: "third" })
      assert.strictEqual(yield* body(handle, list, Redacted.value(third.token)), "[]")
      assert.strictEqual(yield* body(handle, list), `[${SEEDED}]`)
    }))

  it.effect("5-8. show: 401 without a token, invalid, or without permission; the bot with it", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* failure(handle, get(1), null), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, get(1), "invalid"), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, get(1), OTHER), NON_PERMISSIBLE)
      assert.strictEqual(yield* body(handle, get(1)), SEEDED)
    }))

  it.effect("9-11. create: 401 without a token or invalid; the bot, and the app's permission row on it", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* failure(handle, create({ name: "test" }), null), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, create({ name: "test" }), "invalid"), INVALID_TOKEN)
      assert.strictEqual((yield* handle.agentBots).length, 2)
      const created = yield* json(handle, create({ name: "test" }))
      assert.deepStrictEqual(Object.keys(created), [
        "id",
        "name",
        "description",
        "outgoing_url",
        "account_id",
        "access_token"
      ])
      assert.strictEqual(created.id, 3)
      assert.strictEqual(created.name, "test")
      assert.match(created.access_token, base58Token)
      assert.deepStrictEqual(Option.getOrThrow(yield* handle.agentBot(3)).apps, ["app"])
      assert.deepStrictEqual((yield* json(handle, list)).map((bot: { id: number }) => bot.id), [1, 3])
    }))

  it.effect("12-15. update: 401 without a token, invalid, or without permission; the name updated with it", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* failure(handle, update(1, { name: "x" }), null), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, update(1, { name: "x" }), "invalid"), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, update(1, { name: "x" }), OTHER), NON_PERMISSIBLE)
      assert.strictEqual(Option.getOrThrow(yield* handle.agentBot(1)).name, "MyString")
      assert.strictEqual((yield* json(handle, update(1, { name: "test123" }))).name, "test123")
      assert.strictEqual(Option.getOrThrow(yield* handle.agentBot(1)).name, "test123")
    }))

  it.effect("16. update with a multipart png avatar: attached", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(
        yield* body(handle, update(1, { name: "test123", avatar: png })),
        SEEDED.replace("MyString", "test123")
      )
      assert.deepStrictEqual(Option.getOrThrow(yield* handle.agentBot(1)).avatar, {
        byteSize: 12,
        contentType: "image/png"
      })
    }))

  it.effect("17. update with avatar_url: the download job is queued with the URL", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* body(handle, update(1, { name: "x", avatar_url: "http://example.com/avatar.png" }))
      yield* body(handle, update(1, { avatar_url: "" }))
      assert.deepStrictEqual(Option.getOrThrow(yield* handle.agentBot(1)).avatar_url_jobs, [
        "http://example.com/avatar.png"
      ])
      const created = yield* json(handle, create({ avatar_url: "https://example.com/a.gif" }))
      assert.deepStrictEqual(Option.getOrThrow(yield* handle.agentBot(created.id)).avatar_url_jobs, [
        "https://example.com/a.gif"
      ])
    }))

  it.effect("18-20. delete: 401 with an invalid token; with permission the bot is gone at once", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      assert.strictEqual(yield* failure(handle, del(1), "invalid"), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, del(1), OTHER), NON_PERMISSIBLE)
      assert.strictEqual(yield* body(handle, del(1)), "")
      assert.deepStrictEqual((yield* handle.agentBots).map((bot) => bot.id), [2])
      assert.strictEqual(yield* failure(handle, get(1)), NOT_FOUND)
      assert.strictEqual(yield* failure(handle, del(1)), NOT_FOUND)
    }))

  it.effect("21-22. delete avatar: 401 without a token; with permission the avatar is gone and the bot rendered", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* body(handle, update(1, { avatar: png }))
      assert.strictEqual(yield* failure(handle, deleteAvatar(1), null), INVALID_TOKEN)
      assert.strictEqual(yield* failure(handle, deleteAvatar(1), OTHER), NON_PERMISSIBLE)
      assert.isNotNull(Option.getOrThrow(yield* handle.agentBot(1)).avatar)
      assert.strictEqual(yield* body(handle, deleteAvatar(1)), SEEDED)
      assert.isNull(Option.getOrThrow(yield* handle.agentBot(1)).avatar)
      // Also 200 with no avatar.
      assert.strictEqual(yield* body(handle, deleteAvatar(1)), SEEDED)
      assert.strictEqual(yield* failure(handle, deleteAvatar(99)), NOT_FOUND)
    }))
})

describe("agent bots: params and body", () => {
  it.effect("nothing is required: {} and a wrapped body make an all-null bot; every create is a new bot", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      for (const params of [{}, { agent_bot: { name: "x" } }, { name: null, bot_type: 1, bot_config: { a: 1 } }]) {
        const created = yield* json(handle, create(params))
        assert.deepStrictEqual({ ...created, access_token: "" }, {
          id: created.id,
          name: null,
          description: null,
          outgoing_url: null,
          account_id: null,
          access_token: ""
        })
      }
      assert.deepStrictEqual((yield* handle.agentBots).map((bot) => bot.id), [1, 2, 3, 4, 5])
      // The snapshots hold the tokens redacted.
      for (const bot of yield* handle.agentBots) assert.strictEqual(String(bot.access_token), "<redacted>")
      assert.strictEqual(Redacted.value(Option.getOrThrow(yield* handle.agentBot(1)).access_token), BOT_TOKEN)
    }))

  it.effect("outgoing_url is the stored URL (F1 fixed), not the name; strings are cast", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const created = yield* json(
        handle,
        create({ name: "Bot", outgoing_url: "https://hooks.example.com/x?a=1&b=<2>" })
      )
      assert.strictEqual(created.outgoing_url, "https://hooks.example.com/x?a=1&b=<2>")
      const text = yield* body(handle, get(created.id))
      assert.include(text, `"outgoing_url":"https://hooks.example.com/x?a=1\\u0026b=\\u003c2\\u003e"`)
      assert.strictEqual((yield* json(handle, update(created.id, { name: true, description: 12 }))).name, "t")
      assert.strictEqual((yield* json(handle, get(created.id))).description, "12")
    }))

  it.effect("account_id: any integer, unchecked; non-numeric strings cast to 0, blank to null", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const cases: ReadonlyArray<readonly [unknown, number | null]> = [
        [2, 2],
        [999, 999],
        ["12abc", 12],
        ["abc", 0],
        ["", null],
        [null, null],
        [3.7, 3]
      ]
      for (const [sent, stored] of cases) {
        assert.strictEqual((yield* json(handle, create({ account_id: sent }))).account_id, stored, String(sent))
      }
      assert.strictEqual(yield* failure(handle, create({ account_id: "99999999999999999999" })), SERVER_ERROR)
    }))

  it.effect("update: a null clears a field, an absent one is kept", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const updated = yield* json(handle, update(1, { description: null, account_id: 4 }))
      assert.strictEqual(updated.name, "MyString")
      assert.isNull(updated.description)
      assert.strictEqual(updated.outgoing_url, "localhost")
      assert.strictEqual(updated.account_id, 4)
      assert.strictEqual(updated.access_token, BOT_TOKEN)
    }))

  it.effect("avatar: a string is read as a signed blob id (500); null or \"\" detaches; gif and jpeg are sniffed", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      for (const avatar of ["not-a-signed-id", 1, true]) {
        assert.strictEqual(yield* failure(handle, update(1, { name: "changed", avatar })), SERVER_ERROR)
      }
      assert.strictEqual(Option.getOrThrow(yield* handle.agentBot(1)).name, "MyString")
      const gif = PlatformUsersMemory.uploadedFile(new TextEncoder().encode("GIF89a...."))
      const jpeg = PlatformUsersMemory.uploadedFile(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))
      yield* body(handle, update(1, { avatar: gif }))
      assert.strictEqual(Option.getOrThrow(yield* handle.agentBot(1)).avatar?.contentType, "image/gif")
      yield* body(handle, update(1, { avatar: jpeg }))
      assert.strictEqual(Option.getOrThrow(yield* handle.agentBot(1)).avatar?.contentType, "image/jpeg")
      yield* body(handle, update(1, { avatar: "" }))
      assert.isNull(Option.getOrThrow(yield* handle.agentBot(1)).avatar)
    }))
})

describe("agent bots: validation (PLATFORM.md §5.5)", () => {
  it.effect("the 422s, exactly and in order; nothing saved", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      const text = PlatformUsersMemory.uploadedFile(new TextEncoder().encode("plain text, named .png"), {
        contentType: "image/png",
        filename: "x.png"
      })
      const huge = PlatformUsersMemory.uploadedFile(new Uint8Array(15 * 1024 * 1024 + 1))
      const cases: ReadonlyArray<readonly [Record<string, unknown>, string, ReadonlyArray<string>]> = [
        [{ name: "a".repeat(256) }, "Name is too long (maximum is 255 characters)", ["name"]],
        [{ description: "a".repeat(256) }, "Description is too long (maximum is 255 characters)", ["description"]],
        [{ outgoing_url: "a".repeat(2049) }, "Outgoing url is too long (maximum is 2048 characters)", ["outgoing_url"]],
        [{ avatar: text }, "Avatar filetype not supported", ["avatar"]],
        [{ avatar: huge }, "Avatar is too big, Avatar filetype not supported", ["avatar"]],
        [
          { outgoing_url: "a".repeat(2049), avatar: text, description: "a".repeat(256), name: "a".repeat(256) },
          "Name is too long (maximum is 255 characters), Description is too long (maximum is 255 characters), " +
          "Avatar filetype not supported, Outgoing url is too long (maximum is 2048 characters)",
          ["name", "description", "avatar", "outgoing_url"]
        ]
      ]
      for (const [params, message, attributes] of cases) {
        assert.strictEqual(yield* failure(handle, create(params)), unprocessable(message, attributes))
        assert.strictEqual(yield* failure(handle, update(1, params)), unprocessable(message, attributes))
      }
      assert.strictEqual((yield* handle.agentBots).length, 2)
      assert.strictEqual(yield* body(handle, get(1)), SEEDED)
      // The limits themselves pass; no URL format check.
      const ok = yield* json(handle, create({ name: "a".repeat(255), outgoing_url: "b".repeat(2048) }))
      assert.strictEqual(ok.outgoing_url.length, 2048)
    }))
})

describe("agent bots: delete and the index (F2 fixed)", () => {
  it.effect("a delete removes the bot's permission rows: the index stays 200 and lists the rest in order", () =>
    Effect.gen(function*() {
      const handle = yield* makeHandle()
      yield* body(handle, create({ name: "b" }))
      yield* body(handle, create({ name: "c" }))
      yield* handle.grantAgentBot("other", 3)
      yield* body(handle, del(3))
      assert.deepStrictEqual((yield* json(handle, list)).map((bot: { name: string }) => bot.name), ["MyString", "c"])
      assert.deepStrictEqual((yield* json(handle, list, OTHER)).map((bot: { name: string }) => bot.name), ["TheirBot"])
      yield* body(handle, del(1))
      yield* body(handle, del(4))
      assert.strictEqual(yield* body(handle, list), "[]")
    }))
})
