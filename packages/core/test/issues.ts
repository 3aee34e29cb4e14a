// The broken rules of a validation result as `field:rule` strings, or [] when it passed.
import type { Validation } from "@chatwoot-effect/core/PlatformUsersError"
import * as Either from "effect/Either"

export const issuesOf = <A>(result: Either.Either<A, Validation>): Array<string> =>
  Either.isRight(result) ? [] : result.left.issues.map((issue) => `${issue.field}:${issue.rule}`)

export const errorOf = <A>(result: Either.Either<A, Validation>): Validation => Either.getOrThrow(Either.flip(result))
