// Bundles src/bin.ts into one ESM file: the @chatwoot-effect/* workspace packages are inlined (inside the repo they
// resolve to TypeScript sources, which plain node cannot load), every other package stays an import.
// Usage: node packages/cli/scripts/bundle.mjs [outfile]   (default: packages/cli/dist/bin.js)
import * as esbuild from "esbuild"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

/** @param {string} outfile */
export const bundle = (outfile = path.join(packageDir, "dist", "bin.js")) =>
  esbuild.build({
    entryPoints: [path.join(packageDir, "src", "bin.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    plugins: [{
      name: "external-dependencies",
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@chatwoot-effect/") ? undefined : { path: args.path, external: true })
      }
    }]
  })

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundle(process.argv[2] === undefined ? undefined : path.resolve(process.argv[2]))
}
