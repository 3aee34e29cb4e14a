/**
 * The wire contract of the whole Platform API, defined once: one declarative table of routes (method, path, params,
 * request and response schemas, which errors each can raise, whether a retry is safe), the exact error bodies Chatwoot
 * sends, and the mapping between statuses and typed errors. The live client, the emulator and the in-memory layer all
 * read it, so they cannot drift apart.
 *
 * @since 1.0.0
 */
import * as ErrorMapping from "@chatwoot-effect/contract/ErrorMapping"
import * as RouteTable from "@chatwoot-effect/contract/Routes"
import * as Wire from "@chatwoot-effect/contract/Wire"
import type { PathParams } from "@chatwoot-effect/contract/Wire"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { Account } from "./Account.js"
import * as AccountPayload from "./AccountPayload.js"
import { AccountUser } from "./AccountUser.js"
import * as AccountUserPayload from "./AccountUserPayload.js"
import { AgentBot } from "./AgentBot.js"
import * as AgentBotPayload from "./AgentBotPayload.js"
import type { Operation, PlatformUsersError } from "./PlatformUsersError.js"
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

export {
  /**
   * Every Platform API path starts with this.
   *
   * @since 1.0.0
   * @category Routes
   */
  apiPrefix,
  /**
   * @since 1.0.0
   * @category Constants
   */
  errorBodies,
  /**
   * @since 1.0.0
   * @category Client
   */
  isRetryableStatus,
  /**
   * @since 1.0.0
   * @category Routes
   */
  isTokenHeader,
  /**
   * @since 1.0.0
   * @category Client
   */
  parseRetryAfter,
  /**
   * @since 1.0.0
   * @category Constants
   */
  railsJson,
  /**
   * @since 1.0.0
   * @category Server
   */
  renderFailure,
  /**
   * @since 1.0.0
   * @category Routes
   */
  tokenHeader
} from "@chatwoot-effect/contract/Wire"

export type {
  /**
   * @since 1.0.0
   * @category Routes
   */
  Method,
  /**
   * @since 1.0.0
   * @category Routes
   */
  PathParams,
  /**
   * @since 1.0.0
   * @category Models
   */
  ServerFailure,
  /**
   * @since 1.0.0
   * @category Models
   */
  ServerViolation,
  /**
   * @since 1.0.0
   * @category Models
   */
  WireResponse
} from "@chatwoot-effect/contract/Wire"

/**
 * The names of the header that carries the platform app's token. Chatwoot reads it as Rack's `HTTP_API_ACCESS_TOKEN`,
 * which both spellings become, and no other name. Only the hyphenated one survives every proxy: nginx drops request
 * headers whose names contain underscores unless `underscores_in_headers on` is set.
 *
 * @since 1.0.0
 * @category Routes
 */
export const TokenHeader = Schema.Literals(Wire.tokenHeaders)

/**
 * @since 1.0.0
 * @category Routes
 */
export type TokenHeader = Wire.TokenHeader

export type {
  /**
   * The services the routes belong to, as their spans are named (`PlatformAccounts.create`...).
   *
   * @since 1.0.0
   * @category Routes
   */
  ServiceName
} from "@chatwoot-effect/contract/Routes"

/**
 * A request body: its schema (the encoded side is the JSON sent) and the client-side check of Chatwoot's rules that
 * runs before anything is sent.
 *
 * @since 1.0.0
 * @category Routes
 */
export interface Payload<P> {
  readonly schema: Schema.Codec<P, any>
  readonly validate: (payload: P) => Result.Result<P, Validation>
}

/**
 * One route of the Platform API: the contract's route (`@chatwoot-effect/contract/Routes`) with its schemas.
 *
 * @since 1.0.0
 * @category Routes
 */
export interface Route<Name extends Operation = Operation, A = unknown, P = unknown> extends RouteTable.Route<Name> {
  /** The JSON body, when the route takes one. */
  readonly payload: Payload<P> | undefined
  /** The success body's schema; `undefined` for `head :ok` (200 with an empty body). */
  readonly response: Schema.Codec<A, any> | undefined
}

/**
 * A route whose types are forgotten, for code that handles every route alike.
 *
 * @since 1.0.0
 * @category Routes
 */
export type AnyRoute = Route<Operation, any, any>

const route = <const Name extends Operation, A = void, P = void>(
  plain: RouteTable.Route<Name>,
  schemas: { readonly payload?: Payload<P> | undefined; readonly response?: Schema.Codec<A, any> | undefined } = {}
): Route<Name, A, P> => ({ ...plain, payload: schemas.payload, response: schemas.response })

/**
 * The users routes (BEHAVIOUR.md). `create` is find-or-create by email, so even it is safe to repeat.
 *
 * @since 1.0.0
 * @category Routes
 */
export const userRoutes = {
  create: route(RouteTable.routes.create, {
    payload: { schema: UserPayload.CreateUserPayload, validate: UserPayload.validateCreate },
    response: User
  }),
  get: route(RouteTable.routes.get, { response: User }),
  update: route(RouteTable.routes.update, {
    payload: { schema: UserPayload.UpdateUserPayload, validate: UserPayload.validateUpdate },
    response: User
  }),
  delete: route(RouteTable.routes.delete),
  loginUrl: route(RouteTable.routes.loginUrl, { response: SsoLink }),
  token: route(RouteTable.routes.token, { response: UserToken })
}

/**
 * The accounts routes (PLATFORM.md §3). `create` makes a new account for each accepted request: not safe to repeat.
 *
 * @since 1.0.0
 * @category Routes
 */
export const accountRoutes = {
  "accounts.list": route(RouteTable.routes["accounts.list"], { response: Schema.Array(Account) }),
  "accounts.create": route(RouteTable.routes["accounts.create"], {
    payload: { schema: AccountPayload.CreateAccountPayload, validate: AccountPayload.validateCreate },
    response: Account
  }),
  "accounts.get": route(RouteTable.routes["accounts.get"], { response: Account }),
  "accounts.update": route(RouteTable.routes["accounts.update"], {
    payload: { schema: AccountPayload.UpdateAccountPayload, validate: AccountPayload.validateUpdate },
    response: Account
  }),
  "accounts.delete": route(RouteTable.routes["accounts.delete"])
}

/**
 * The body of `DELETE /accounts/{id}/account_users`, sent as its query string.
 *
 * @since 1.0.0
 * @category Schemas
 */
export const RemoveAccountUserPayload = Schema.Struct({ user_id: UserId })

/**
 * @since 1.0.0
 * @category Schemas
 */
export type RemoveAccountUserPayload = typeof RemoveAccountUserPayload.Type

/**
 * The account users routes (PLATFORM.md §4), all on the account (`:account_id`): a 404 and a 401 are about it, never
 * about the user. `add` is an upsert and `remove` always answers 200, so both are safe to repeat.
 *
 * @since 1.0.0
 * @category Routes
 */
export const accountUserRoutes = {
  "accountUsers.list": route(RouteTable.routes["accountUsers.list"], { response: Schema.Array(AccountUser) }),
  "accountUsers.add": route(RouteTable.routes["accountUsers.add"], {
    payload: { schema: AccountUserPayload.AddAccountUserPayload, validate: AccountUserPayload.validateAdd },
    response: AccountUser
  }),
  "accountUsers.remove": route(RouteTable.routes["accountUsers.remove"], {
    payload: {
      schema: RemoveAccountUserPayload,
      validate: (payload: RemoveAccountUserPayload) =>
        Result.map(AccountUserPayload.validateRemove(payload.user_id), (user_id) => ({ user_id }))
    }
  })
}

/**
 * The agent bots routes (PLATFORM.md §5). `create` makes a new bot for each accepted request: not safe to repeat.
 *
 * @since 1.0.0
 * @category Routes
 */
export const agentBotRoutes = {
  "agentBots.list": route(RouteTable.routes["agentBots.list"], { response: Schema.Array(AgentBot) }),
  "agentBots.create": route(RouteTable.routes["agentBots.create"], {
    payload: { schema: AgentBotPayload.CreateAgentBotPayload, validate: AgentBotPayload.validateCreate },
    response: AgentBot
  }),
  "agentBots.get": route(RouteTable.routes["agentBots.get"], { response: AgentBot }),
  "agentBots.update": route(RouteTable.routes["agentBots.update"], {
    payload: { schema: AgentBotPayload.UpdateAgentBotPayload, validate: AgentBotPayload.validateUpdate },
    response: AgentBot
  }),
  "agentBots.delete": route(RouteTable.routes["agentBots.delete"]),
  "agentBots.deleteAvatar": route(RouteTable.routes["agentBots.deleteAvatar"], { response: AgentBot })
}

/**
 * Every route of the Platform API, by operation.
 *
 * @since 1.0.0
 * @category Routes
 */
export const routes = {
  ...userRoutes,
  ...accountRoutes,
  ...accountUserRoutes,
  ...agentBotRoutes
}

/**
 * @since 1.0.0
 * @category Routes
 */
export type Routes = typeof routes

/**
 * The path of a route under {@link apiPrefix}, its parameters filled in.
 *
 * @since 1.0.0
 * @category Routes
 */
export const pathOf: (route: AnyRoute, params: PathParams) => string = RouteTable.pathOf

/**
 * Routes a request the way Rails does: an optional `.json` suffix, PUT as PATCH, an optional trailing slash. The
 * parameter is the raw path segment (Rails looks it up; a non-number is simply not found). A path that matches no
 * route, or a verb the path does not take, is `undefined` (a routing 404).
 *
 * @since 1.0.0
 * @category Routes
 */
export const matchRoute = (
  method: string,
  pathname: string
): { readonly route: AnyRoute; readonly params: Readonly<Record<string, string>> } | undefined => {
  const matched = RouteTable.matchRoute(method, pathname)
  return matched === undefined ? undefined : { route: routes[matched.route.operation], params: matched.params }
}

/**
 * `{"message": "...", "attributes": [...]}`: the 422 body of `ActiveRecord::RecordInvalid`.
 *
 * @since 1.0.0
 * @category Schemas
 */
export const RecordInvalidBody = Schema.Struct({ message: Schema.String, attributes: Schema.Array(Schema.String) })

/**
 * The id a call was about: the route's path parameter.
 *
 * @since 1.0.0
 * @category Client
 */
export const subjectOf: (route: AnyRoute, params: PathParams) => number | undefined = RouteTable.subjectOf

/**
 * The typed error of a descriptor read off the wire (`@chatwoot-effect/contract/ErrorMapping`).
 *
 * @since 1.0.0
 * @category Client
 */
export const errorFromDescriptor = (descriptor: ErrorMapping.ErrorDescriptor): PlatformUsersError => {
  switch (descriptor._tag) {
    case "Unauthorized": {
      const { _tag, ...fields } = descriptor
      return new Unauthorized(fields)
    }
    case "NotFound": {
      const { _tag, ...fields } = descriptor
      return new NotFound(fields)
    }
    case "Validation": {
      const { _tag, ...fields } = descriptor
      return new Validation(fields)
    }
    case "RateLimited": {
      const { _tag, ...fields } = descriptor
      return new RateLimited(fields)
    }
    case "ServerError": {
      const { _tag, ...fields } = descriptor
      return new ServerError(fields)
    }
    case "UnexpectedResponse": {
      const { _tag, ...fields } = descriptor
      return new UnexpectedResponse(fields)
    }
  }
}

/**
 * Reads a non-2xx response into the typed error of the route, already narrowed to what the route can raise (see
 * {@link narrow}).
 *
 * @since 1.0.0
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
}): PlatformUsersError => errorFromDescriptor(ErrorMapping.classifyResponse(options))

/**
 * Narrows an error to what the route can raise: a 404 on a route with no record to miss (a wrong base URL) and a 422
 * where Chatwoot never validates are off-contract, so they become `UnexpectedResponse` "Status".
 *
 * @since 1.0.0
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

export {
  /**
   * The span attribute naming a route's record: `chatwoot.user_id`, `chatwoot.account_id`, `chatwoot.agent_bot_id`.
   *
   * @since 1.0.0
   * @category Client
   */
  subjectAttribute
} from "@chatwoot-effect/contract/Routes"
