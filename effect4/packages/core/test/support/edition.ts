// The Effect 4 side of packages/core/test/support/edition.ts (see there): what the suites shared by both editions
// need that differs between Effect 3 and Effect 4, under one set of names.
import * as Result from "effect/Result"

import * as path from "node:path"

export * as TestClock from "effect/testing/TestClock"

/** A synchronous success or failure: Effect 3's `Either`, Effect 4's `Result`. */
export type Outcome<A, E> = Result.Result<A, E>

/** The helpers of Outcome the suites use. */
export const Outcome = {
  getOrThrow: Result.getOrThrow,
  isFailure: Result.isFailure,
  isSuccess: Result.isSuccess,
  succeed: Result.succeed,
  fail: Result.fail,
  flip: Result.flip,
  getFailure: Result.getFailure,
  match: <A, E, B, C>(
    outcome: Result.Result<A, E>,
    cases: { readonly onFailure: (e: E) => B; readonly onSuccess: (a: A) => C }
  ): B | C => Result.match(outcome, cases)
} as const

/** The repository's root (a linked suite's own \`__dirname\` is its link's directory). */
export const repositoryRoot = path.join(__dirname, "..", "..", "..", "..", "..")
