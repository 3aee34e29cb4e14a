/**
 * The wire contract of the whole Platform API, defined once: one declarative table of routes (method, path, params,
 * request and response schemas, which errors each can raise, whether a retry is safe), the exact error bodies Chatwoot
 * sends, and the mapping between statuses and typed errors. The live client, the emulator and the in-memory layer all
 * read it, so they cannot drift apart.
 *
 * @since 0.2.0
 */
import * as Wire from "@chatwoot-effect/contract/Wire"
import type { Method, PathParams } from "@chatwoot-effect/contract/Wire"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Account } from "./Account.js"
import * as AccountPayload from "./AccountPayload.js"
import { AccountUser } from "./AccountUser.js"
import * as AccountUserPayload from "./AccountUserPayload.js"
import { AgentBot } from "./AgentBot.js"
import * as AgentBotPayload from "./AgentBotPayload.js"
import type { Operation, PlatformUsersError, ResourceKind } from "./PlatformUsersError.js"
import {
  NotFound,
  RateLimited,
  ServerError,
  Unauthorized,
  UnexpectedResponse,
  Validation
} from "./PlatformUsersError.js"
import { SsoLink, User, UserId, UserToken } from "./User.js"
import * as UserPayload from "./UserPayload.js"
import * as UserRules from "./UserRules.js"

export {
  /**
   * Every Platform API path starts with this.
   *
   * @since 0.2.0
   * @category Routes
   */
  apiPrefix,
  /**
   * @since 0.2.0
   * @category Constants
   */
  errorBodies,
  /**
   * @since 0.2.0
   * @category Client
   */
  isRetryableStatus,
  /**
   * @since 0.2.0
   * @category Routes
   */
  isTokenHeader,
  /**
   * @since 0.2.0
   * @category Client
   */
  parseRetryAfter,
  /**
   * @since 0.2.0
   * @category Constants
   */
  railsJson,
  /**
   * @since 0.2.0
   * @category Server
   */
  renderFailure,
  /**
   * @since 0.2.0
   * @category Routes
   */
  tokenHeader
} from "@chatwoot-effect/contract/Wire"

export type {
  /**
   * @since 0.2.0
   * @category Routes
   */
  Method,
  /**
   * @since 0.2.0
   * @category Routes
   */
  PathParams,
  /**
   * @since 0.2.0
   * @category Models
   */
  ServerFailure,
  /**
   * @since 0.2.0
   * @category Models
   */
  ServerViolation,
  /**
   * @since 0.2.0
   * @category Models
   */
  WireResponse
} from "@chatwoot-effect/contract/Wire"

/**
 * The names of the header that carries the platform app's token. Chatwoot reads it as Rack's `HTTP_API_ACCESS_TOKEN`,
 * which both spellings become, and no other name. Only the hyphenated one survives every proxy: nginx drops request
 * headers whose names contain underscores unless `underscores_in_headers on` is set.
 *
 * @since 0.2.0
 * @category Routes
 */
export const TokenHeader = Schema.Literal(...Wire.tokenHeaders)

/**
 * @since 0.2.0
 * @category Routes
 */
export type TokenHeader = Wire.TokenHeader

/**
 * The services the routes belong to, as their spans are named (`PlatformAccounts.create`...).
 *
 * @since 0.2.0
 * @category Routes
 */
export type ServiceName = "PlatformUsers" | "PlatformAccounts" | "PlatformAccountUsers" | "PlatformAgentBots"

/**
 * A request body: its schema (the encoded side is the JSON sent) and the client-side check of Chatwoot's rules that
 * runs before anything is sent.
 *
 * @since 0.2.0
 * @category Routes
 */
export interface Payload<P> {
  readonly schema: Schema.Schema<P, any>
  readonly validate: (payload: P) => Either.Either<P, Validation>
}

/**
 * One route of the Platform API.
 *
 * @since 0.2.0
 * @category Routes
 */
export interface Route<Name extends Operation = Operation, A = unknown, P = unknown> {
  readonly operation: Name
  readonly service: ServiceName
  readonly method: Method
  /** The path under {@link apiPrefix}, with `:id` / `:account_id` placeholders. */
  readonly pattern: string
  /**
   * The kind of record the route handles. On a member route it is the record the path names (`:id`, or `:account_id`
   * for account users): what a 404 and a 401 are about.
   */
  readonly resource: ResourceKind
  /** The path parameter, on a member route. */
  readonly param: keyof PathParams | undefined
  /** The JSON body, when the route takes one. */
  readonly payload: Payload<P> | undefined
  /** Payload keys sent in the query string instead of a body (a DELETE body is dropped by many stacks). */
  readonly query: ReadonlyArray<string>
  /** The success body's schema; `undefined` for `head :ok` (200 with an empty body). */
  readonly response: Schema.Schema<A, any> | undefined
  /** Beyond the errors of every call: whether the route can answer 404 (a member route) and 422. */
  readonly raises: { readonly notFound: boolean; readonly validation: boolean }
  /**
   * `safe`: repeating the request after a lost answer does no harm (PLATFORM.md §8.2). `unsafe`: each accepted
   * request creates a new record, so it is retried only when Chatwoot surely did not act on it (a 429, or a connection
   * that failed before anything was sent).
   */
  readonly retry: "safe" | "unsafe"
}

/**
 * A route whose types are forgotten, for code that handles every route alike.
 *
 * @since 0.2.0
 * @category Routes
 */
export type AnyRoute = Route<Operation, any, any>

const route = <const Name extends Operation, A = void, P = void>(spec: {
  readonly operation: Name
  readonly service: ServiceName
  readonly method: Method
  readonly pattern: string
  readonly resource: ResourceKind
  readonly payload?: Payload<P> | undefined
  readonly query?: ReadonlyArray<string> | undefined
  readonly response?: Schema.Schema<A, any> | undefined
  readonly validation?: boolean | undefined
  readonly retry?: "safe" | "unsafe" | undefined
}): Route<Name, A, P> => {
  const param = /:(id|account_id)\b/.exec(spec.pattern)?.[1] as keyof PathParams | undefined
  return {
    operation: spec.operation,
    service: spec.service,
    method: spec.method,
    pattern: spec.pattern,
    resource: spec.resource,
    param,
    payload: spec.payload,
    query: spec.query ?? [],
    response: spec.response,
    raises: { notFound: param !== undefined, validation: spec.validation ?? spec.payload !== undefined },
    retry: spec.retry ?? "safe"
  }
}

/**
 * The users routes (BEHAVIOUR.md). `create` is find-or-create by email, so even it is safe to repeat.
 *
 * @since 0.2.0
 * @category Routes
 */
export const userRoutes = {
  create: route({
    operation: "create",
    service: "PlatformUsers",
    method: "POST",
    pattern: "/users",
    resource: "user",
    payload: { schema: UserPayload.CreateUserPayload, validate: UserPayload.validateCreate },
    response: User
  }),
  get: route({
    operation: "get",
    service: "PlatformUsers",
    method: "GET",
    pattern: "/users/:id",
    resource: "user",
    response: User
  }),
  update: route({
    operation: "update",
    service: "PlatformUsers",
    method: "PATCH",
    pattern: "/users/:id",
    resource: "user",
    payload: { schema: UserPayload.UpdateUserPayload, validate: UserPayload.validateUpdate },
    response: User
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
    response: SsoLink
  }),
  token: route({
    operation: "token",
    service: "PlatformUsers",
    method: "POST",
    pattern: "/users/:id/token",
    resource: "user",
    response: UserToken
  })
}

/**
 * The accounts routes (PLATFORM.md §3). `create` makes a new account for each accepted request: not safe to repeat.
 *
 * @since 0.2.0
 * @category Routes
 */
export const accountRoutes = {
  "accounts.list": route({
    operation: "accounts.list",
    service: "PlatformAccounts",
    method: "GET",
    pattern: "/accounts",
    resource: "account",
    response: Schema.Array(Account)
  }),
  "accounts.create": route({
    operation: "accounts.create",
    service: "PlatformAccounts",
    method: "POST",
    pattern: "/accounts",
    resource: "account",
    payload: { schema: AccountPayload.CreateAccountPayload, validate: AccountPayload.validateCreate },
    response: Account,
    retry: "unsafe"
  }),
  "accounts.get": route({
    operation: "accounts.get",
    service: "PlatformAccounts",
    method: "GET",
    pattern: "/accounts/:id",
    resource: "account",
    response: Account
  }),
  "accounts.update": route({
    operation: "accounts.update",
    service: "PlatformAccounts",
    method: "PATCH",
    pattern: "/accounts/:id",
    resource: "account",
    payload: { schema: AccountPayload.UpdateAccountPayload, validate: AccountPayload.validateUpdate },
    response: Account
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
 * The body of `DELETE /accounts/{id}/account_users`, sent as its query string.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const RemoveAccountUserPayload = Schema.Struct({ user_id: UserId })

/**
 * @since 0.2.0
 * @category Schemas
 */
export type RemoveAccountUserPayload = typeof RemoveAccountUserPayload.Type

/**
 * The account users routes (PLATFORM.md §4), all on the account (`:account_id`): a 404 and a 401 are about it, never
 * about the user. `add` is an upsert and `remove` always answers 200, so both are safe to repeat.
 *
 * @since 0.2.0
 * @category Routes
 */
export const accountUserRoutes = {
  "accountUsers.list": route({
    operation: "accountUsers.list",
    service: "PlatformAccountUsers",
    method: "GET",
    pattern: "/accounts/:account_id/account_users",
    resource: "account",
    response: Schema.Array(AccountUser)
  }),
  "accountUsers.add": route({
    operation: "accountUsers.add",
    service: "PlatformAccountUsers",
    method: "POST",
    pattern: "/accounts/:account_id/account_users",
    resource: "account",
    payload: { schema: AccountUserPayload.AddAccountUserPayload, validate: AccountUserPayload.validateAdd },
    response: AccountUser
  }),
  "accountUsers.remove": route({
    operation: "accountUsers.remove",
    service: "PlatformAccountUsers",
    method: "DELETE",
    pattern: "/accounts/:account_id/account_users",
    resource: "account",
    payload: {
      schema: RemoveAccountUserPayload,
      validate: (payload: RemoveAccountUserPayload) =>
        Either.map(AccountUserPayload.validateRemove(payload.user_id), (user_id) => ({ user_id }))
    },
    // Many stacks drop a DELETE's body (PLATFORM.md §8.4).
    query: ["user_id"],
    validation: false
  })
}

/**
 * The agent bots routes (PLATFORM.md §5). `create` makes a new bot for each accepted request: not safe to repeat.
 *
 * @since 0.2.0
 * @category Routes
 */
export const agentBotRoutes = {
  "agentBots.list": route({
    operation: "agentBots.list",
    service: "PlatformAgentBots",
    method: "GET",
    pattern: "/agent_bots",
    resource: "agent_bot",
    response: Schema.Array(AgentBot)
  }),
  "agentBots.create": route({
    operation: "agentBots.create",
    service: "PlatformAgentBots",
    method: "POST",
    pattern: "/agent_bots",
    resource: "agent_bot",
    payload: { schema: AgentBotPayload.CreateAgentBotPayload, validate: AgentBotPayload.validateCreate },
    response: AgentBot,
    retry: "unsafe"
  }),
  "agentBots.get": route({
    operation: "agentBots.get",
    service: "PlatformAgentBots",
    method: "GET",
    pattern: "/agent_bots/:id",
    resource: "agent_bot",
    response: AgentBot
  }),
  "agentBots.update": route({
    operation: "agentBots.update",
    service: "PlatformAgentBots",
    method: "PATCH",
    pattern: "/agent_bots/:id",
    resource: "agent_bot",
    payload: { schema: AgentBotPayload.UpdateAgentBotPayload, validate: AgentBotPayload.validateUpdate },
    response: AgentBot
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
    response: AgentBot
  })
}

/**
 * Every route of the Platform API, by operation.
 *
 * @since 0.2.0
 * @category Routes
 */
export const routes = {
  ...userRoutes,
  ...accountRoutes,
  ...accountUserRoutes,
  ...agentBotRoutes
}

/**
 * @since 0.2.0
 * @category Routes
 */
export type Routes = typeof routes

const allRoutes: ReadonlyArray<AnyRoute> = Object.values(routes)

/**
 * The path of a route under {@link apiPrefix}, its parameters filled in.
 *
 * @since 0.2.0
 * @category Routes
 */
export const pathOf = (route: AnyRoute, params: PathParams): string =>
  route.param === undefined ? route.pattern : route.pattern.replace(`:${route.param}`, String(params[route.param]))

// Matching is the table's: each pattern becomes an anchored expression with one capture for its parameter.
const matchers = allRoutes.map((route) => ({
  route,
  expression: new RegExp(`^${route.pattern.replace(/:(id|account_id)\b/, "([^/]+)")}$`)
}))

/**
 * Routes a request the way Rails does: an optional `.json` suffix, PUT as PATCH, an optional trailing slash. The
 * parameter is the raw path segment (Rails looks it up; a non-number is simply not found). A path that matches no
 * route, or a verb the path does not take, is `undefined` (a routing 404).
 *
 * @since 0.2.0
 * @category Routes
 */
export const matchRoute = (
  method: string,
  pathname: string
): { readonly route: AnyRoute; readonly params: Readonly<Record<string, string>> } | undefined => {
  if (!pathname.startsWith(Wire.apiPrefix + "/")) return undefined
  const rest = pathname.slice(Wire.apiPrefix.length).replace(/\/$/, "").replace(/\.json$/, "")
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
 * `{"message": "...", "attributes": [...]}`: the 422 body of `ActiveRecord::RecordInvalid`.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const RecordInvalidBody = Schema.Struct({ message: Schema.String, attributes: Schema.Array(Schema.String) })

const ErrorBody = Schema.Struct({ error: Schema.String })

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const excerpt = (body: string) => {
  const flat = body.replace(/\s+/g, " ").trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat
}

/**
 * The id a call was about: the route's path parameter.
 *
 * @since 0.2.0
 * @category Client
 */
export const subjectOf = (route: AnyRoute, params: PathParams): number | undefined =>
  route.param === undefined ? undefined : params[route.param]

/**
 * Reads a non-2xx response into the typed error of the route, already narrowed to what the route can raise (see
 * {@link narrow}).
 *
 * @since 0.2.0
 * @category Client
 */
export const errorFromResponse = (options: {
  readonly route: AnyRoute
  /** The path parameter's value, on a member route. */
  readonly id: number | undefined
  readonly status: number
  readonly body: string
  readonly retryAfter?: string | undefined
  readonly now: number
}): PlatformUsersError => {
  const { body, id, route, status } = options
  const operation = route.operation
  const unexpected = (reason: UnexpectedResponse["reason"], detail: string) =>
    new UnexpectedResponse({ operation, reason, status, detail })
  const subject = route.param === undefined || id === undefined ? {} : { resource: route.resource, id }
  switch (status) {
    case 401: {
      const decoded = Schema.decodeUnknownOption(ErrorBody)(parseJson(body))
      const reason = decoded._tag === "Some" && decoded.value.error === "Non permissible resource"
        ? "NonPermissibleResource"
        : "InvalidToken"
      return new Unauthorized({ operation, reason, ...subject })
    }
    case 404:
      return route.raises.notFound && id !== undefined
        ? new NotFound({ operation, resource: route.resource, id })
        : unexpected("Status", `404 on ${route.method} ${route.pattern}: is the base URL right?`)
    case 422: {
      const decoded = Schema.decodeUnknownOption(RecordInvalidBody)(parseJson(body))
      const error = decoded._tag === "Some"
        ? new Validation({
          operation,
          source: "server",
          attributes: decoded.value.attributes,
          issues: [],
          serverMessage: UserRules.redactServerMessage(decoded.value.message)
        })
        : new Validation({
          operation,
          source: "server",
          attributes: [],
          issues: [],
          serverMessage: `422 with an unreadable body: ${excerpt(UserRules.redactServerMessage(body))}`
        })
      return route.raises.validation
        ? error
        : new UnexpectedResponse({ operation, reason: "Status", status: 422, detail: error.message })
    }
    case 429: {
      const retryAfterMillis = Wire.parseRetryAfter(options.retryAfter, options.now)
      return new RateLimited({ operation, ...(retryAfterMillis === undefined ? {} : { retryAfterMillis }) })
    }
    case 400:
      return unexpected("BadRequest", "Chatwoot could not parse the request (400 Bad Request)")
  }
  if (status >= 500) {
    const decoded = Schema.decodeUnknownOption(ErrorBody)(parseJson(body))
    const error = decoded._tag === "Some" ? decoded.value.error : body.trim() === "" ? undefined : excerpt(body)
    return new ServerError({ operation, status, ...(error === undefined ? {} : { error }) })
  }
  return unexpected("Status", body === "" ? "empty body" : excerpt(body))
}

/**
 * Narrows an error to what the route can raise: a 404 on a route with no record to miss (a wrong base URL) and a 422
 * where Chatwoot never validates are off-contract, so they become `UnexpectedResponse` "Status".
 *
 * @since 0.2.0
 * @category Client
 */
export const narrow = (route: AnyRoute, error: PlatformUsersError): PlatformUsersError => {
  if (error._tag === "NotFound" && !route.raises.notFound) {
    return new UnexpectedResponse({ operation: error.operation, reason: "Status", status: 404, detail: error.message })
  }
  if (error._tag === "Validation" && error.source === "server" && !route.raises.validation) {
    return new UnexpectedResponse({ operation: error.operation, reason: "Status", status: 422, detail: error.message })
  }
  return error
}

/**
 * The span attribute naming a route's record: `chatwoot.user_id`, `chatwoot.account_id`, `chatwoot.agent_bot_id`.
 *
 * @since 0.2.0
 * @category Client
 */
export const subjectAttribute = (resource: ResourceKind): string => `chatwoot.${resource}_id`
