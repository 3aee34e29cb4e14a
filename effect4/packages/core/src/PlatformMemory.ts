/**
 * Every Platform API service in memory (`PlatformUsers`, `PlatformAccounts`, `PlatformAccountUsers`,
 * `PlatformAgentBots`), over one in-memory server (`PlatformUsersMemory`: the same server semantics the emulator
 * serves over HTTP), plus its handle to seed and inspect it. Each call checks its payload like the live client
 * (nothing changes on a client-side `Validation`), and server failures become exactly the errors the live client
 * reads from the emulator: swap this layer in for `PlatformHttp.layer` in a test.
 *
 * @since 1.0.0
 */
import * as Arr from "effect/Array"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as PlatformServices from "./PlatformServices.js"
import * as PlatformUsersMemory from "./PlatformUsersMemory.js"

/**
 * @since 1.0.0
 * @category Models
 */
export interface Options extends PlatformUsersMemory.Options {
  /** The token of the app the services call as; by default the first app's. */
  readonly token?: string | Redacted.Redacted<string> | undefined
}

/**
 * Every service in memory, calling as one platform app, plus the {@link PlatformUsersMemory.PlatformUsersMemory}
 * handle of the same server. Every `Effect.provide` of it builds a new server from the seed, one after another or side
 * by side; only a provide nested inside a provide of the same layer value reuses the enclosing one's server (Effect
 * 4's layer memoisation: pass `{ local: true }`, or call `layer` again, for a separate server there).
 *
 * @since 1.0.0
 * @category Layers
 */
export const layer = (
  options?: Options
): Layer.Layer<PlatformServices.Services | PlatformUsersMemory.PlatformUsersMemory> =>
  Layer.effectContext(Effect.gen(function*() {
    const handle = yield* PlatformUsersMemory.make(options)
    const apps = yield* handle.apps
    const token = options?.token ??
      Arr.headNonEmpty(apps as Arr.NonEmptyReadonlyArray<PlatformUsersMemory.AppInfo>).token
    return Context.add(
      PlatformServices.context(handle.callerFor(token)),
      PlatformUsersMemory.PlatformUsersMemory,
      handle
    )
  }))
