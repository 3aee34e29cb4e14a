/**
 * The users part of the Platform API's wire contract, as the first releases named it. Everything here is read off
 * `PlatformWire`'s one table; new code should use `PlatformWire` directly.
 *
 * @since 1.0.0
 */
import type { CreateError, MemberError, PlatformUsersError, UserOperation } from "./PlatformUsersError.js"
import * as PlatformWire from "./PlatformWire.js"
import type { UserId } from "./User.js"

export {
  /**
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
   * @category Schemas
   */
  RecordInvalidBody,
  /**
   * @since 1.0.0
   * @category Server
   */
  renderFailure,
  /**
   * @since 1.0.0
   * @category Routes
   */
  TokenHeader,
  /**
   * @since 1.0.0
   * @category Routes
   */
  tokenHeader
} from "./PlatformWire.js"

export type {
  /**
   * @since 1.0.0
   * @category Routes
   */
  Method,
  /**
   * @since 1.0.0
   * @category Models
   */
  ServerFailure,
  /**
   * @since 1.0.0
   * @category Routes
   */
  TokenHeader as TokenHeaderName,
  /**
   * @since 1.0.0
   * @category Models
   */
  WireResponse
} from "./PlatformWire.js"

/**
 * @since 1.0.0
 * @category Routes
 */
export interface Route {
  readonly method: PlatformWire.Method
  /** The path under {@link apiPrefix}. */
  readonly path: (id: UserId) => string
  /** Whether the route acts on one existing user (`/users/:id...`). */
  readonly member: boolean
}

const legacy = (route: PlatformWire.AnyRoute): Route => ({
  method: route.method,
  path: (id) => PlatformWire.pathOf(route, { id }),
  member: route.param !== undefined
})

/**
 * The route of each users operation.
 *
 * @since 1.0.0
 * @category Routes
 */
export const routes: { readonly [O in UserOperation]: Route } = {
  create: legacy(PlatformWire.routes.create),
  get: legacy(PlatformWire.routes.get),
  update: legacy(PlatformWire.routes.update),
  delete: legacy(PlatformWire.routes.delete),
  loginUrl: legacy(PlatformWire.routes.loginUrl),
  token: legacy(PlatformWire.routes.token)
}

/**
 * Routes a users request the way Rails does (see `PlatformWire.matchRoute`, which routes every resource).
 *
 * @since 1.0.0
 * @category Routes
 */
export const matchRoute = (
  method: string,
  pathname: string
): { readonly operation: UserOperation; readonly id: string } | undefined => {
  const matched = PlatformWire.matchRoute(method, pathname)
  if (matched === undefined || matched.route.service !== "PlatformUsers") return undefined
  return { operation: matched.route.operation as UserOperation, id: matched.params.id ?? "" }
}

/**
 * The request body schema of each users operation that has one.
 *
 * @since 1.0.0
 * @category Schemas
 */
export const requestBodies = {
  create: PlatformWire.routes.create.payload!.schema,
  update: PlatformWire.routes.update.payload!.schema
}

/**
 * The success body schema of each users operation (`delete` answers 200 with an empty body).
 *
 * @since 1.0.0
 * @category Schemas
 */
export const responseBodies = {
  create: PlatformWire.routes.create.response!,
  get: PlatformWire.routes.get.response!,
  update: PlatformWire.routes.update.response!,
  loginUrl: PlatformWire.routes.loginUrl.response!,
  token: PlatformWire.routes.token.response!
}

/**
 * Reads a non-2xx response into the typed error of a users operation.
 *
 * @since 1.0.0
 * @category Client
 */
export const errorFromResponse = (options: {
  readonly operation: UserOperation
  readonly userId: UserId | undefined
  readonly status: number
  readonly body: string
  readonly retryAfter?: string | undefined
  readonly now: number
}): PlatformUsersError =>
  PlatformWire.errorFromResponse({ ...options, route: PlatformWire.routes[options.operation], id: options.userId })

/**
 * Narrows an error to what `get`, `delete`, `loginUrl` and `token` can raise.
 *
 * @since 1.0.0
 * @category Client
 */
export const asMemberError = (error: PlatformUsersError): MemberError =>
  PlatformWire.narrow(PlatformWire.routes.get, error) as MemberError

/**
 * Narrows an error to what `create` can raise.
 *
 * @since 1.0.0
 * @category Client
 */
export const asCreateError = (error: PlatformUsersError): CreateError =>
  PlatformWire.narrow(PlatformWire.routes.create, error) as CreateError
