/**
 * What the live-layer tests share: the token, a real user body, and every client the layers run on.
 */
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as ChatwootHttpClient from "../../src/ChatwootHttpClient.js"
import * as PlatformUsersHttp from "../../src/PlatformUsersHttp.js"

export const TOKEN = "PlatfORMt0kenSecret9Xyz"

/** Key order and nulls exactly as `_user.json.jbuilder` renders a fresh user. */
export const realUserBody =
  "{\"access_token\":\"UsErAcc3ssT0kenAbCdEfGhJ\",\"account_id\":null,\"available_name\":\"Dan\",\"avatar_url\":\"\"," +
  "\"confirmed\":true,\"display_name\":null,\"message_signature\":null,\"email\":\"dan@acme.inc\",\"id\":42," +
  "\"name\":\"Dan\",\"provider\":\"email\",\"pubsub_token\":\"PuBsUbT0kenAbCdEfGhJkLmN\",\"role\":null," +
  "\"ui_settings\":{},\"uid\":\"dan@acme.inc\",\"accounts\":[]}"

/** Every client the live layers are tested over: `undefined` is `PlatformUsersHttp.layer`'s own lean client. */
export const clients: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient> | undefined]> = [
  ["lean (layer)", undefined],
  ["lean (layerWithHttpClient)", ChatwootHttpClient.layerUndici],
  ["fetch", FetchHttpClient.layer],
  ["node undici", NodeHttpClient.layerUndici],
  ["node http", NodeHttpClient.layerNodeHttp]
]

/** The users service over `client`, living as long as the test's scope. */
export const usersOver = (
  client: Layer.Layer<HttpClient.HttpClient> | undefined,
  options: Partial<PlatformUsersHttp.Options> & { readonly baseUrl: string }
) => {
  const full: PlatformUsersHttp.Options = { apiAccessToken: Redacted.make(TOKEN), ...options }
  const layer = client === undefined
    ? PlatformUsersHttp.layer(full)
    : PlatformUsersHttp.layerWithHttpClient(full).pipe(Layer.provide(client))
  return Effect.map(Layer.build(layer), Context.get(PlatformUsers.PlatformUsers))
}
