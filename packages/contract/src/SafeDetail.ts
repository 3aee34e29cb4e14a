/**
 * Text that goes into error details: never a secret, never a raw response value. Both editions' live clients scrub
 * what the server or the transport hands back with it; the part that reads a Schema failure stays in each edition.
 *
 * @since 0.1.0
 */
const maxIssues = 5
const maxLength = 160

const clip = (text: string, length: number) => text.length > length ? `${text.slice(0, length)}...` : text

const jsonInner = (text: string) => JSON.stringify(text).slice(1, -1)

// How an echo may spell a secret: the password travels inside a JSON body (so it comes back JSON-escaped at least),
// and a page or a JSON error field may escape it once more.
const encodings: ReadonlyArray<(text: string) => string> = [
  jsonInner,
  // Rails' to_json and Go's encoding/json
  (text) => jsonInner(text).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026"),
  (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"),
  (text) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;"),
  (text) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&#34;")
      .replace(/'/g, "&#39;"),
  encodeURIComponent,
  (text) => new URLSearchParams({ _: text }).toString().slice(2)
]

// A JSON body echoed in a JSON error field of a JSON answer is three encodings deep.
const maxEncodingDepth = 3

/**
 * A secret as it may appear in a text: itself, and up to three times encoded (JSON, HTML, URL), longest first.
 *
 * @since 0.1.0
 * @category Scrubbing
 */
export const secretForms = (secret: string): ReadonlyArray<string> => {
  const forms = new Set([secret])
  let level: ReadonlyArray<string> = [secret]
  for (let depth = 0; depth < maxEncodingDepth; depth++) {
    const next: Array<string> = []
    for (const form of level) {
      for (const encode of encodings) {
        const encoded = encode(form)
        if (!forms.has(encoded)) {
          forms.add(encoded)
          next.push(encoded)
        }
      }
    }
    level = next
  }
  return Array.from(forms).sort((a, b) => b.length - a.length)
}

/**
 * Replaces every occurrence of the given secrets (the platform token, a password being sent), raw or in a common
 * encoding, with `<redacted>`. Used on anything the server or the transport hands back before it can reach an
 * error, e.g. a proxy page that echoes the request headers and body.
 *
 * @since 0.1.0
 * @category Scrubbing
 */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string =>
  secrets.reduce(
    (acc, secret) =>
      secret.length === 0
        ? acc
        : secretForms(secret).reduce((scrubbed, form) => scrubbed.split(form).join("<redacted>"), acc),
    text
  )

const formatPath = (path: ReadonlyArray<PropertyKey>) =>
  path.length === 0 ? "body" : path.map((key) => typeof key === "number" ? `[${key}]` : String(key)).join(".")

/**
 * One broken rule of a decode failure: where (the keys from the body down) and what, the message already cut of
 * any quoted value by the edition's own formatter.
 *
 * @since 0.1.0
 * @category Models
 */
export interface DecodeIssue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

/**
 * A decode failure as paths and messages only, never the values: the first five issues (each message clipped to 160
 * characters), then how many more there are.
 *
 * @since 0.1.0
 * @category Formatting
 */
export const decodeFailureDetail = (issues: ReadonlyArray<DecodeIssue>): string => {
  const described = issues.slice(0, maxIssues).map((issue) =>
    `${formatPath(issue.path)}: ${clip(issue.message, maxLength)}`
  )
  const more = issues.length > maxIssues ? `; and ${issues.length - maxIssues} more` : ""
  return `the body does not match the schema: ${described.join("; ")}${more}`
}

/**
 * A transport failure's cause, as one short line.
 *
 * @since 0.1.0
 * @category Formatting
 */
export const causeDetail = (cause: unknown): string => {
  if (cause instanceof Error) {
    const code = (cause as { readonly code?: unknown }).code
    const inner = (cause as { readonly cause?: unknown }).cause
    const innerText = inner instanceof Error && inner.message !== cause.message ? ` (${inner.message})` : ""
    return clip(`${cause.message}${innerText}${typeof code === "string" ? ` [${code}]` : ""}`, 300)
  }
  return cause === undefined ? "" : clip(String(cause), 300)
}

/**
 * The URL without user info, query or fragment: enough to tell where the request went.
 *
 * @since 0.1.0
 * @category Formatting
 */
export const describeUrl = (url: string): string => {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  } catch {
    return JSON.stringify(clip(url, 200))
  }
}
