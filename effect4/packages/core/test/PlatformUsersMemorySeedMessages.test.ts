// What only the Effect 4 edition says differently: Schema 4's own wording for a mistyped seed field (the shared
// PlatformUsersMemory suite, a link to the Effect 3 edition's, holds everything the two editions say alike).
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import { assert, describe, it } from "@effect/vitest"
import * as Option from "effect/Option"
import * as Result from "effect/Result"

describe("PlatformUsersMemory.decodeSeed on Effect 4", () => {
  it("decodeSeed: a mistyped optional field names what it takes, without undefined", () => {
    const error = Result.getFailure(PlatformUsersMemory.decodeSeed({
      users: [{
        name: "x",
        email: "x@example.com",
        display_name: 5,
        accounts: [{ id: 1, name: "A", active_at: "no" }]
      }],
      accounts: [{ name: "n", locale: 3, features: { crm: 1 } }]
    })).pipe(Option.getOrThrow)
    assert.deepStrictEqual(error.issues, [
      "accounts[0].locale: Expected string | null",
      "accounts[0].features.crm: Expected boolean",
      "users[0].display_name: Expected string | null",
      "users[0].accounts[0].active_at: must be an ISO-8601 date-time"
    ])
  })
})
