import type * as PlatformServices from "@chatwoot-effect/core/PlatformServices"
import type * as PlatformWire from "@chatwoot-effect/core/PlatformWire"
import * as PlatformHttp from "@chatwoot-effect/http/PlatformHttp"
import * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { UsageError } from "../ExitCode.js"

/** @internal */
export interface GlobalOptions {
  readonly url: Option.Option<string>
  readonly tokenFile: Option.Option<string>
  readonly json: boolean
  readonly emulator: boolean
}

/** Where the commands send their requests. @internal */
export interface Target {
  readonly baseUrl: string
  readonly apiAccessToken: Redacted.Redacted
  /** From `CHATWOOT_RETRIES`; unset = the client's default. */
  readonly retry?: PlatformHttp.RetryOptions | false | undefined
  /** From `CHATWOOT_TIMEOUT`; unset = the client's default. */
  readonly timeout?: Duration.DurationInput | false | undefined
  /** From `CHATWOOT_TOKEN_HEADER`; unset = the client's default (`api-access-token`). */
  readonly tokenHeader?: PlatformWire.TokenHeader | undefined
}

/**
 * Turns a target into the layer of every Platform API service (users, accounts, account users, agent bots): the
 * live HTTP client by default; tests swap it for fakes.
 *
 * @internal
 */
export class Connector extends Context.Reference<Connector>()("@chatwoot-effect/cli/Connector", {
  defaultValue: () =>
  (
    target: Target
  ): Layer.Layer<PlatformServices.Services, never, HttpClient.HttpClient> =>
    PlatformHttp.layerWithHttpClient({
      baseUrl: target.baseUrl,
      apiAccessToken: target.apiAccessToken,
      retry: target.retry,
      timeout: target.timeout,
      tokenHeader: target.tokenHeader
    })
}) {}

const nonEmpty = (value: Option.Option<string>) => Option.filter(value, (s) => s.trim() !== "")

/** @internal */
export const checkUrl = (url: string, source: string): Effect.Effect<string, UsageError> => {
  const trimmed = url.trim()
  let parsed: URL | undefined
  try {
    parsed = new URL(trimmed)
  } catch {
    parsed = undefined
  }
  return parsed !== undefined && (parsed.protocol === "http:" || parsed.protocol === "https:")
    ? Effect.succeed(trimmed)
    : Effect.fail(
      new UsageError({
        message: `Invalid Chatwoot URL from ${source}: expected an http(s) URL such as https://chatwoot.example.com`
      })
    )
}

/**
 * The Chatwoot URL: `--url`, else `CHATWOOT_URL`. Never falls back to anything else.
 *
 * @internal
 */
export const resolveUrl = (options: GlobalOptions): Effect.Effect<string, UsageError> =>
  Effect.gen(function*() {
    const flag = nonEmpty(options.url)
    if (Option.isSome(flag)) return yield* checkUrl(flag.value, "--url")
    const env = nonEmpty(yield* Config.option(Config.string("CHATWOOT_URL")).pipe(Effect.orElseSucceed(Option.none)))
    if (Option.isSome(env)) return yield* checkUrl(env.value, "CHATWOOT_URL")
    return yield* new UsageError({
      message: "No Chatwoot URL: pass --url https://chatwoot.example.com or set CHATWOOT_URL (or use --emulator)"
    })
  })

/**
 * The platform app's token: the first line of `--token-file FILE`, else `CHATWOOT_PLATFORM_TOKEN`. Never from argv.
 *
 * @internal
 */
export const resolveToken = (
  options: GlobalOptions
): Effect.Effect<Redacted.Redacted, UsageError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    if (Option.isSome(options.tokenFile)) {
      const path = options.tokenFile.value
      const fs = yield* FileSystem.FileSystem
      const content = yield* fs.readFileString(path).pipe(
        Effect.mapError((error) =>
          new UsageError({
            message: `Cannot read --token-file ${path}: ${
              error._tag === "SystemError" ? error.reason : "unreadable"
            }; it must hold the platform app's access token`
          })
        )
      )
      const token = content.split(/\r?\n/)[0]!.trim()
      if (token === "") {
        return yield* new UsageError({
          message: `--token-file ${path} is empty: put the platform app's access token on its first line`
        })
      }
      return Redacted.make(token)
    }
    const env = yield* Config.option(Config.redacted("CHATWOOT_PLATFORM_TOKEN")).pipe(
      Effect.orElseSucceed(Option.none)
    )
    if (Option.isSome(env) && Redacted.value(env.value).trim() !== "") {
      return Redacted.make(Redacted.value(env.value).trim())
    }
    return yield* new UsageError({
      message: "No platform token: pass --token-file FILE or set CHATWOOT_PLATFORM_TOKEN (or use --emulator)"
    })
  })

/**
 * The client's tuning from the environment: `CHATWOOT_RETRIES` (a retry count, or `off`), `CHATWOOT_TIMEOUT` (a
 * per-attempt duration such as `30 seconds`, or `off`) and `CHATWOOT_TOKEN_HEADER` (`api-access-token` or
 * `api_access_token`), read as `PlatformHttp.layerConfig` reads them.
 *
 * @internal
 */
export const resolveTuning: Effect.Effect<Pick<Target, "retry" | "timeout" | "tokenHeader">, UsageError> = Effect.all({
  retry: PlatformHttp.retryConfig(),
  timeout: PlatformHttp.timeoutConfig(),
  tokenHeader: PlatformHttp.tokenHeaderConfig()
}).pipe(Effect.mapError((error) => new UsageError({ message: `Invalid environment: ${String(error)}` })))
