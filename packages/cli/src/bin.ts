#!/usr/bin/env node
/**
 * The `chatwoot-platform` executable.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Cli from "./Cli.js"

Cli.main(process.argv).pipe(
  Effect.provide(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici)),
  NodeRuntime.runMain({
    // `main` reports every failure itself; only the exit code is left to set.
    disableErrorReporting: true,
    teardown: (exit, onExit) => onExit(
      Exit.isSuccess(exit) ? (typeof exit.value === "number" ? exit.value : 0) : Exit.isInterrupted(exit) ? 0 : 1
    )
  })
)
