import { defineConfig } from "vitest/config"

// `test.projects` replaces the deprecated `vitest.workspace.ts` (Vitest 3.2): one project per package.
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts"]
  }
})
