import * as path from "node:path"
import { mergeConfig, type ViteUserConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

const config: ViteUserConfig = {
  test: {
    // Builds the binary once (an esbuild bundle, well under a second) for the end-to-end tests.
    globalSetup: [path.join(__dirname, "test", "globalSetup.ts")]
  }
}

export default mergeConfig(shared, config)
