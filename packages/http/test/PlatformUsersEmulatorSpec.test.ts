// The cases of Chatwoot's own request spec (BEHAVIOUR.md §6) that are not plain data, against the emulator over a
// real loopback socket: the six with no header at all (plain fetch: a typed client always sends one), and #12 against
// the stored token. The other 17 are shared cases (spec/cases/users.ts), run by SharedCases.test.ts.
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import { UserId } from "@chatwoot-effect/core/User"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as UsersCases from "../../../spec/cases/users.js"
import * as PlatformUsersEmulator from "../src/PlatformUsersEmulator.js"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"

const { APP } = UsersCases
const ID = UserId.make(1)

// The spec's seed, as its shared cases have it (spec/cases/users.ts).
const setup = (
  options: {
    readonly permitted: boolean
    readonly extraUsers?: ReadonlyArray<{ readonly [key: string]: string | number }>
  }
) =>
  PlatformUsersEmulator.serve({
    port: 0,
    seed: Either.getOrThrow(PlatformUsersMemory.decodeSeed(UsersCases.seed(options.permitted, options.extraUsers)))
  })

const client = (url: string, token: string) =>
  Effect.map(
    Layer.build(
      PlatformUsersHttp.layerWithHttpClient({ baseUrl: url, apiAccessToken: Redacted.make(token), retry: false }).pipe(
        Layer.provide(FetchHttpClient.layer)
      )
    ),
    (context) => Context.get(context, PlatformUsers)
  )

const rawStatus = (url: string, method: string, path: string) =>
  Effect.promise(async () => {
    const response = await fetch(`${url}/platform/api/v1${path}`, { method, headers: { accept: "application/json" } })
    return { status: response.status, body: await response.text() }
  })

interface Endpoint {
  readonly name: string
  readonly method: string
  readonly path: string
}

const endpoints: Record<"show" | "login" | "token" | "create" | "update" | "destroy", Endpoint> = {
  show: { name: "GET /users/:id", method: "GET", path: "/users/1" },
  login: { name: "GET /users/:id/login", method: "GET", path: "/users/1/login" },
  token: { name: "POST /users/:id/token", method: "POST", path: "/users/1/token" },
  create: { name: "POST /users", method: "POST", path: "/users" },
  update: { name: "PATCH /users/:id", method: "PATCH", path: "/users/1" },
  destroy: { name: "DELETE /users/:id", method: "DELETE", path: "/users/1" }
}

const noHeader = (n: number, endpoint: Endpoint) =>
  it.scoped(`#${n} ${endpoint.name}: no header gives 401`, () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* setup({ permitted: true })
      const before = yield* emulator.memory.users
      const answer = yield* rawStatus(url, endpoint.method, endpoint.path === "/users" ? "/users" : endpoint.path)
      assert.strictEqual(answer.status, 401)
      assert.strictEqual(answer.body, "{\"error\":\"Invalid access_token\"}")
      assert.deepStrictEqual(yield* emulator.memory.users, before)
    }))

describe("Chatwoot's users_controller_spec against the emulator", () => {
  noHeader(1, endpoints.show)
  noHeader(5, endpoints.login)
  noHeader(9, endpoints.token)
  it.scoped("#12 POST /users/:id/token: valid token and permission", () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* setup({ permitted: true })
      const stored = Option.getOrThrow(yield* emulator.memory.user(1))
      const token = yield* (yield* client(url, APP)).token(ID)
      assert.strictEqual(Redacted.value(token.access_token), stored.access_token)
      assert.isNull(token.expiry)
      assert.strictEqual(token.user.id, stored.id)
      assert.strictEqual(token.user.name, stored.name)
      assert.isNull(token.user.display_name)
      assert.strictEqual(token.user.email, stored.email)
      assert.strictEqual(token.user.pubsub_token, stored.pubsub_token)
    }))

  noHeader(13, endpoints.create)
  noHeader(17, endpoints.update)
  noHeader(21, endpoints.destroy)
})
