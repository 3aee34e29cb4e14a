import * as path from "node:path"
import type { ViteUserConfig } from "vitest/config"
import root from "../vitest.shared.js"

// The Effect 3 edition's settings (../vitest.shared.ts), with this directory's setup file (its @effect/vitest is
// version 4) and links preserved: a suite shared with the Effect 3 edition is a symbolic link to its file there, and
// kept as its link's path, its imports (effect, ../src, ./support) resolve here, to the Effect 4 edition
// (packages/core/test/support/edition.ts).
const config: ViteUserConfig = {
  ...root,
  resolve: { preserveSymlinks: true },
  test: { ...root.test, setupFiles: [path.join(__dirname, "vitest.setup.ts")] }
}

export default config
