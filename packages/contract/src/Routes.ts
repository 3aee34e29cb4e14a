/**
 * The route table of the Platform API, its plain part: for each operation the method, the path pattern and its
 * parameter, the kind of record, what the route can raise (as error tag names) and whether a retry is safe. Each
 * edition attaches its own request and response schemas to these routes, by operation.
 *
 * @since 0.1.0
 */
import type { Operation, ResourceKind } from "./Operations.js"
import type { Method, PathParams } from "./Wire.js"
import { apiPrefix } from "./Wire.js"

/**
 * The services the routes belong to, as their spans are named (`PlatformAccounts.create`...).
 *
 * @since 0.1.0
 * @category Routes
 */
export type ServiceName = "PlatformUsers" | "PlatformAccounts" | "PlatformAccountUsers" | "PlatformAgentBots"

/**
 * The tags of the errors a call can end with.
 *
 * @since 0.1.0
 * @category Routes
 */
export type ErrorTag =
  | "Unauthorized"
  | "Validation"
  | "NotFound"
  | "RateLimited"
  | "ServerError"
  | "TransportError"
  | "UnexpectedResponse"

/**
 * The errors every call can end with, whatever the route.
 *
 * @since 0.1.0
 * @category Routes
 */
export const commonErrorTags = [
  "Unauthorized",
  "RateLimited",
  "ServerError",
  "TransportError",
  "UnexpectedResponse"
] as const satisfies ReadonlyArray<ErrorTag>

/**
 * One route of the Platform API, without schemas.
 *
 * @since 0.1.0
 * @category Routes
 */
export interface Route<Name extends Operation = Operation> {
  readonly operation: Name
  readonly service: ServiceName
  readonly method: Method
  /** The path under `apiPrefix`, with `:id` / `:account_id` placeholders. */
  readonly pattern: string
  /**
   * The kind of record the route handles. On a member route it is the record the path names (`:id`, or `:account_id`
   * for account users): what a 404 and a 401 are about.
   */
  readonly resource: ResourceKind
  /** The path parameter, on a member route. */
  readonly param: keyof PathParams | undefined
  /** Whether the route takes a JSON body (or, for `query` keys, its parameters). */
  readonly hasPayload: boolean
  /** Payload keys sent in the query string instead of a body (a DELETE body is dropped by many stacks). */
  readonly query: ReadonlyArray<string>
  /** Whether the success answer has a body; `false` for `head :ok` (200 with an empty body). */
  readonly hasResponse: boolean
  /** Beyond the errors of every call: whether the route can answer 404 (a member route) and 422. */
  readonly raises: { readonly notFound: boolean; readonly validation: boolean }
  /** Every error the route can end with, by tag: {@link commonErrorTags}, then `NotFound` and `Validation` if raised. */
  readonly errorTags: ReadonlyArray<ErrorTag>
  /**
   * `safe`: repeating the request after a lost answer does no harm (PLATFORM.md §8.2). `unsafe`: each accepted
   * request creates a new record, so it is retried only when Chatwoot surely did not act on it (a 429, or a connection
   * that failed before anything was sent).
   */
  readonly retry: "safe" | "unsafe"
}

const route = <const Name extends Operation>(spec: {
  readonly operation: Name
  readonly service: ServiceName
  readonly method: Method
  readonly pattern: string
  readonly resource: ResourceKind
  readonly payload?: boolean | undefined
  readonly query?: ReadonlyArray<string> | undefined
  readonly response?: boolean | undefined
  readonly validation?: boolean | undefined
  readonly retry?: "safe" | "unsafe" | undefined
}): Route<Name> => {
  const param = /:(id|account_id)\b/.exec(spec.pattern)?.[1] as keyof PathParams | undefined
  const hasPayload = spec.payload ?? false
  const raises = { notFound: param !== undefined, validation: spec.validation ?? hasPayload }
  return {
    operation: spec.operation,
    service: spec.service,
    method: spec.method,
    pattern: spec.pattern,
    resource: spec.resource,
    param,
    hasPayload,
    query: spec.query ?? [],
    hasResponse: spec.response ?? false,
    raises,
    errorTags: [
      ...commonErrorTags,
      ...(raises.notFound ? ["NotFound" as const] : []),
      ...(raises.validation ? ["Validation" as const] : [])
    ],
    retry: spec.retry ?? "safe"
  }
}

/**
 * The users routes (BEHAVIOUR.md). `create` is find-or-create by email, so even it is safe to repeat.
 *
 * @since 0.1.0
 * @category Routes
 */
export const userRoutes = {
  create: route({
    operation: "create",
    service: "PlatformUsers",
    method: "POST",
    pattern: "/users",
    resource: "user",
    payload: true,
    response: true
  }),
  get: route({
    operation: "get",
    service: "PlatformUsers",
    method: "GET",
    pattern: "/users/:id",
    resource: "user",
    response: true
  }),
  update: route({
    operation: "update",
    service: "PlatformUsers",
    method: "PATCH",
    pattern: "/users/:id",
    resource: "user",
    payload: true,
    response: true
  }),
  delete: route({
    operation: "delete",
    service: "PlatformUsers",
    method: "DELETE",
    pattern: "/users/:id",
    resource: "user"
  }),
  loginUrl: route({
    operation: "loginUrl",
    service: "PlatformUsers",
    method: "GET",
    pattern: "/users/:id/login",
    resource: "user",
    response: true
  }),
  token: route({
    operation: "token",
    service: "PlatformUsers",
    method: "POST",
    pattern: "/users/:id/token",
    resource: "user",
    response: true
  })
}

/**
 * The accounts routes (PLATFORM.md §3). `create` makes a new account for each accepted request: not safe to repeat.
 *
 * @since 0.1.0
 * @category Routes
 */
export const accountRoutes = {
  "accounts.list": route({
    operation: "accounts.list",
    service: "PlatformAccounts",
    method: "GET",
    pattern: "/accounts",
    resource: "account",
    response: true
  }),
  "accounts.create": route({
    operation: "accounts.create",
    service: "PlatformAccounts",
    method: "POST",
    pattern: "/accounts",
    resource: "account",
    payload: true,
    response: true,
    retry: "unsafe"
  }),
  "accounts.get": route({
    operation: "accounts.get",
    service: "PlatformAccounts",
    method: "GET",
    pattern: "/accounts/:id",
    resource: "account",
    response: true
  }),
  "accounts.update": route({
    operation: "accounts.update",
    service: "PlatformAccounts",
    method: "PATCH",
    pattern: "/accounts/:id",
    resource: "account",
    payload: true,
    response: true
  }),
  "accounts.delete": route({
    operation: "accounts.delete",
    service: "PlatformAccounts",
    method: "DELETE",
    pattern: "/accounts/:id",
    resource: "account"
  })
}

/**
 * The account users routes (PLATFORM.md §4), all on the account (`:account_id`): a 404 and a 401 are about it, never
 * about the user. `add` is an upsert and `remove` always answers 200, so both are safe to repeat.
 *
 * @since 0.1.0
 * @category Routes
 */
export const accountUserRoutes = {
  "accountUsers.list": route({
    operation: "accountUsers.list",
    service: "PlatformAccountUsers",
    method: "GET",
    pattern: "/accounts/:account_id/account_users",
    resource: "account",
    response: true
  }),
  "accountUsers.add": route({
    operation: "accountUsers.add",
    service: "PlatformAccountUsers",
    method: "POST",
    pattern: "/accounts/:account_id/account_users",
    resource: "account",
    payload: true,
    response: true
  }),
  "accountUsers.remove": route({
    operation: "accountUsers.remove",
    service: "PlatformAccountUsers",
    method: "DELETE",
    pattern: "/accounts/:account_id/account_users",
    resource: "account",
    payload: true,
    // Many stacks drop a DELETE's body (PLATFORM.md §8.4).
    query: ["user_id"],
    validation: false
  })
}

/**
 * The agent bots routes (PLATFORM.md §5). `create` makes a new bot for each accepted request: not safe to repeat.
 *
 * @since 0.1.0
 * @category Routes
 */
export const agentBotRoutes = {
  "agentBots.list": route({
    operation: "agentBots.list",
    service: "PlatformAgentBots",
    method: "GET",
    pattern: "/agent_bots",
    resource: "agent_bot",
    response: true
  }),
  "agentBots.create": route({
    operation: "agentBots.create",
    service: "PlatformAgentBots",
    method: "POST",
    pattern: "/agent_bots",
    resource: "agent_bot",
    payload: true,
    response: true,
    retry: "unsafe"
  }),
  "agentBots.get": route({
    operation: "agentBots.get",
    service: "PlatformAgentBots",
    method: "GET",
    pattern: "/agent_bots/:id",
    resource: "agent_bot",
    response: true
  }),
  "agentBots.update": route({
    operation: "agentBots.update",
    service: "PlatformAgentBots",
    method: "PATCH",
    pattern: "/agent_bots/:id",
    resource: "agent_bot",
    payload: true,
    response: true
  }),
  "agentBots.delete": route({
    operation: "agentBots.delete",
    service: "PlatformAgentBots",
    method: "DELETE",
    pattern: "/agent_bots/:id",
    resource: "agent_bot"
  }),
  "agentBots.deleteAvatar": route({
    operation: "agentBots.deleteAvatar",
    service: "PlatformAgentBots",
    method: "DELETE",
    pattern: "/agent_bots/:id/avatar",
    resource: "agent_bot",
    response: true
  })
}

/**
 * Every route of the Platform API, by operation.
 *
 * @since 0.1.0
 * @category Routes
 */
export const routes: { readonly [O in Operation]: Route<O> } = {
  ...userRoutes,
  ...accountRoutes,
  ...accountUserRoutes,
  ...agentBotRoutes
}

/**
 * The part of a route that routing and paths read: what an edition's richer route also has.
 *
 * @since 0.1.0
 * @category Routes
 */
export type Routing = Pick<Route, "operation" | "method" | "pattern" | "param">

/**
 * The path of a route under `apiPrefix`, its parameters filled in.
 *
 * @since 0.1.0
 * @category Routes
 */
export const pathOf = (route: Routing, params: PathParams): string =>
  route.param === undefined ? route.pattern : route.pattern.replace(`:${route.param}`, String(params[route.param]))

// Matching is the table's: each pattern becomes an anchored expression with one capture for its parameter.
const matchers = Object.values(routes).map((route: Route) => ({
  route,
  expression: new RegExp(`^${route.pattern.replace(/:(id|account_id)\b/, "([^/]+)")}$`)
}))

/**
 * Routes a request the way Rails does: an optional `.json` suffix, PUT as PATCH, an optional trailing slash. The
 * parameter is the raw path segment (Rails looks it up; a non-number is simply not found). A path that matches no
 * route, or a verb the path does not take, is `undefined` (a routing 404).
 *
 * @since 0.1.0
 * @category Routes
 */
export const matchRoute = (
  method: string,
  pathname: string
): { readonly route: Route; readonly params: Readonly<Record<string, string>> } | undefined => {
  if (!pathname.startsWith(apiPrefix + "/")) return undefined
  const rest = pathname.slice(apiPrefix.length).replace(/\/$/, "").replace(/\.json$/, "")
  const upper = method.toUpperCase()
  const verb = upper === "PUT" ? "PATCH" : upper
  for (const { expression, route } of matchers) {
    if (route.method !== verb) continue
    const match = expression.exec(rest)
    if (match === null) continue
    return {
      route,
      params: route.param === undefined ? {} : { [route.param]: decodeURIComponent(match[1]!) }
    }
  }
  return undefined
}

/**
 * The id a call was about: the route's path parameter.
 *
 * @since 0.1.0
 * @category Client
 */
export const subjectOf = (route: Pick<Route, "param">, params: PathParams): number | undefined =>
  route.param === undefined ? undefined : params[route.param]

/**
 * The span attribute naming a route's record: `chatwoot.user_id`, `chatwoot.account_id`, `chatwoot.agent_bot_id`.
 *
 * @since 0.1.0
 * @category Client
 */
export const subjectAttribute = (resource: ResourceKind): string => `chatwoot.${resource}_id`

const spanNames = new WeakMap<Pick<Route, "service" | "operation">, string>()

/**
 * The name of a call's span: the service, then the operation without its resource prefix (`PlatformUsers.update`,
 * `PlatformAccountUsers.add`). Kept per route, as it is asked on every call.
 *
 * @since 0.1.0
 * @category Client
 */
export const spanName = (route: Pick<Route, "service" | "operation">): string => {
  let name = spanNames.get(route)
  if (name === undefined) {
    name = `${route.service}.${route.operation.slice(route.operation.indexOf(".") + 1)}`
    spanNames.set(route, name)
  }
  return name
}

/**
 * The attributes of a call's span: `chatwoot.operation`, and the record's id under {@link subjectAttribute} on a
 * member route.
 *
 * @since 0.1.0
 * @category Client
 */
export const spanAttributes = (
  route: Pick<Route, "operation" | "resource">,
  id: number | undefined
): { readonly [name: string]: string | number } => ({
  "chatwoot.operation": route.operation,
  ...(id === undefined ? {} : { [subjectAttribute(route.resource)]: id })
})

/**
 * The query string (without `?`) of a route that sends its payload's keys there ({@link Route.query}): each key the
 * payload holds, `null` and absent ones left out.
 *
 * @since 0.1.0
 * @category Client
 */
export const queryString = (route: Pick<Route, "query">, payload: unknown): string => {
  const query = new URLSearchParams()
  for (const key of route.query) {
    const value = (payload as Record<string, unknown>)[key]
    if (value !== undefined && value !== null) query.set(key, String(value))
  }
  return query.toString()
}
