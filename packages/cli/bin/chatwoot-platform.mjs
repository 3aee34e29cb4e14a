#!/usr/bin/env node
// In a checkout of the repository (src/ present) run the TypeScript sources through tsx, so `npx chatwoot-platform`
// works right after `npm ci` with no build step; in an installed package run the built, bundled dist/bin.js.
import { existsSync } from "node:fs"

const source = new URL("../src/bin.ts", import.meta.url)
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api")
  register()
  await import(source.href)
} else {
  await import("../dist/bin.js")
}
