// npm's `prepare` step of the repository root (after `npm ci` / `npm install` in a clone): bundles the
// `chatwoot-platform` binary (packages/cli/scripts/bundle.mjs, with its build stamp), so that the README's commands
// run the bundle from the start instead of the TypeScript sources through tsx. Only the binary: `npm run build`
// compiles the packages' dist/ for packing. The workspace packages have no `prepare` of their own (npm would run it
// on every `npm pack`), and a packed tarball carries neither this script nor sources.
// Without the dev dependencies (`npm ci --omit=dev`) there is no esbuild: the step says so and leaves the build out.
try {
  await import("esbuild")
} catch {
  console.error("prepare: esbuild is not installed (dev dependencies omitted?): the binary is not built")
  process.exit(0)
}
const started = performance.now()
const { bundle } = await import("../packages/cli/scripts/bundle.mjs")
await bundle()
const seconds = ((performance.now() - started) / 1000).toFixed(1)
console.error(`prepare: bundled the chatwoot-platform binary (packages/cli/dist/bin.js) in ${seconds} s`)
