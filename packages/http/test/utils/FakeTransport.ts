/**
 * A fake HTTP transport for the live client's tests: an `HttpClient` that records every request it is given and
 * answers from a script. Built fresh per test (tests run concurrently).
 */
import type * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as PlatformUsersHttp from "../../src/PlatformUsersHttp.js"

export const TOKEN = "PlatfORMt0kenSecret9Xyz"
export const apiAccessToken = Redacted.make(TOKEN)

export interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** The body bytes as text, `undefined` when the request has none. */
  readonly body: string | undefined
}

export type Reply =
  | {
    readonly status: number
    readonly body?: string | undefined
    readonly headers?: Readonly<Record<string, string>> | undefined
  }
  | { readonly _tag: "NetworkError"; readonly message: string }
  | { readonly _tag: "Hang" }

const json = "application/json; charset=utf-8"

export const jsonReply = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body: typeof body === "string" ? body : JSON.stringify(body),
  headers: { "content-type": json, ...headers }
})

export const textReply = (status: number, body: string, contentType = "text/plain"): Reply => ({
  status,
  body,
  headers: { "content-type": contentType }
})

const bodyText = (body: unknown): string | undefined => {
  const tagged = body as { readonly _tag: string; readonly body?: unknown }
  if (tagged._tag === "Empty") return undefined
  if (tagged._tag === "Uint8Array") return new TextDecoder().decode(tagged.body as Uint8Array)
  return `<${tagged._tag} body>`
}

/** `replies[i]` answers request `i`; past the end, the last reply repeats. */
export const makeFake = (replies: ReadonlyArray<Reply> | ((request: Recorded, index: number) => Reply)) =>
  Effect.gen(function*() {
    const requests = yield* Ref.make<ReadonlyArray<Recorded>>([])
    const replyTo = typeof replies === "function"
      ? replies
      : (_: Recorded, index: number) => replies[Math.min(index, replies.length - 1)]!
    const client = HttpClient.make((request, url) =>
      Effect.gen(function*() {
        const recorded: Recorded = {
          method: request.method,
          url: url.toString(),
          headers: { ...request.headers },
          body: bodyText(request.body)
        }
        const index = yield* Ref.modify(requests, (all) => [all.length, [...all, recorded]])
        const reply = replyTo(recorded, index)
        if ("_tag" in reply) {
          if (reply._tag === "Hang") return yield* Effect.never
          return yield* Effect.fail(
            new HttpClientError.RequestError({ request, reason: "Transport", cause: new Error(reply.message) })
          )
        }
        const noBody = reply.status === 204 || reply.status === 304
        return HttpClientResponse.fromWeb(
          request,
          new Response(noBody ? null : reply.body ?? "", { status: reply.status, headers: reply.headers ?? {} })
        )
      })
    )
    return {
      client,
      requests: Ref.get(requests),
      count: Effect.map(Ref.get(requests), (all) => all.length)
    }
  })

export type Fake = Effect.Effect.Success<ReturnType<typeof makeFake>>

/** The live service over a fake, with `retry: false` unless told otherwise. */
export const serviceOver = (
  fake: Fake,
  options?: Partial<PlatformUsersHttp.Options>
): Effect.Effect<PlatformUsers.Service, never, Scope.Scope> =>
  PlatformUsersHttp.make({
    baseUrl: "https://chatwoot.example.org",
    apiAccessToken,
    retry: false,
    ...options
  }).pipe(Effect.provideService(HttpClient.HttpClient, fake.client))

/** Key order and nulls exactly as `_user.json.jbuilder` renders a fresh user (BEHAVIOUR.md §5). */
export const realUserBody =
  "{\"access_token\":\"UsErAcc3ssT0kenAbCdEfGhJ\",\"account_id\":null,\"available_name\":\"Dan\",\"avatar_url\":\"\"," +
  "\"confirmed\":true,\"display_name\":null,\"message_signature\":null,\"email\":\"dan@acme.inc\",\"id\":42," +
  "\"name\":\"Dan\",\"provider\":\"email\",\"pubsub_token\":\"PuBsUbT0kenAbCdEfGhJkLmN\",\"role\":null," +
  "\"ui_settings\":{},\"uid\":\"dan@acme.inc\",\"accounts\":[]}"

/** Shaped like the published OpenAPI `user` schema: extra fields, richer account items. */
export const specUserBody = {
  id: 42,
  access_token: "UsErAcc3ssT0kenAbCdEfGhJ",
  account_id: 7,
  available_name: "Danny",
  avatar_url: "https://chatwoot.example.org/rails/active_storage/avatar.png",
  confirmed: true,
  display_name: "Danny",
  email: "dan@acme.inc",
  hmac_identifier: "d41d8cd98f00b204e9800998ecf8427e",
  inviter_id: 3,
  message_signature: "-- Dan",
  name: "Dan",
  provider: "email",
  pubsub_token: "PuBsUbT0kenAbCdEfGhJkLmN",
  role: "administrator",
  type: "SuperAdmin",
  ui_settings: { theme: "dark" },
  uid: "dan@acme.inc",
  custom_attributes: { plan: "pro", seats: 3, tags: ["a", "b"] },
  accounts: [{
    id: 7,
    name: "Acme",
    status: "active",
    active_at: "2025-06-01T10:00:00.000Z",
    role: "administrator",
    permissions: ["administrator"],
    availability: "online",
    availability_status: "online",
    auto_offline: true,
    custom_role_id: null,
    custom_role: null
  }]
}
