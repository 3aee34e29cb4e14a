// TODO(contract): move. Plain TypeScript, the same test as the Effect 3 edition's User.ts (isJsonValue): whether a
// value is JSON as Chatwoot stores it (jsonb), without building arrays per object.
const hasOwn = Object.prototype.hasOwnProperty

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

/** A JSON object: never an array, a scalar or `null`. */
export const isJsonObject = (value: unknown): value is { readonly [x: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value) && isJsonValue(value)
