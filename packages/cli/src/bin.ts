#!/usr/bin/env node
/**
 * The `chatwoot-platform` executable.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Cli from "./Cli.js"

// undici is half of the bundle and evaluating it is a good part of start-up: it is loaded at the first request, so
// `--help`, usage errors and the emulator never pay for it. Once loaded, each request costs one more flatMap.
const lazyUndici = Layer.scoped(
  HttpClient.HttpClient,
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    let client: HttpClient.HttpClient | undefined
    const load = yield* Effect.cached(
      Effect.promise(() => import("@effect/platform-node/NodeHttpClient")).pipe(
        Effect.flatMap((module) => Layer.buildWithScope(module.layerUndici, scope)),
        Effect.map((context) => (client = Context.get(context, HttpClient.HttpClient)))
      )
    )
    return HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
      (request) =>
        Effect.flatMap(request, (request) =>
          client !== undefined ? client.execute(request) : Effect.flatMap(load, (client) => client.execute(request))),
      Effect.succeed
    )
  })
)

Cli.main(process.argv).pipe(
  Effect.provide(Layer.mergeAll(NodeContext.layer, lazyUndici)),
  NodeRuntime.runMain({
    // `main` reports every failure itself; only the exit code is left to set.
    disableErrorReporting: true,
    teardown: (exit, onExit) => onExit(
      Exit.isSuccess(exit)
        ? (typeof exit.value === "number" ? exit.value : 0)
        // Interrupted (SIGINT/SIGTERM): 0, unless the command set its own code (a bulk run stopped early: 130).
        : Exit.isInterrupted(exit)
        ? (typeof process.exitCode === "number" ? process.exitCode : 0)
        : 1
    )
  })
)
