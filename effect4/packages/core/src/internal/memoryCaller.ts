// The in-memory layer's caller: each route of `PlatformWire`'s table run by the in-memory server, with the same
// client-side checks as the live client, the payload carried as the JSON text the live client would send (so Rails'
// param handling applies alike), and failures read back through the wire contract, so they are exactly the errors the
// live client reads from the emulator.
import * as RailsParams from "@chatwoot-effect/contract/RailsParams"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type { Caller } from "../PlatformServices.js"
import type { PlatformUsersError } from "../PlatformUsersError.js"
import { UnexpectedResponse } from "../PlatformUsersError.js"
import * as PlatformWire from "../PlatformWire.js"

/** Runs one route's request on the in-memory server: the path's raw segments and the params, as Rails has them. */
export interface Execute {
  (
    route: PlatformWire.AnyRoute,
    path: { readonly id?: string; readonly account_id?: string },
    params: RailsParams.Params
  ): Effect.Effect<{ readonly body: string }, PlatformWire.ServerFailure>
}

const paramsOf = (route: PlatformWire.AnyRoute, payload: unknown): RailsParams.Params => {
  if (route.payload === undefined) return {}
  const encoded = Schema.encodeSync(route.payload.schema)(payload)
  const parsed = RailsParams.parseBody("application/json", JSON.stringify(encoded))
  return parsed._tag === "Ok" ? parsed.params : {}
}

const segmentsOf = (path: PlatformWire.PathParams) => ({
  ...(path.id === undefined ? {} : { id: String(path.id) }),
  ...(path.account_id === undefined ? {} : { account_id: String(path.account_id) })
})

export const make = (execute: Execute): Caller =>
  ((route: PlatformWire.AnyRoute, path: PlatformWire.PathParams, payload?: unknown) => {
    const id = PlatformWire.subjectOf(route, path)
    const call = Effect.suspend((): Effect.Effect<unknown, PlatformUsersError> => {
      let valid = payload
      if (route.payload !== undefined) {
        const validated = route.payload.validate(payload)
        if (Result.isFailure(validated)) return Effect.fail(validated.failure)
        valid = validated.success
      }
      return execute(route, segmentsOf(path), paramsOf(route, valid)).pipe(
        Effect.catch((failure) =>
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
            : Schema.decodeUnknownEffect(route.response)(JSON.parse(success.body)).pipe(
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
