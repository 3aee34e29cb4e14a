/**
 * A Schema decode failure as text for an error detail: paths and messages only, never the values. The scrubbing and
 * the formatting are plain TypeScript, in `@chatwoot-effect/contract/SafeDetail`.
 *
 * @internal
 */
import * as SafeDetail from "@chatwoot-effect/contract/SafeDetail"
import * as ParseResult from "effect/ParseResult"

/**
 * A decode failure as paths and messages only. Schema messages quote the offending value after "actual" (for a User
 * that can be its `access_token`), so that part is cut.
 *
 * @internal
 */
export const parseErrorDetail = (error: ParseResult.ParseError): string =>
  SafeDetail.decodeFailureDetail(
    ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
      const message = issue.message.split("\n")[0]!.replace(/,?\s*actual\b[\s\S]*$/, "").trim()
      return { path: issue.path, message: message === "" ? issue._tag : message }
    })
  )
