#!/usr/bin/env node
// An installed package (no src/) runs the built, bundled dist/bin.js directly. A checkout of the repository runs it
// too, but only when its build stamp says it was built from the sources as they are now (scripts/buildStamp.mjs;
// `npm ci` builds it in its prepare step): otherwise it says why on stderr and runs the TypeScript sources through
// tsx (slower to start, never stale). `npm run build` brings the bundle up to date.
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"

const source = new URL("../src/bin.ts", import.meta.url)
if (!existsSync(source)) {
  await import("../dist/bin.js")
} else {
  const { check } = await import("../scripts/buildStamp.mjs")
  const build = check(
    fileURLToPath(new URL("../../..", import.meta.url)),
    fileURLToPath(new URL("../dist/bin.stamp.json", import.meta.url))
  )
  if (build.fresh) {
    await import("../dist/bin.js")
  } else {
    process.stderr.write(
      `chatwoot-platform: ${build.reason}: running the sources through tsx (slower start); ` +
        "`npm run build:bin` updates the binary\n"
    )
    const { register } = await import("tsx/esm/api")
    register()
    await import(source.href)
  }
}
