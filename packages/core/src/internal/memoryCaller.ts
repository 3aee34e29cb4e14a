// The in-memory layer's caller: each route of `PlatformWire`'s table run by the in-memory server, with the same
// client-side checks as the live client, the payload carried as the JSON text the live client would send (so Rails'
// param handling applies alike), and failures read back through the wire contract, so they are exactly the errors the
// live client reads from the emulator.
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { Caller } from "../PlatformServices.js"
import type { PlatformUsersError, UserOperation } from "../PlatformUsersError.js"
import { UnexpectedResponse } from "../PlatformUsersError.js"
import * as PlatformWire from "../PlatformWire.js"
import * as RailsParams from "./railsParams.js"

/** A request as the in-memory server's `execute` takes it. */
export type EngineRequest =
  | { readonly operation: UserOperation; readonly id?: string; readonly params?: RailsParams.Params }
  | {
    readonly operation: Exclude<PlatformWire.AnyRoute["operation"], UserOperation>
    readonly path: { readonly id?: string; readonly account_id?: string }
    readonly params: RailsParams.Params
  }

export interface Execute {
  (request: EngineRequest): Effect.Effect<{ readonly body: string }, PlatformWire.ServerFailure>
}

const paramsOf = (route: PlatformWire.AnyRoute, payload: unknown): RailsParams.Params => {
  if (route.payload === undefined) return {}
  const encoded = Schema.encodeSync(route.payload.schema)(payload)
  const parsed = RailsParams.parseBody("application/json", JSON.stringify(encoded))
  return parsed._tag === "Ok" ? parsed.params : {}
}

const requestOf = (
  route: PlatformWire.AnyRoute,
  path: PlatformWire.PathParams,
  params: RailsParams.Params
): EngineRequest => {
  if (route.service === "PlatformUsers") {
    const operation = route.operation as UserOperation
    return path.id === undefined ? { operation, params } : { operation, id: String(path.id), params }
  }
  return {
    operation: route.operation as Exclude<PlatformWire.AnyRoute["operation"], UserOperation>,
    path: {
      ...(path.id === undefined ? {} : { id: String(path.id) }),
      ...(path.account_id === undefined ? {} : { account_id: String(path.account_id) })
    },
    params
  }
}

export const make = (execute: Execute): Caller =>
  ((route: PlatformWire.AnyRoute, path: PlatformWire.PathParams, payload?: unknown) => {
    const id = PlatformWire.subjectOf(route, path)
    const call = Effect.suspend((): Effect.Effect<unknown, PlatformUsersError> => {
      let valid = payload
      if (route.payload !== undefined) {
        const validated = route.payload.validate(payload)
        if (Either.isLeft(validated)) return Effect.fail(validated.left)
        valid = validated.right
      }
      return execute(requestOf(route, path, paramsOf(route, valid))).pipe(
        Effect.catchAll((failure) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) => {
            const response = PlatformWire.renderFailure(failure)
            return Effect.fail(
              PlatformWire.errorFromResponse({ route, id, status: response.status, body: response.body, now })
            )
          })
        ),
        Effect.flatMap((success) =>
          route.response === undefined
            ? Effect.void
            : Schema.decodeUnknown(route.response)(JSON.parse(success.body)).pipe(
              Effect.mapError((error) =>
                new UnexpectedResponse({
                  operation: route.operation,
                  reason: "Decode",
                  status: 200,
                  detail: error.message
                })
              )
            )
        )
      )
    })
    return Effect.withSpan(call, `${route.service}Memory.${route.operation.slice(route.operation.indexOf(".") + 1)}`, {
      attributes: id === undefined ? {} : { [PlatformWire.subjectAttribute(route.resource)]: id }
    })
  }) as Caller
