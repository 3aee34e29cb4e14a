// The build stamp: what the bundled binary was built from, so that in a checkout the `chatwoot-platform` bin runs
// the bundle only while it is up to date with the sources (bin/chatwoot-platform.mjs), and a stale build never runs.
//
// It covers every file the bundle can depend on in the repository: each file under packages/{contract,core,http,cli}/src
// (the directories are listed, so an added or removed file counts too), the manifests and TypeScript configurations
// that steer how esbuild resolves and compiles them, the bundler itself, and node_modules/.package-lock.json, which
// npm rewrites whenever an install changes node_modules. For each it records the size, the mtime (nanoseconds) and
// a SHA-256 of the content. The build (scripts/bundle.mjs) takes the snapshot before bundling and writes it last,
// and checks that every repository file esbuild read is one the snapshot covers.
// The bin checks it at start with stats alone (about 55 stats and 6 directory reads): a file whose size and mtime
// are as recorded is unchanged; one of the same size but another mtime is read and hashed, so that a file rewritten
// with the same content (npm pack's postpack restoring package.json, a checkout there and back) keeps the build
// fresh; any other difference makes it stale. Only an edit that kept both the size and the mtime to the nanosecond
// could go unseen.
import * as fs from "node:fs"
import * as path from "node:path"

/** Directories (relative to the repository root) whose files, all of them, the snapshot covers. */
export const watchedDirs = ["packages/contract/src", "packages/core/src", "packages/http/src", "packages/cli/src"]

/** Single files the snapshot covers (a missing one is recorded as missing). */
export const watchedFiles = [
  "package.json",
  "tsconfig.base.json",
  "node_modules/.package-lock.json",
  "packages/contract/package.json",
  "packages/contract/tsconfig.json",
  "packages/contract/tsconfig.src.json",
  "packages/core/package.json",
  "packages/core/tsconfig.json",
  "packages/core/tsconfig.src.json",
  "packages/http/package.json",
  "packages/http/tsconfig.json",
  "packages/http/tsconfig.src.json",
  "packages/cli/package.json",
  "packages/cli/tsconfig.json",
  "packages/cli/tsconfig.src.json",
  "packages/cli/scripts/bundle.mjs",
  "packages/cli/scripts/buildStamp.mjs",
  "packages/cli/scripts/launcher.mjs"
]

/** "size mtimeNs", or "missing". */
const entry = (file) => {
  const stat = fs.statSync(file, { bigint: true, throwIfNoEntry: false })
  return stat === undefined ? "missing" : `${stat.size} ${stat.mtimeNs}`
}

// node:crypto is loaded only when a file has to be hashed: importing it costs the bin's start about 8 ms.
const hash = (file) => {
  try {
    return process.getBuiltinModule("node:crypto").createHash("sha256").update(fs.readFileSync(file)).digest("hex")
  } catch {
    return "unreadable"
  }
}

const walk = (root, dir, files) => {
  let names
  try {
    names = fs.readdirSync(path.join(root, dir), { withFileTypes: true })
  } catch {
    files[`${dir}/`] = "missing"
    return
  }
  for (const dirent of names) {
    const relative = `${dir}/${dirent.name}`
    if (dirent.isDirectory()) walk(root, relative, files)
    else files[relative] = entry(path.join(root, relative))
  }
}

/** Relative path -> "size mtimeNs" (or "missing"), in a stable order: stats alone. */
const stats = (root) => {
  const files = {}
  for (const dir of watchedDirs) walk(root, dir, files)
  for (const file of watchedFiles) files[file] = entry(path.join(root, file))
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0))
}

/**
 * The snapshot of the repository at `root`: relative path -> "size mtimeNs sha256" (or "missing").
 *
 * @param {string} root
 * @returns {Record<string, string>}
 */
export const snapshot = (root) => {
  const files = stats(root)
  for (const [file, value] of Object.entries(files)) {
    if (value !== "missing") files[file] = `${value} ${hash(path.join(root, file))}`
  }
  return files
}

/**
 * Whether `file` (relative to the root, `/`-separated) is covered by a snapshot.
 *
 * @param {string} file
 */
export const covers = (file) => watchedFiles.includes(file) || watchedDirs.some((dir) => file.startsWith(`${dir}/`))

/**
 * Writes the stamp: the snapshot taken before the build (`taken`), if the files are still as it recorded them, and
 * the size and mtime of the build's `outputs` (so that a bundle deleted or edited by hand does not run either);
 * if a file was saved while the build ran, no stamp at all, so that the build counts as stale.
 *
 * @param {string} root
 * @param {string} stampFile
 * @param {Record<string, string>} taken
 * @param {ReadonlyArray<string>} outputs  files next to the stamp
 * @returns {boolean} whether a stamp was written
 */
export const write = (root, stampFile, taken, outputs) => {
  fs.rmSync(stampFile, { force: true })
  if (firstDifference(root, taken, stats(root)) !== undefined) return false
  const built = Object.fromEntries(outputs.map((name) => [name, entry(path.join(path.dirname(stampFile), name))]))
  fs.writeFileSync(stampFile, JSON.stringify({ version: 2, outputs: built, files: taken }) + "\n")
  return true
}

// What differs between a snapshot and the stats of now, if anything.
const firstDifference = (root, built, now) => {
  for (const [file, value] of Object.entries(now)) {
    const recorded = built[file]
    if (recorded === undefined) return `${file} was added`
    if (recorded === value || recorded.startsWith(`${value} `)) continue
    const [size, , digest] = recorded.split(" ")
    if (value === "missing" || recorded === "missing" || value.split(" ")[0] !== size) return `${file} changed`
    if (hash(path.join(root, file)) !== digest) return `${file} changed`
  }
  for (const file of Object.keys(built)) if (!(file in now)) return `${file} was removed`
  return undefined
}

/**
 * Checks the stamp against the repository as it is now.
 *
 * @param {string} root
 * @param {string} stampFile
 * @returns {{ readonly fresh: true } | { readonly fresh: false, readonly reason: string }}
 */
export const check = (root, stampFile) => {
  let stamp
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile, "utf8"))
  } catch {
    return { fresh: false, reason: "the binary is not built" }
  }
  const isRecord = (u) => typeof u === "object" && u !== null
  if (!isRecord(stamp) || stamp.version !== 2 || !isRecord(stamp.files) || !isRecord(stamp.outputs)) {
    return { fresh: false, reason: "the binary's build stamp is unreadable" }
  }
  for (const [name, value] of Object.entries(stamp.outputs)) {
    if (entry(path.join(path.dirname(stampFile), name)) !== value) {
      return { fresh: false, reason: `the built ${name} is not the one the build wrote` }
    }
  }
  const difference = firstDifference(root, stamp.files, stats(root))
  return difference === undefined
    ? { fresh: true }
    : { fresh: false, reason: `the built binary is older than the sources (${difference} since the build)` }
}
