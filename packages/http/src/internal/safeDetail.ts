/**
 * Text that goes into error details: never a secret, never a raw response value.
 *
 * @internal
 */
import * as ParseResult from "effect/ParseResult"

const maxIssues = 5
const maxLength = 160

const clip = (text: string, length: number) => text.length > length ? `${text.slice(0, length)}...` : text

/**
 * Replaces every occurrence of the given secrets (the platform token, a password being sent) with `<redacted>`.
 * Used on anything the server or the transport hands back before it can reach an error, e.g. a proxy page that echoes
 * the request headers.
 *
 * @internal
 */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string =>
  secrets.reduce((acc, secret) => secret.length === 0 ? acc : acc.split(secret).join("<redacted>"), text)

const formatPath = (path: ReadonlyArray<PropertyKey>) =>
  path.length === 0 ? "body" : path.map((key) => typeof key === "number" ? `[${key}]` : String(key)).join(".")

/**
 * A decode failure as paths and messages only. Schema messages quote the offending value after "actual" (for a User
 * that can be its `access_token`), so that part is cut.
 *
 * @internal
 */
export const parseErrorDetail = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const described = issues.slice(0, maxIssues).map((issue) => {
    const message = issue.message.split("\n")[0]!.replace(/,?\s*actual\b[\s\S]*$/, "").trim()
    return `${formatPath(issue.path)}: ${clip(message === "" ? issue._tag : message, maxLength)}`
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
