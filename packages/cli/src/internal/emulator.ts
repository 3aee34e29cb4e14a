import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import * as PlatformUsersEmulator from "@chatwoot-effect/http/PlatformUsersEmulator"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { UsageError } from "../ExitCode.js"
import type { Target } from "./connection.js"

/**
 * The platform token of the demo app behind `--emulator`. A throwaway test token of a local emulator, so it may be
 * shown: it opens nothing real.
 *
 * @internal
 */
export const demoToken = "emulator-demo-token"

/**
 * The data behind `--emulator`: one platform app, demo account 1, demo agent bot 1 and demo user 1 (an administrator
 * of the account), all of which the app may manage, so that every command has something to act on.
 *
 * @internal
 */
export const demoSeed: PlatformUsersMemory.Seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "demo", token: demoToken }],
  accounts: [{ id: 1, name: "Demo Account", apps: ["demo"] }],
  agent_bots: [{
    id: 1,
    name: "Demo Bot",
    description: "A bot of the demo account",
    outgoing_url: "https://bots.example.com/demo",
    account_id: 1,
    apps: ["demo"]
  }],
  users: [{
    id: 1,
    name: "Demo User",
    email: "demo@example.com",
    display_name: "Demo",
    custom_attributes: { plan: "free" },
    apps: ["demo"],
    accounts: [{ id: 1, role: "administrator" }]
  }]
}))

/**
 * Starts a throwaway emulator on 127.0.0.1, a free port, seeded with the demo data, for the scope's lifetime.
 *
 * @internal
 */
export const startDemo: Effect.Effect<Target, UsageError, Scope.Scope> = PlatformUsersEmulator.serve({
  host: "127.0.0.1",
  port: 0,
  seed: demoSeed
}).pipe(
  Effect.map(({ url }): Target => ({ baseUrl: url, apiAccessToken: Redacted.make(demoToken) })),
  Effect.mapError((error) => new UsageError({ message: `--emulator: ${error.message}` }))
)

/**
 * Reads and checks a seed file; every problem is one sentence naming the file and the bad entry.
 *
 * @internal
 */
export const loadSeed = (path: string): Effect.Effect<PlatformUsersMemory.Seed, UsageError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(path).pipe(
      Effect.mapError((error) =>
        new UsageError({
          message: `Cannot read --seed ${path}: ${error._tag === "SystemError" ? error.reason : error.message}`
        })
      )
    )
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      return yield* new UsageError({
        message: `--seed ${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`
      })
    }
    const seed = PlatformUsersMemory.decodeSeed(json)
    if (Either.isLeft(seed)) return yield* new UsageError({ message: `--seed ${path}: ${seed.left.message}` })
    return seed.right
  })
