// Bundles the TypeScript clients of this SDK into bench/.build/*.mjs the way the CLI binary is bundled: the
// @chatwoot-effect/* workspace packages are inlined (inside the repo they resolve to TypeScript sources), every other
// package stays an import, resolved from node_modules as a consumer's would be.
import * as esbuild from "esbuild"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const benchDir = path.dirname(fileURLToPath(import.meta.url))
export const outDir = path.join(benchDir, ".build")

export const buildClients = (
  names = ["ours-promise", "ours-effect", "effect-bare", "ours-platform", "ours-operations"]
) =>
  Promise.all(names.map((name) =>
    esbuild.build({
      entryPoints: [path.join(benchDir, "clients", `${name}.ts`)],
      outfile: path.join(outDir, `${name}.mjs`),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "warning",
      plugins: [{
        name: "external-dependencies",
        setup(build) {
          build.onResolve(
            { filter: /^[^./]/ },
            (args) => args.path.startsWith("@chatwoot-effect/") ? undefined : { path: args.path, external: true }
          )
          // The harness stays a sibling file, shared with the plain JavaScript clients.
          build.onResolve({ filter: /harness\.mjs$/ }, () => ({ path: "../clients/harness.mjs", external: true }))
        }
      }]
    })
  ))

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildClients()
}
