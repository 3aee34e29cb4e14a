/**
 * Reading the command line's values: record ids, `KEY=VALUE` pairs and JSON objects. A bad value is a usage error
 * (exit 2) that names the argument and the rule, found before anything is sent; whether a value breaks Chatwoot's
 * rules (a feature name, a limit key, a locale) is left to the payload's validation (exit 3).
 *
 * @internal
 */
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as Args from "@effect/cli/Args"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as ExitCode from "../ExitCode.js"

const parseId = <A>(schema: Schema.Schema<A, number>, text: string): Option.Option<A> => {
  const id = /^\d+$/.test(text) ? Number(text) : Number.NaN
  return Schema.is(schema)(id) ? Option.some(id as A) : Option.none()
}

/**
 * A positional record id, e.g. `<id>` (a Chatwoot account id). Text parsed here rather than `Args.integer`:
 * @effect/cli's errors do not name the argument ("'abc' is not a integer").
 *
 * @internal
 */
export const idArg = <A>(name: string, what: string, schema: Schema.Schema<A, number>) =>
  Args.text({ name }).pipe(
    Args.withDescription(`${what.charAt(0).toUpperCase()}${what.slice(1)} (a positive integer)`),
    Args.mapEffect((text) =>
      Option.match(parseId(schema, text), {
        onNone: () => Effect.fail(HelpDoc.p(`<${name}> must be a positive integer (${what}), got '${text}'`)),
        onSome: Effect.succeed
      })
    )
  )

/**
 * An option whose value is a record id, e.g. `--user USER_ID`.
 *
 * @internal
 */
export const idOption = <A>(name: string, what: string, schema: Schema.Schema<A, number>, description: string) =>
  Options.text(name).pipe(
    Options.withDescription(description),
    Options.mapEffect((text) =>
      Option.match(parseId(schema, text), {
        onNone: () =>
          Effect.fail(
            ValidationError.invalidValue(HelpDoc.p(`--${name} must be a positive integer (${what}), got '${text}'`))
          ),
        onSome: Effect.succeed
      })
    )
  )

const usage = (message: string) => new ExitCode.UsageError({ message })

/** `KEY=VALUE` split at the first `=`; the key must not be empty. */
const splitPair = (flag: string, example: string, pair: string) => {
  const eq = pair.indexOf("=")
  return eq <= 0
    ? Either.left(usage(`${flag} expects ${example}, got '${pair}'`))
    : Either.right([pair.slice(0, eq), pair.slice(eq + 1)] as const)
}

/**
 * A JSON object from `--custom-attributes`, then each `--custom-attribute KEY=VALUE` (a string) on top. `None`
 * when neither was given.
 *
 * @internal
 */
export const parseCustomAttributes = (
  jsonText: Option.Option<string>,
  pairs: ReadonlyArray<string>
): Effect.Effect<Option.Option<Record<string, unknown>>, ExitCode.UsageError> =>
  Effect.gen(function*() {
    if (Option.isNone(jsonText) && pairs.length === 0) return Option.none()
    // Entries, not assignments: a key `__proto__` stays a key.
    const attributes = new Map<string, unknown>()
    if (Option.isSome(jsonText)) {
      let parsed: unknown
      try {
        parsed = JSON.parse(jsonText.value)
      } catch (error) {
        return yield* usage(
          `--custom-attributes is not valid JSON (${
            error instanceof Error ? error.message : String(error)
          }): pass a JSON object such as '{"plan":"pro"}'`
        )
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        return yield* usage(
          `--custom-attributes must be a JSON object such as '{"plan":"pro"}', not ${
            Array.isArray(parsed) ? "an array" : parsed === null ? "null" : `a ${typeof parsed}`
          }`
        )
      }
      for (const [key, value] of Object.entries(parsed)) attributes.set(key, value)
    }
    for (const pair of pairs) {
      const [key, value] = yield* splitPair("--custom-attribute", "KEY=VALUE (e.g. --custom-attribute plan=pro)", pair)
      attributes.set(key, value)
    }
    return Option.some(Object.fromEntries(attributes))
  })

const switches: Readonly<Record<string, boolean>> = { on: true, true: true, off: false, false: false }

/**
 * `--feature NAME=on|off` pairs (also `true`/`false`, any case) as `features`; the last pair for a name wins. Only
 * booleans go out: Chatwoot turns a flag **on** for `"false"` or `0`. Whether each name is one of Chatwoot's flags
 * is the payload validation's to say.
 *
 * @internal
 */
export const parseFeatures = (
  pairs: ReadonlyArray<string>
): Effect.Effect<Option.Option<Record<string, boolean>>, ExitCode.UsageError> =>
  Effect.gen(function*() {
    if (pairs.length === 0) return Option.none()
    const features = new Map<string, boolean>()
    for (const pair of pairs) {
      const [name, value] = yield* splitPair("--feature", "NAME=on or NAME=off (e.g. --feature help_center=on)", pair)
      const enabled = switches[value.trim().toLowerCase()]
      if (enabled === undefined) {
        return yield* usage(`--feature ${name}: the value must be on or off (or true/false), got '${value}'`)
      }
      features.set(name, enabled)
    }
    return Option.some(Object.fromEntries(features))
  })

/**
 * `--limit KEY=N` pairs as `limits`, N a non-negative integer; the last pair for a key wins. Which keys Chatwoot
 * takes is the payload validation's to say.
 *
 * @internal
 */
export const parseLimits = (
  pairs: ReadonlyArray<string>
): Effect.Effect<Option.Option<Record<string, number>>, ExitCode.UsageError> =>
  Effect.gen(function*() {
    if (pairs.length === 0) return Option.none()
    const limits = new Map<string, number>()
    for (const pair of pairs) {
      const [key, value] = yield* splitPair("--limit", "KEY=N (e.g. --limit agents=5)", pair)
      const limit = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN
      if (!Number.isSafeInteger(limit)) {
        return yield* usage(`--limit ${key}: the value must be a non-negative integer, got '${value}'`)
      }
      limits.set(key, limit)
    }
    return Option.some(Object.fromEntries(limits))
  })

/** A payload check's result as an Effect: the `Validation` (exit 3) names every field and rule. @internal */
export const validated = <A>(result: Either.Either<A, PlatformUsersError.Validation>) =>
  Either.isRight(result) ? Effect.succeed(result.right) : Effect.fail(result.left)

/** `{ [key]: value }` when the option is set, `{}` otherwise: for building payloads field by field. @internal */
export const field = <K extends string, A>(key: K, value: Option.Option<A>): { [P in K]?: A } =>
  (Option.isSome(value) ? { [key]: value.value } : {}) as { [P in K]?: A }

/**
 * A nullable text field: `--x VALUE` sets it, `--clear-x` sends `null`; both is a usage error.
 *
 * @internal
 */
export const clearable = <K extends string>(
  key: K,
  flag: string,
  value: Option.Option<string>,
  clear: boolean
): Effect.Effect<{ [P in K]?: string | null }, ExitCode.UsageError> =>
  Option.isSome(value) && clear
    ? Effect.fail(usage(`--${flag} and --clear-${flag} contradict each other: pass one of them`))
    : Effect.succeed((clear ? { [key]: null } : field(key, value)) as { [P in K]?: string | null })
