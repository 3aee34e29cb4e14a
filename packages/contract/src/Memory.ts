/**
 * The plain parts of the in-memory server: the requests it runs and the answers it gives, how a routed request's
 * parameters are parsed, and the snapshots of its state that tests read.
 *
 * @since 0.1.0
 */
import type { AccountRow, AgentBotRow, AppRow, Permissions, Request as UserRequest, State, UserRow } from "./Engine.js"
import { isGranted, membershipsOf } from "./Engine.js"
import type { ResourceOperation } from "./Operations.js"
import * as RailsParams from "./RailsParams.js"
import type { Route } from "./Routes.js"
import type { AccountSnapshot, AgentBotSnapshotOf, AppInfoOf, UserSnapshot } from "./Snapshots.js"

export type {
  /**
   * A users request as the controller sees it: the operation, the raw `:id` path segment and the raw params
   * (top-level keys of the JSON body merged with the query string). Permitting and casting happen inside. The
   * engine's own request type.
   *
   * @since 0.1.0
   * @category Models
   */
  Request as UserRequest,
  /**
   * A 200 answer: `body` is the JSON text in Chatwoot's key order, `""` for the deletes and `accountUsers.remove`.
   *
   * @since 0.1.0
   * @category Models
   */
  Success
} from "./Engine.js"

/**
 * An accounts, account-users or agent-bots request: the operation, the raw path segments (`id` of an account or a
 * bot, `account_id` for account users) and the raw params (top-level body keys merged with the query string, so
 * `accountUsers.remove` finds `user_id` in either). Missing params are none.
 *
 * @since 0.1.0
 * @category Models
 */
export interface ResourceRequest {
  readonly operation: ResourceOperation
  readonly path?: { readonly id?: string | undefined; readonly account_id?: string | undefined } | undefined
  readonly params?: Readonly<Record<string, unknown>> | undefined
}

/**
 * Any request the in-memory server runs.
 *
 * @since 0.1.0
 * @category Models
 */
export type Request = UserRequest | ResourceRequest

/**
 * The request of one route of the table: its operation, the raw path segment(s) and the params. What the emulator
 * builds from a routed HTTP request and the in-memory services from a call.
 *
 * @since 0.1.0
 * @category Models
 */
export const requestOf = (
  route: Pick<Route, "operation" | "service">,
  path: { readonly id?: string | undefined; readonly account_id?: string | undefined },
  params: Readonly<Record<string, unknown>>
): Request =>
  route.service === "PlatformUsers"
    // Create ignores the id; the member routes read it.
    ? { operation: route.operation, id: path.id ?? "", params } as UserRequest
    : { operation: route.operation as ResourceOperation, path, params }

/**
 * Whether a request is for accounts, account users or agent bots (their operations are `<resource>.<name>`).
 *
 * @since 0.1.0
 * @category Guards
 */
export const isResourceRequest = (request: Request): request is ResourceRequest => request.operation.includes(".")

/**
 * A multipart file part with these bytes (its content type is sniffed from them, as Active Storage does).
 *
 * @since 0.1.0
 * @category Constructors
 */
export const uploadedFile = (
  bytes: Uint8Array,
  options?: { readonly contentType?: string | undefined; readonly filename?: string | undefined }
): RailsParams.UploadedFile => ({
  _tag: "UploadedFile",
  bytes,
  ...(options?.contentType === undefined ? {} : { contentType: options.contentType }),
  ...(options?.filename === undefined ? {} : { filename: options.filename })
})

/**
 * A request's parameters, or `Malformed` for a body that does not parse.
 *
 * @since 0.1.0
 * @category Models
 */
export type ParsedParams =
  | { readonly _tag: "Params"; readonly params: Readonly<Record<string, unknown>> }
  | { readonly _tag: "Malformed" }

/**
 * Parses a request's parameters the way Rails does: a JSON body when the content type is JSON (`Malformed` when it
 * does not parse), a form-encoded body, a `multipart/form-data` body (from `bytes`: file parts become uploaded files,
 * as an avatar upload needs; `Malformed` when it does not follow its boundary), and the query string on top.
 *
 * @since 0.1.0
 * @category Server
 */
export const parseRequestParams = (options: {
  readonly contentType: string | undefined
  readonly body: string
  readonly search: string
  /** The raw body, read for a multipart one (a file's bytes do not survive decoding as text). */
  readonly bytes?: Uint8Array | undefined
}): ParsedParams => {
  const body = RailsParams.isMultipartContentType(options.contentType)
    ? RailsParams.parseMultipart(options.contentType, options.bytes ?? new TextEncoder().encode(options.body))
    : RailsParams.parseBody(options.contentType, options.body)
  if (body._tag === "Malformed") return { _tag: "Malformed" }
  const query = RailsParams.parseNestedQuery(options.search.replace(/^\?/, ""))
  return { _tag: "Params", params: RailsParams.mergeParams(body.params, query) }
}

/**
 * An app row as its snapshot, its token wrapped by `wrap` (a secret).
 *
 * @since 0.1.0
 * @category Snapshots
 */
export const appInfo = <Token>(row: AppRow, wrap: (token: string) => Token): AppInfoOf<Token> => ({
  id: row.id,
  name: row.name,
  token: wrap(row.token)
})

/**
 * The names of the apps holding a permission on the record, in app order.
 *
 * @since 0.1.0
 * @category Snapshots
 */
export const appsHolding = (state: State, permissions: Permissions, id: number): Array<string> =>
  state.apps.filter((app) => isGranted(permissions, app.id, id)).map((app) => app.name)

/**
 * A user as tests see it: its memberships with their accounts' names, and the apps that may manage it.
 *
 * @since 0.1.0
 * @category Snapshots
 */
export const userSnapshot = (state: State, user: UserRow): UserSnapshot => ({
  id: user.id,
  name: user.name,
  display_name: user.display_name,
  email: user.email,
  uid: user.uid,
  provider: user.provider,
  access_token: user.access_token,
  pubsub_token: user.pubsub_token,
  confirmed: user.confirmed,
  custom_attributes: user.custom_attributes,
  accounts: membershipsOf(state, user.id).map((row) => ({
    id: row.account_id,
    name: state.accounts.get(row.account_id)!.name,
    role: row.role,
    active_at: row.active_at
  })),
  apps: appsHolding(state, state.permissions, user.id)
})

/**
 * An account as tests see it: the apps holding it and whether its delete is queued.
 *
 * @since 0.1.0
 * @category Snapshots
 */
export const accountSnapshot = (state: State, account: AccountRow): AccountSnapshot => ({
  ...account,
  apps: appsHolding(state, state.accountPermissions, account.id),
  deletePending: state.pendingAccountDeletes.includes(account.id)
})

/**
 * An agent bot as tests see it, its access token wrapped by `wrap` (a secret).
 *
 * @since 0.1.0
 * @category Snapshots
 */
export const agentBotSnapshot = <Token>(
  state: State,
  bot: AgentBotRow,
  wrap: (token: string) => Token
): AgentBotSnapshotOf<Token> => ({
  id: bot.id,
  name: bot.name,
  description: bot.description,
  outgoing_url: bot.outgoing_url,
  account_id: bot.account_id,
  access_token: wrap(bot.access_token),
  avatar: bot.avatar,
  avatar_url_jobs: bot.avatar_url_jobs,
  apps: appsHolding(state, state.botPermissions, bot.id)
})
