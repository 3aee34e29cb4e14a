import * as UserRules from "@chatwoot-effect/core/UserRules"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { createRequire } from "node:module"

// The Effect 4 edition's tests run on the registry's Node (scripts/test-effect4.mjs), against effect 4, and share
// the contract package with the Effect 3 edition.
describe("the Effect 4 edition's test run", () => {
  it("runs on Node 22.19 or later", () => {
    const [major, minor] = process.versions.node.split(".").map(Number)
    assert.isTrue(major! > 22 || (major === 22 && minor! >= 19), `Node ${process.versions.node}`)
  })

  it("resolves effect 4", () => {
    const require = createRequire(import.meta.url)
    const effectVersion: string = require("effect/package.json").version
    assert.strictEqual(effectVersion.split(".")[0], "4")
  })

  it.effect("reads the shared rules", () =>
    Effect.sync(() => {
      const violations = UserRules.passwordViolations("short")
      assert.isTrue(violations.length > 0)
    }))
})
