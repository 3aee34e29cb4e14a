import {
  isPlatformUsersError,
  NotFound,
  Unauthorized,
  Validation,
  ValidationIssue
} from "@chatwoot-effect/core/PlatformUsersError"
import { ProvisioningError, ProvisioningProgress } from "@chatwoot-effect/core/ProvisioningError"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

describe("PlatformUsersError (Effect 4)", () => {
  it.effect("errors are yieldable, tagged, and carry the Effect 3 edition's messages", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Effect.fail(new NotFound({ operation: "accounts.get", resource: "account", id: 7 }))
      )
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual(error.message, "accounts.get: account 7 was not found")
      assert.isTrue(isPlatformUsersError(error))
      assert.isFalse(isPlatformUsersError(new Error("x")))
      const denied = new Unauthorized({
        operation: "agentBots.update",
        reason: "NonPermissibleResource",
        resource: "agent_bot",
        id: 3
      })
      assert.strictEqual(
        denied.message,
        "agentBots.update on agent bot 3: this platform app has no permission on the agent bot (Non permissible " +
          "resource). An app may only manage agent bots it created: no endpoint grants an existing bot to an app."
      )
    }))

  it("a client Validation lists every issue; a ProvisioningError tells the step and the progress", () => {
    const validation = new Validation({
      operation: "create",
      source: "client",
      attributes: ["email"],
      issues: [new ValidationIssue({ field: "email", rule: "format", message: "Email is invalid" })]
    })
    assert.strictEqual(
      validation.message,
      "create: invalid email (checked before sending, nothing was sent): email: Email is invalid [format]"
    )
    const failed = new ProvisioningError({
      operation: "provision",
      step: "membership",
      accountId: 7,
      email: "dan@acme.inc",
      cause: validation,
      done: new ProvisioningProgress({ user: "created", requests: 2 })
    })
    assert.strictEqual(
      failed.message,
      "provision dan@acme.inc in account 7: the membership step failed (user created; 2 requests sent): " +
        validation.message
    )
    const encoded = Schema.encodeSync(ProvisioningError)(failed)
    assert.strictEqual(encoded._tag, "ProvisioningError")
    assert.strictEqual(Schema.decodeUnknownSync(ProvisioningError)(encoded).message, failed.message)
  })
})
