/**
 * What counts as JSON as Chatwoot stores it (jsonb): the test behind both editions' `JsonObject` schema.
 *
 * @since 0.1.0
 */
const hasOwn = Object.prototype.hasOwnProperty

/**
 * Whether a value is JSON: `null`, a string, a boolean, a finite number, an array of JSON values (holes are skipped,
 * as `every` does; `JSON.stringify` writes them as null) or a plain object (prototype `Object.prototype` or `null`)
 * whose own enumerable values are JSON, at most 64 levels deep. Checked on every answer, so without building arrays
 * per object.
 *
 * @since 0.1.0
 * @category Guards
 */
export const isJsonValue = (value: unknown, depth = 0): boolean => {
  if (depth > 64) return false
  if (value === null || typeof value === "string" || typeof value === "boolean") return true
  if (typeof value === "number") return Number.isFinite(value)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      // Holes are skipped, as `every` does (`JSON.stringify` writes them as null).
      if (i in value && !isJsonValue(value[i], depth + 1)) return false
    }
    return true
  }
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) return false
    // The own enumerable keys (what `Object.values` lists), without an array per object: checked on every answer.
    for (const key in value) {
      if (hasOwn.call(value, key) && !isJsonValue((value as Record<string, unknown>)[key], depth + 1)) return false
    }
    return true
  }
  return false
}

/**
 * A JSON object: never an array, a scalar or `null`.
 *
 * @since 0.1.0
 * @category Guards
 */
export const isJsonObject = (value: unknown): value is { readonly [x: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value) && isJsonValue(value)
