import * as path from "node:path"
import type { ViteUserConfig } from "vitest/config"

const config: ViteUserConfig = {
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
