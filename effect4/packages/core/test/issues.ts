// The broken rules of a validation result as `field:rule` strings, or [] when it passed.
import type { Validation } from "@chatwoot-effect/core/PlatformUsersError"
import * as Result from "effect/Result"

export const issuesOf = <A>(result: Result.Result<A, Validation>): Array<string> =>
  Result.isSuccess(result) ? [] : result.failure.issues.map((issue) => `${issue.field}:${issue.rule}`)

export const errorOf = <A>(result: Result.Result<A, Validation>): Validation => Result.getOrThrow(Result.flip(result))
