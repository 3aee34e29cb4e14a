import * as path from "node:path"
import type { ViteUserConfig } from "vitest/config"

const config: ViteUserConfig = {
  // A suite shared with the Effect 3 edition is a symbolic link to its file there: kept as its link's path, its
  // imports (effect, ../src, ./support) resolve here, to the Effect 4 edition (packages/core/test/support/edition.ts).
  resolve: { preserveSymlinks: true },
  test: {
    setupFiles: [path.join(__dirname, "vitest.setup.ts")],
    fakeTimers: { toFake: undefined },
    sequence: { concurrent: true },
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
}

export default config
