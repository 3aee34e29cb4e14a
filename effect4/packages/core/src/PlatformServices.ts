/**
 * The Platform API services built from one function that calls a route of `PlatformWire`'s table: the live client and
 * the in-memory layer differ only in that function, so every service method is defined once, here.
 *
 * @since 1.0.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as PlatformAccounts from "./PlatformAccounts.js"
import * as PlatformAccountUsers from "./PlatformAccountUsers.js"
import * as PlatformAgentBots from "./PlatformAgentBots.js"
import * as PlatformUsers from "./PlatformUsers.js"
import type {
  CreateError,
  ListError,
  MemberError,
  Operation,
  PlatformUsersError,
  UpdateError,
  Validation
} from "./PlatformUsersError.js"
import type { PathParams, Route } from "./PlatformWire.js"
import { routes } from "./PlatformWire.js"

/**
 * Calls one route: checks the payload with the route's rules (nothing happens on a `Validation`), runs the request,
 * and answers the route's success value or its typed error, already narrowed to what the route can raise.
 *
 * @since 1.0.0
 * @category Models
 */
export interface Caller {
  <Name extends Operation, A, P>(
    route: Route<Name, A, P>,
    params: PathParams,
    payload?: P
  ): Effect.Effect<A, PlatformUsersError>
}

const none: PathParams = {}

// The caller narrows each error to its route's kinds (`PlatformWire.narrow`); the types below say which those are.
const raising = <E>() => <A>(effect: Effect.Effect<A, PlatformUsersError>) => effect as Effect.Effect<A, E>
const asCreate = raising<CreateError>()
const asMember = raising<MemberError>()
const asUpdate = raising<UpdateError>()
const asList = raising<ListError>()

/**
 * The `PlatformUsers` service over a caller.
 *
 * @since 1.0.0
 * @category Constructors
 */
export const users = (call: Caller): PlatformUsers.Service =>
  PlatformUsers.PlatformUsers.of({
    create: (payload) => asCreate(call(routes.create, none, payload)),
    get: (id) => asMember(call(routes.get, { id })),
    update: (id, payload) => asUpdate(call(routes.update, { id }, payload)),
    delete: (id) => asMember(call(routes.delete, { id })),
    loginUrl: (id) => asMember(call(routes.loginUrl, { id })),
    token: (id) => asMember(call(routes.token, { id }))
  })

/**
 * The `PlatformAccounts` service over a caller.
 *
 * @since 1.0.0
 * @category Constructors
 */
export const accounts = (call: Caller): PlatformAccounts.Service =>
  PlatformAccounts.PlatformAccounts.of({
    list: () => asList(call(routes["accounts.list"], none)),
    create: (payload) => asCreate(call(routes["accounts.create"], none, payload)),
    get: (id) => asMember(call(routes["accounts.get"], { id })),
    update: (id, payload) => asUpdate(call(routes["accounts.update"], { id }, payload)),
    delete: (id) => asMember(call(routes["accounts.delete"], { id }))
  })

/**
 * The `PlatformAccountUsers` service over a caller.
 *
 * @since 1.0.0
 * @category Constructors
 */
export const accountUsers = (call: Caller): PlatformAccountUsers.Service =>
  PlatformAccountUsers.PlatformAccountUsers.of({
    list: (accountId) => asMember(call(routes["accountUsers.list"], { account_id: accountId })),
    add: (accountId, payload) => asUpdate(call(routes["accountUsers.add"], { account_id: accountId }, payload)),
    remove: (accountId, userId) =>
      raising<MemberError | Validation>()(
        call(routes["accountUsers.remove"], { account_id: accountId }, { user_id: userId })
      )
  })

/**
 * The `PlatformAgentBots` service over a caller.
 *
 * @since 1.0.0
 * @category Constructors
 */
export const agentBots = (call: Caller): PlatformAgentBots.Service =>
  PlatformAgentBots.PlatformAgentBots.of({
    list: () => asList(call(routes["agentBots.list"], none)),
    create: (payload) => asCreate(call(routes["agentBots.create"], none, payload)),
    get: (id) => asMember(call(routes["agentBots.get"], { id })),
    update: (id, payload) => asUpdate(call(routes["agentBots.update"], { id }, payload)),
    delete: (id) => asMember(call(routes["agentBots.delete"], { id })),
    deleteAvatar: (id) => asMember(call(routes["agentBots.deleteAvatar"], { id }))
  })

/**
 * Every service of the Platform API.
 *
 * @since 1.0.0
 * @category Models
 */
export type Services =
  | PlatformUsers.PlatformUsers
  | PlatformAccounts.PlatformAccounts
  | PlatformAccountUsers.PlatformAccountUsers
  | PlatformAgentBots.PlatformAgentBots

/**
 * Every service over one caller, as a context.
 *
 * @since 1.0.0
 * @category Constructors
 */
export const context = (call: Caller): Context.Context<Services> =>
  Context.make(PlatformUsers.PlatformUsers, users(call)).pipe(
    Context.add(PlatformAccounts.PlatformAccounts, accounts(call)),
    Context.add(PlatformAccountUsers.PlatformAccountUsers, accountUsers(call)),
    Context.add(PlatformAgentBots.PlatformAgentBots, agentBots(call))
  )
