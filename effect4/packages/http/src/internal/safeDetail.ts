/**
 * Text that goes into error details: never a secret, never a raw response value.
 *
 * @internal
 */
import type * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"

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
 * @internal
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
 * @internal
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

// Schema's default messages may quote the offending value (for a User that can be its `access_token`): that part
// is cut, in every message, whichever hook wrote it.
const withoutInput = (message: string): string =>
  message.split("\n")[0]!
    .replace(/,?\s*(?:got|actual)\b[\s\S]*$/, "")
    .replace(/\s+(?:with value|the input)\b[\s\S]*$/, "")
    .replace(/^Invalid data\b[\s\S]*$/, "Invalid data")
    .trim()

const formatter = SchemaIssue.makeFormatterStandardSchemaV1({
  leafHook: (issue) => withoutInput(SchemaIssue.defaultLeafHook(issue)),
  checkHook: (issue) => {
    const message = SchemaIssue.defaultCheckHook(issue)
    return message === undefined ? undefined : withoutInput(message)
  }
})

const pathOf = (path: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined) =>
  (path ?? []).map((segment) => typeof segment === "object" ? segment.key : segment)

/**
 * A decode failure as paths and messages only, never the values.
 *
 * @internal
 */
export const schemaErrorDetail = (error: Schema.SchemaError): string => {
  const issues = formatter(error.issue).issues
  const described = issues.slice(0, maxIssues).map((issue) => {
    const message = withoutInput(issue.message)
    return `${formatPath(pathOf(issue.path))}: ${clip(message === "" ? "invalid" : message, maxLength)}`
  })
  const more = issues.length > maxIssues ? `; and ${issues.length - maxIssues} more` : ""
  return `the body does not match the schema: ${described.join("; ")}${more}`
}

/**
 * A transport failure's cause, as one short line.
 *
 * @internal
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
 * @internal
 */
export const describeUrl = (url: string): string => {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  } catch {
    return JSON.stringify(clip(url, 200))
  }
}
