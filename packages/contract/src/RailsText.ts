// Byte-level habits of Rails and Postgres that the in-memory server copies.

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

const randomBytes = (length: number): Uint8Array => {
  const bytes = new Uint8Array(length)
  globalThis.crypto.getRandomValues(bytes)
  return bytes
}

/** `SecureRandom.base58(24)`, what `has_secure_token` generates. Rejection sampling keeps the letters uniform. */
export const secureToken = (length = 24): string => {
  let out = ""
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 232 && out.length < length) out += base58Alphabet[byte % 58]
    }
  }
  return out
}

/** `SecureRandom.hex(32)`: 64 lowercase hex characters. */
export const secureHex = (bytes = 32): string =>
  Array.from(randomBytes(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("")

/** `ERB::Util.url_encode`: every UTF-8 byte outside `A-Z a-z 0-9 _ . - ~` becomes `%XX`. */
export const urlEncode = (value: string): string => {
  let out = ""
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte)
    out += /[A-Za-z0-9_.~-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`
  }
  return out
}

/**
 * `to_json` as Rails writes it: ActiveSupport escapes `<`, `>`, `&`, U+2028 and U+2029 (escape_html_entities_in_json
 * is on in a Rails app). Key order is the object's insertion order, as Jbuilder's.
 */
export const toRailsJson = (value: unknown): string =>
  JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`
  )

const byteLength = (key: string) => new TextEncoder().encode(key).length

const compareBytes = (a: string, b: string) => {
  const left = new TextEncoder().encode(a)
  const right = new TextEncoder().encode(b)
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i]! - right[i]!
  }
  return left.length - right.length
}

/** A value as a Postgres `jsonb` column gives it back: object keys sorted by byte length, then bytewise. */
export const jsonb = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(jsonb)
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
    entries.sort(([a], [b]) => byteLength(a) - byteLength(b) || compareBytes(a, b))
    const out: Record<string, unknown> = {}
    for (const [key, item] of entries) setOwn(out, key, jsonb(item))
    return out
  }
  return value
}

/** Sets a key as an own, enumerable property, even `__proto__`, which plain assignment would treat as the prototype. */
export const setOwn = (target: Record<string, unknown>, key: string, value: unknown): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}
