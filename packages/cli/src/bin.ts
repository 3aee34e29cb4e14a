#!/usr/bin/env node
/**
 * The `chatwoot-platform` executable.
 *
 * @since 0.1.0
 */
import * as ChatwootHttpClient from "@chatwoot-effect/http/ChatwootHttpClient"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Cli from "./Cli.js"

// undici is half of the bundle and evaluating it is a good part of start-up: this client loads it at the first request,
// so `--help`, usage errors and the emulator never pay for it. The live layer times its attempts out through it.
Cli.main(process.argv).pipe(
  Effect.provide(Layer.mergeAll(NodeContext.layer, ChatwootHttpClient.layerUndici)),
  NodeRuntime.runMain({
    // `main` reports every failure itself; only the exit code is left to set.
    disableErrorReporting: true,
    teardown: (exit, onExit) =>
      onExit(
        Exit.isSuccess(exit)
          ? (typeof exit.value === "number" ? exit.value : 0)
          // Interrupted (SIGINT/SIGTERM): 0, unless the command set its own code (a bulk run stopped early: 130).
          : Exit.isInterrupted(exit)
          ? (typeof process.exitCode === "number" ? process.exitCode : 0)
          : 1
      )
  })
)
