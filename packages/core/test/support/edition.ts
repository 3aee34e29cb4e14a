// What the suites shared by both editions need that differs between Effect 3 and Effect 4, under one set of names:
// this is the Effect 3 side; effect4/packages/core/test/support/edition.ts is the Effect 4 side. A shared suite lives
// here in packages/core/test and is a symbolic link in effect4/packages/core/test, where its imports (`effect/*`,
// `../src/*`, `./support/*`) resolve to the Effect 4 edition (both test configs preserve symbolic links).
import * as Either from "effect/Either"

import * as path from "node:path"

export * as TestClock from "effect/TestClock"

/** A synchronous success or failure: Effect 3's `Either`, Effect 4's `Result`. */
export type Outcome<A, E> = Either.Either<A, E>

/** The helpers of Outcome the suites use. */
export const Outcome = {
  getOrThrow: Either.getOrThrow,
  isFailure: Either.isLeft,
  isSuccess: Either.isRight,
  succeed: Either.right,
  fail: Either.left,
  flip: Either.flip,
  getFailure: Either.getLeft,
  match: <A, E, B, C>(
    outcome: Either.Either<A, E>,
    cases: { readonly onFailure: (e: E) => B; readonly onSuccess: (a: A) => C }
  ): B | C => Either.match(outcome, { onLeft: cases.onFailure, onRight: cases.onSuccess })
} as const

/** The repository's root (a linked suite's own \`__dirname\` is its link's directory). */
export const repositoryRoot = path.join(__dirname, "..", "..", "..", "..")
