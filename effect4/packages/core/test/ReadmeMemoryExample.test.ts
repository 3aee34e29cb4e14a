// The README's Effect 4 in-memory example, as written there: a program's own test with PlatformMemory.layer swapped in
// for the live layer, seeded, inspected through the handle, and a typed error asserted (the same test as the Effect
// 3 edition's packages/core/test/ReadmeMemoryExample.test.ts, on Effect 4's APIs).
import { AccountId } from "@chatwoot-effect/core/Account"
import { PlatformAccountUsers } from "@chatwoot-effect/core/PlatformAccountUsers"
import * as PlatformMemory from "@chatwoot-effect/core/PlatformMemory"
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import { UserId } from "@chatwoot-effect/core/User"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Result } from "effect"

const promote = (accountId: number, userId: number) =>
  Effect.flatMap(
    PlatformAccountUsers,
    (accountUsers) =>
      accountUsers.add(AccountId.make(accountId), { user_id: UserId.make(userId), role: "administrator" })
  )

const seed = Result.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "hr-sync", token: "test-token" }],
  accounts: [{ id: 7, name: "Support", apps: ["hr-sync"] }],
  users: [{ id: 42, name: "Dana", email: "dana@acme.example", apps: ["hr-sync"] }]
}))

describe("promote", () => {
  it.effect("makes the user an administrator of the account", () =>
    Effect.gen(function*() {
      const member = yield* promote(7, 42)
      assert.strictEqual(member.role, "administrator")
      const memory = yield* PlatformUsersMemory.PlatformUsersMemory
      const rows = yield* memory.accountUsers(7)
      assert.deepStrictEqual(rows.map((row) => [row.user_id, row.role]), [[42, "administrator"]])
    }).pipe(Effect.provide(PlatformMemory.layer({ seed }))))

  it.effect("fails with NotFound for an account that does not exist", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(promote(8, 42))
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual(error.message, "accountUsers.add: account 8 was not found")
    }).pipe(Effect.provide(PlatformMemory.layer({ seed }))))
})
