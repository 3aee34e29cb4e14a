/**
 * The bulk-update engine behind `chatwoot-platform users update --file FILE`.
 *
 * @since 0.1.0
 */
export * as BulkUpdate from "./BulkUpdate.js"

/**
 * The bulk provision behind `chatwoot-platform provision --file FILE` (and `--prune`, the sync).
 *
 * @since 0.3.0
 */
export * as BulkProvision from "./BulkProvision.js"

/**
 * The `chatwoot-platform` command line.
 *
 * @since 0.1.0
 */
export * as Cli from "./Cli.js"

/**
 * The exit codes of `chatwoot-platform` and how failures map to them.
 *
 * @since 0.1.0
 */
export * as ExitCode from "./ExitCode.js"
