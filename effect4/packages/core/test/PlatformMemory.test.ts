// PlatformMemory.layer in Effect 4: the four services and the handle over one server, the calling app, and what
// Effect 4's layer memoisation means for the in-memory state (each provide of a layer builds it from the seed,
// except a provide nested inside one of the same layer value, which reuses it).
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { AccountId } from "../src/Account.js"
import { PlatformAccounts } from "../src/PlatformAccounts.js"
import { PlatformAccountUsers } from "../src/PlatformAccountUsers.js"
import { PlatformAgentBots } from "../src/PlatformAgentBots.js"
import * as PlatformMemory from "../src/PlatformMemory.js"
import { PlatformUsers } from "../src/PlatformUsers.js"
import * as PlatformUsersMemory from "../src/PlatformUsersMemory.js"
import { UserId } from "../src/User.js"

const seed = Result.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "first", token: "FirstAppToken00000000001" }, { name: "second", token: "SecondAppToken0000000001" }],
  accounts: [{ id: 7, name: "Support", apps: ["first"] }, { id: 8, name: "Sales", apps: ["second"] }],
  agent_bots: [{ id: 3, name: "Helper", apps: ["first"] }],
  users: [{ id: 42, name: "Dana", email: "dana@acme.example", apps: ["first"] }]
}))

const userCount = Effect.flatMap(PlatformUsersMemory.PlatformUsersMemory, (memory) => memory.users).pipe(
  Effect.map((users) => users.length)
)

const createInvalid = Effect.flatMap(
  PlatformUsers,
  (users) => users.create({ name: "New", email: "not an email", password: Redacted.make("Password1!") })
)

const addOne = Effect.flatMap(
  PlatformUsersMemory.PlatformUsersMemory,
  (memory) => memory.addUser({ name: "Added", email: "added@acme.example" })
)

describe("PlatformMemory.layer", () => {
  it.effect("the four services and the handle share one server", () =>
    Effect.gen(function*() {
      const users = yield* PlatformUsers
      const accounts = yield* PlatformAccounts
      const accountUsers = yield* PlatformAccountUsers
      const bots = yield* PlatformAgentBots
      const memory = yield* PlatformUsersMemory.PlatformUsersMemory
      assert.strictEqual((yield* users.get(UserId.make(42))).name, "Dana")
      assert.deepStrictEqual((yield* accounts.list()).map((account) => account.id), [7])
      assert.deepStrictEqual((yield* bots.list()).map((bot) => bot.name), ["Helper"])
      yield* accountUsers.add(AccountId.make(7), { user_id: UserId.make(42), role: "agent" })
      assert.deepStrictEqual((yield* memory.accountUsers(7)).map((row) => [row.user_id, row.role]), [[42, "agent"]])
      const created = yield* accounts.create({ name: "Made" })
      assert.deepStrictEqual(Option.getOrThrow(yield* memory.account(created.id)).apps, ["first"])
    }).pipe(Effect.provide(PlatformMemory.layer({ seed }))))

  it.effect("token: the services call as that app", () =>
    Effect.gen(function*() {
      const accounts = yield* PlatformAccounts
      assert.deepStrictEqual((yield* accounts.list()).map((account) => account.id), [8])
      const denied = yield* Effect.flip((yield* PlatformUsers).get(UserId.make(42)))
      assert.strictEqual(denied._tag === "Unauthorized" && denied.reason, "NonPermissibleResource")
    }).pipe(Effect.provide(PlatformMemory.layer({ seed, token: "SecondAppToken0000000001" }))))

  it.effect("an unknown token: every call is Unauthorized InvalidToken", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip((yield* PlatformAccounts).list())
      assert.strictEqual(error._tag === "Unauthorized" && error.reason, "InvalidToken")
    }).pipe(Effect.provide(PlatformMemory.layer({ seed, token: "nope" }))))

  it.effect("client-side validation fails before the server is reached", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(createInvalid)
      assert.strictEqual(error._tag === "Validation" && error.source, "client")
      assert.strictEqual(yield* userCount, 1)
    }).pipe(Effect.provide(PlatformMemory.layer({ seed }))))

  it.effect("each provide of a layer value starts from the seed, one after the other or side by side", () =>
    Effect.gen(function*() {
      const layer = PlatformMemory.layer({ seed })
      const grow = Effect.andThen(addOne, userCount).pipe(Effect.provide(layer))
      assert.deepStrictEqual([yield* grow, yield* grow], [2, 2])
      assert.deepStrictEqual(yield* Effect.all([grow, grow], { concurrency: 2 }), [2, 2])
    }))

  it.effect("a provide nested in one of the same layer value reuses its server (Effect 4); local: true does not", () =>
    Effect.gen(function*() {
      const layer = PlatformMemory.layer({ seed })
      const counts = yield* Effect.gen(function*() {
        yield* addOne
        const nested = yield* userCount.pipe(Effect.provide(layer))
        const local = yield* userCount.pipe(Effect.provide(layer, { local: true }))
        const other = yield* userCount.pipe(Effect.provide(PlatformMemory.layer({ seed })))
        return [nested, local, other]
      }).pipe(Effect.provide(layer))
      assert.deepStrictEqual(counts, [2, 1, 1])
    }))
})
