/**
 * The Effect 4 live layers against the real emulator (the Effect 3 edition's `chatwoot-platform emulator`, in a child
 * process on loopback), over every client: a user's whole life (create, get, update, login link, delete, then 404),
 * a wrong token (401), an account with a member over `PlatformHttp`'s services.
 */
import * as PlatformAccounts from "@chatwoot-effect/core/PlatformAccounts"
import * as PlatformAccountUsers from "@chatwoot-effect/core/PlatformAccountUsers"
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import { assert, describe, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as PlatformHttp from "../src/PlatformHttp.js"
import { emulator } from "./utils/Emulator.js"
import { clients, TOKEN, usersOver } from "./utils/Fixtures.js"

describe("the live layers against the emulator", () => {
  it.live("a user's life over every client; a wrong token is Unauthorized", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator(TOKEN)
      for (const [name, client] of clients) {
        const users = yield* usersOver(client, { baseUrl, retry: false })
        const email = `ada-${name.replace(/\W+/g, "-").toLowerCase()}@example.org`
        const created = yield* users.create({ name: "Ada", email, password: Redacted.make("Passw0rd!x") })
        assert.strictEqual(created.email, email, name)
        const got = yield* users.get(created.id)
        assert.strictEqual(got.id, created.id, name)
        const updated = yield* users.update(created.id, { display_name: "Countess" })
        assert.strictEqual(updated.display_name, "Countess", name)
        const link = yield* users.loginUrl(created.id)
        assert.include(String(link.url), "sso_auth_token", name)
        yield* users.delete(created.id)
        const gone = yield* Effect.flip(users.get(created.id))
        assert.strictEqual(gone._tag, "NotFound", name)
        const stranger = yield* usersOver(client, {
          baseUrl,
          retry: false,
          apiAccessToken: Redacted.make("not-the-token")
        })
        const denied = yield* Effect.flip(stranger.get(created.id))
        assert.strictEqual(denied._tag, "Unauthorized", name)
      }
    }), { timeout: 60_000 })

  it.live("PlatformHttp.layer: an account, a user added to it, the member listed", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator(TOKEN)
      const context = yield* Layer.build(PlatformHttp.layer({ baseUrl, apiAccessToken: Redacted.make(TOKEN) }))
      const accounts = Context.get(context, PlatformAccounts.PlatformAccounts)
      const members = Context.get(context, PlatformAccountUsers.PlatformAccountUsers)
      const users = Context.get(context, PlatformUsers.PlatformUsers)
      const account = yield* accounts.create({ name: "Acme" })
      const user = yield* users.create({ name: "Bo", email: "bo@acme.inc", password: Redacted.make("Passw0rd!x") })
      yield* members.add(account.id, { user_id: user.id, role: "administrator" })
      const listed = yield* members.list(account.id)
      assert.deepStrictEqual(listed.map((member) => member.user_id), [user.id])
      assert.strictEqual((yield* accounts.get(account.id)).name, "Acme")
    }), { timeout: 60_000 })
})
