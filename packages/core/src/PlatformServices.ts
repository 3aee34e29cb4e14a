/**
 * The Platform API services built from one function that calls a route of `PlatformWire`'s table: the live client and
 * the in-memory layer differ only in that function, so every service method is defined once, here.
 *
 * @since 0.2.0
 */
import type * as Effect from "effect/Effect"
import * as PlatformUsers from "./PlatformUsers.js"
import type { CreateError, MemberError, Operation, PlatformUsersError, UpdateError } from "./PlatformUsersError.js"
import type { PathParams, Route } from "./PlatformWire.js"
import { routes } from "./PlatformWire.js"

/**
 * Calls one route: checks the payload with the route's rules (nothing happens on a `Validation`), runs the request,
 * and answers the route's success value or its typed error, already narrowed to what the route can raise.
 *
 * @since 0.2.0
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

/**
 * The `PlatformUsers` service over a caller.
 *
 * @since 0.2.0
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
