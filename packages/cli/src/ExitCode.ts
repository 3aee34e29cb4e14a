/**
 * The exit codes of `chatwoot-platform`, and the one place that turns a failure into a sentence on stderr and a
 * code. Every error kind has its own code so that scripts can branch on it.
 *
 * @since 0.1.0
 */
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { oneLine } from "./internal/helpText.js"

/**
 * | code | meaning |
 * | ---- | ------- |
 * | 0 | success |
 * | 1 | unexpected defect (a bug: please report it) |
 * | 2 | usage or configuration: bad flags, missing URL or token, unreadable file, bad seed file |
 * | 3 | validation: the payload breaks Chatwoot's rules (checked locally, or Chatwoot's 422) |
 * | 4 | unauthorized: Chatwoot rejected the platform token (401 Invalid access_token): wrong, or dropped by a proxy |
 * | 5 | not permitted: the platform app has no permission on the user, account or agent bot (401 Non permissible resource) |
 * | 6 | not found: no such user, account or agent bot (404) |
 * | 7 | rate limited (429), after any retries |
 * | 8 | server error (5xx) |
 * | 9 | network error or timeout |
 * | 10 | unexpected response (a status or body outside the contract: wrong URL, proxy...) |
 * | 11 | bulk run (update, provision) finished but some records failed or were invalid |
 * | 130 | bulk run stopped by Ctrl-C (SIGINT) before the end of the file: rerun with the same `--journal` |
 *
 * @since 0.1.0
 * @category Constants
 */
export const ExitCode = {
  Ok: 0,
  Defect: 1,
  Usage: 2,
  Validation: 3,
  InvalidToken: 4,
  NotPermitted: 5,
  NotFound: 6,
  RateLimited: 7,
  ServerError: 8,
  Network: 9,
  UnexpectedResponse: 10,
  PartialFailure: 11,
  Interrupted: 130
} as const

/**
 * @since 0.1.0
 * @category Models
 */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode]

/**
 * A usage or configuration problem the command found itself (exit code 2). The message is one sentence that says
 * how to fix it.
 *
 * @since 0.1.0
 * @category Errors
 */
export class UsageError extends Schema.TaggedError<UsageError>("@chatwoot-effect/cli/UsageError")("UsageError", {
  message: Schema.String
}) {}

/**
 * A command that already reported its outcome and only needs the process to end with `code` (e.g. a bulk update
 * where some rows failed).
 *
 * @since 0.1.0
 * @category Errors
 */
export class ExitWith extends Schema.TaggedError<ExitWith>("@chatwoot-effect/cli/ExitWith")("ExitWith", {
  code: Schema.Int,
  message: Schema.optional(Schema.String)
}) {}

const platformCode = (error: PlatformUsersError.PlatformUsersError): ExitCode => {
  switch (error._tag) {
    case "Validation":
      return ExitCode.Validation
    case "Unauthorized":
      return error.reason === "InvalidToken" ? ExitCode.InvalidToken : ExitCode.NotPermitted
    case "NotFound":
      return ExitCode.NotFound
    case "RateLimited":
      return ExitCode.RateLimited
    case "ServerError":
      return ExitCode.ServerError
    case "TransportError":
      return error.reason === "InvalidUrl" ? ExitCode.Usage : ExitCode.Network
    case "UnexpectedResponse":
      return ExitCode.UnexpectedResponse
  }
}

const platformTags: ReadonlySet<string> = new Set([
  "Validation",
  "Unauthorized",
  "NotFound",
  "RateLimited",
  "ServerError",
  "TransportError",
  "UnexpectedResponse"
])

const isPlatformUsersError = (u: unknown): u is PlatformUsersError.PlatformUsersError =>
  Predicate.isTagged(u, (u as { _tag: string })._tag) && platformTags.has((u as { _tag: string })._tag)

/**
 * The exit code and the stderr sentence for a failure. `message` is `undefined` when the failure was already
 * reported (a bulk update's summary).
 *
 * @since 0.1.0
 * @category Reporting
 */
export const describe = (error: unknown): { readonly code: ExitCode; readonly message: string | undefined } => {
  if (ValidationError.isValidationError(error)) {
    // @effect/cli's own parse errors (the CLI checks the command line first, so these are rare), made one line.
    const text = "error" in error ? oneLine(error.error) : ""
    return { code: ExitCode.Usage, message: text === "" ? "invalid command line (see chatwoot-platform --help)" : text }
  }
  if (error instanceof UsageError) return { code: ExitCode.Usage, message: error.message }
  // An ExitWith without a message has already reported its outcome (Error's message then is "", not undefined).
  if (error instanceof ExitWith) return { code: error.code as ExitCode, message: error.message || undefined }
  if (isPlatformUsersError(error)) return { code: platformCode(error), message: error.message }
  // Provisioning names the step that failed and what came before; the code is its Platform API error's.
  if (
    Predicate.isTagged(error, "ProvisioningError") && Predicate.hasProperty(error, "cause") &&
    isPlatformUsersError(error.cause)
  ) {
    return { code: platformCode(error.cause), message: String((error as { message?: unknown }).message) }
  }
  if (Predicate.isTagged(error, "EmulatorError") && Predicate.hasProperty(error, "message")) {
    return { code: ExitCode.Usage, message: String(error.message) }
  }
  if (Predicate.isTagged(error, "BulkError") && Predicate.hasProperty(error, "reason")) {
    return {
      code: error.reason === "InvalidToken" ? ExitCode.InvalidToken : ExitCode.Usage,
      message: String((error as { message?: unknown }).message)
    }
  }
  if (Predicate.hasProperty(error, "_tag") && Predicate.hasProperty(error, "message")) {
    const tag = String(error._tag)
    // Typed errors of other modules (bulk engine, emulator, file system): their message is written for people.
    const code = tag === "SystemError" || tag === "BadArgument" || /Seed|Config|Usage|Input/.test(tag)
      ? ExitCode.Usage
      : ExitCode.Defect
    return { code, message: String(error.message) }
  }
  return {
    code: ExitCode.Defect,
    message: `unexpected error: ${error instanceof Error ? error.message : String(error)}`
  }
}

/**
 * Prints the failure's sentence on stderr (prefixed with the program name) and returns its exit code.
 *
 * @since 0.1.0
 * @category Reporting
 */
export const report = (error: unknown): Effect.Effect<ExitCode> => {
  const { code, message } = describe(error)
  return message === undefined
    ? Effect.succeed(code)
    : Console.error(`chatwoot-platform: ${message}`).pipe(Effect.as(code))
}
