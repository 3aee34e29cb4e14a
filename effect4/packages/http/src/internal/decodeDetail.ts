/**
 * A Schema decode failure as text for an error detail: paths and messages only, never the values. The scrubbing and
 * the formatting are plain TypeScript, in `@chatwoot-effect/contract/SafeDetail`.
 *
 * @internal
 */
import * as SafeDetail from "@chatwoot-effect/contract/SafeDetail"
import type * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"

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
export const schemaErrorDetail = (error: Schema.SchemaError): string =>
  SafeDetail.decodeFailureDetail(
    formatter(error.issue).issues.map((issue) => {
      const message = withoutInput(issue.message)
      return { path: pathOf(issue.path), message: message === "" ? "invalid" : message }
    })
  )
