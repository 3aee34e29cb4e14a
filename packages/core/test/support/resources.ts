// Shared setup of the accounts, account users and agent bots tests: a seed like the request specs' (an account
// and a bot the app holds, one of another app's each), and helpers that run requests through `execute`.
import * as Effect from "effect/Effect"
import type { ResourceOperation } from "../../src/PlatformUsersError.js"
import * as PlatformUsersMemory from "../../src/PlatformUsersMemory.js"
import * as PlatformUsersWire from "../../src/PlatformUsersWire.js"
import { Outcome } from "./edition.js"

export const APP = "ResourcesAppToken0000001"
export const OTHER = "ResourcesAppToken0000002"
export const BOT_TOKEN = "SeededBotAccessToken0001"

export const seedInput = {
  apps: [{ name: "app", token: APP }, { name: "other", token: OTHER }],
  accounts: [
    { id: 1, name: "Account 1", domain: "test.com", support_email: "support@test.com", apps: ["app"] },
    { id: 2, name: "Theirs", apps: ["other"] }
  ],
  agent_bots: [
    {
      id: 1,
      name: "MyString",
      description: "MyString",
      outgoing_url: "localhost",
      access_token: BOT_TOKEN,
      apps: ["app"]
    },
    { id: 2, name: "TheirBot", apps: ["other"] }
  ],
  users: [
    { id: 1, name: "Dev", email: "dev@example.com", apps: ["app"] },
    { id: 2, name: "Stranger", email: "stranger@example.com" }
  ]
}

export const seed = Outcome.getOrThrow(PlatformUsersMemory.decodeSeed(seedInput))

/** No default flags unless a test sets them, as in the request specs. */
export const makeHandle = (options?: Omit<PlatformUsersMemory.Options, "seed">) =>
  PlatformUsersMemory.make({ seed, defaultFeatures: [], ...options })

export type Handle = PlatformUsersMemory.Handle

export const request = (
  operation: ResourceOperation,
  path: { readonly id?: string; readonly account_id?: string } = {},
  params: Readonly<Record<string, unknown>> = {}
): PlatformUsersMemory.ResourceRequest => ({ operation, path, params })

/** The token sent: `APP` by default, `null` for none (no header). */
type Token = string | null

const tokenOf = (token: Token) => token ?? undefined

export const body = (handle: Handle, req: PlatformUsersMemory.Request, token: Token = APP) =>
  Effect.map(handle.execute(tokenOf(token), req), (success) => success.body)

export const json = (handle: Handle, req: PlatformUsersMemory.Request, token: Token = APP) =>
  Effect.map(body(handle, req, token), (text) => JSON.parse(text))

/** A failure as it goes on the wire: `"<status> <body>"`. */
export const failure = (handle: Handle, req: PlatformUsersMemory.Request, token: Token = APP) =>
  Effect.map(Effect.flip(handle.execute(tokenOf(token), req)), (f) => {
    const response = PlatformUsersWire.renderFailure(f)
    return `${response.status} ${response.body}`
  })

export const INVALID_TOKEN = "401 {\"error\":\"Invalid access_token\"}"
export const NON_PERMISSIBLE = "401 {\"error\":\"Non permissible resource\"}"
export const NOT_FOUND = "404 {\"status\":404,\"error\":\"Not Found\"}"
export const SERVER_ERROR = "500 {\"status\":500,\"error\":\"Internal Server Error\"}"

export const unprocessable = (message: string, attributes: ReadonlyArray<string>) =>
  `422 ${JSON.stringify({ message, attributes })}`

export const base58Token = /^[1-9A-HJ-NP-Za-km-z]{24}$/
