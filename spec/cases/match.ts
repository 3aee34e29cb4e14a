import type { Expected, Json } from "./Case.js"

/** Options of {@link mismatches}. */
export interface MatchOptions {
  /** Compare the order of object keys too (Chatwoot's bodies: jbuilder order, jsonb order). */
  readonly keyOrder: boolean
}

const isMatches = (value: unknown): value is { readonly $matches: string } =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 &&
  typeof (value as { $matches?: unknown }).$matches === "string"

const show = (value: unknown): string => JSON.stringify(value) ?? String(value)

/**
 * The differences between an actual JSON value and an expected one, each naming its path; `[]` when they match.
 * Numbers, strings, booleans and null compare with `===`, arrays element by element, objects by their keys (no key
 * missing, none extra, and with `keyOrder` in the same order); a `{ $matches }` matches a string by regular expression.
 */
export const mismatches = (
  actual: Json | undefined,
  expected: Expected,
  options: MatchOptions,
  path = "$"
): Array<string> => {
  if (isMatches(expected)) {
    return typeof actual === "string" && new RegExp(expected.$matches).test(actual)
      ? []
      : [`${path}: ${show(actual)} does not match /${expected.$matches}/`]
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${show(actual)}`]
    const items = actual as ReadonlyArray<Json>
    if (items.length !== expected.length) {
      return [`${path}: expected ${expected.length} items, got ${items.length}: ${show(actual)}`]
    }
    return expected.flatMap((item: Expected, i) => mismatches(items[i], item, options, `${path}[${i}]`))
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${show(actual)}`]
    }
    const record = actual as { readonly [key: string]: Json }
    const wanted = Object.keys(expected)
    const got = Object.keys(record)
    const problems: Array<string> = []
    const missing = wanted.filter((key) => !(key in record))
    const extra = got.filter((key) => !(key in expected))
    if (missing.length > 0) problems.push(`${path}: missing keys ${missing.join(", ")}`)
    if (extra.length > 0) problems.push(`${path}: unexpected keys ${extra.join(", ")}`)
    if (options.keyOrder && missing.length === 0 && extra.length === 0 && got.join() !== wanted.join()) {
      problems.push(`${path}: key order ${got.join(", ")}, expected ${wanted.join(", ")}`)
    }
    for (const key of wanted) {
      if (key in record) {
        problems.push(
          ...mismatches(
            record[key],
            (expected as { readonly [key: string]: Expected })[key]!,
            options,
            `${path}.${key}`
          )
        )
      }
    }
    return problems
  }
  return actual === expected ? [] : [`${path}: ${show(actual)}, expected ${show(expected)}`]
}
