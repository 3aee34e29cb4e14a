import { defineConfig } from "vitest/config"

// The Effect 4 edition's tests: Vitest 5 under the registry's Node 24 (scripts/test-effect4.mjs), one project per
// package, with the same settings as the Effect 3 edition's (../vitest.shared.ts).
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts"]
  }
})
