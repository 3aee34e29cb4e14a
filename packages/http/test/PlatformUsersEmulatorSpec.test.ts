// The 24 cases of Chatwoot's own request spec (BEHAVIOUR.md §6) against the emulator over a real loopback socket,
// driven by the live client where it can express the request, and by plain fetch where it cannot (no header).
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersService from "@chatwoot-effect/core/PlatformUsers"
import type { PlatformUsersError } from "@chatwoot-effect/core/PlatformUsersError"
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
import * as PlatformUsersEmulator from "../src/PlatformUsersEmulator.js"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"

const APP = "SpecPlatformAppToken0001"
const EMAIL = "dev+testing@chatwoot.com"
const ID = UserId.make(1)

// `let!(:user) { create(:user, email: 'dev+testing@chatwoot.com', custom_attributes: { test: 'test' }) }`, a
// platform app, and the permissible row only where the spec creates one.
const setup = (options: { readonly permitted: boolean; readonly extraUsers?: ReadonlyArray<unknown> }) =>
  PlatformUsersEmulator.serve({
    port: 0,
    seed: Either.getOrThrow(PlatformUsersMemory.decodeSeed({
      apps: [{ name: "app", token: APP }],
      users: [
        {
          id: 1,
          name: "Dev",
          email: EMAIL,
          password: "Password1!",
          custom_attributes: { test: "test" },
          apps: options.permitted ? ["app"] : []
        },
        ...(options.extraUsers ?? [])
      ]
    }))
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

type Call = (users: PlatformUsersService.Service) => Effect.Effect<unknown, PlatformUsersError>

interface Endpoint {
  readonly name: string
  readonly method: string
  readonly path: string
  readonly call: Call
}

const endpoints: Record<"show" | "login" | "token" | "create" | "update" | "destroy", Endpoint> = {
  show: { name: "GET /users/:id", method: "GET", path: "/users/1", call: (users) => users.get(ID) },
  login: { name: "GET /users/:id/login", method: "GET", path: "/users/1/login", call: (users) => users.loginUrl(ID) },
  token: { name: "POST /users/:id/token", method: "POST", path: "/users/1/token", call: (users) => users.token(ID) },
  create: {
    name: "POST /users",
    method: "POST",
    path: "/users",
    call: (users) => users.create({ name: "test", email: "test@test.com", password: Redacted.make("Password1!") })
  },
  update: {
    name: "PATCH /users/:id",
    method: "PATCH",
    path: "/users/1",
    call: (users) => users.update(ID, { name: "test" })
  },
  destroy: { name: "DELETE /users/:id", method: "DELETE", path: "/users/1", call: (users) => users.delete(ID) }
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

const invalidHeader = (n: number, endpoint: Endpoint) =>
  it.scoped(`#${n} ${endpoint.name}: header "invalid" gives 401`, () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* setup({ permitted: true })
      const before = yield* emulator.memory.users
      const error = yield* Effect.flip(endpoint.call(yield* client(url, "invalid")))
      assert.strictEqual(error._tag, "Unauthorized")
      assert.strictEqual(error._tag === "Unauthorized" && error.reason, "InvalidToken")
      assert.deepStrictEqual(yield* emulator.memory.users, before)
    }))

const noPermission = (n: number, endpoint: Endpoint) =>
  it.scoped(`#${n} ${endpoint.name}: a valid token without permission gives 401`, () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* setup({ permitted: false })
      const before = yield* emulator.memory.users
      const error = yield* Effect.flip(endpoint.call(yield* client(url, APP)))
      assert.strictEqual(error._tag, "Unauthorized")
      assert.strictEqual(error._tag === "Unauthorized" && error.reason, "NonPermissibleResource")
      assert.deepStrictEqual(yield* emulator.memory.users, before)
    }))

describe("Chatwoot's users_controller_spec against the emulator", () => {
  noHeader(1, endpoints.show)
  invalidHeader(2, endpoints.show)
  noPermission(3, endpoints.show)
  it.scoped("#4 GET /users/:id: valid token and permission", () =>
    Effect.gen(function*() {
      const { url } = yield* setup({ permitted: true })
      const user = yield* (yield* client(url, APP)).get(ID)
      assert.strictEqual(user.email, EMAIL)
      assert.deepStrictEqual(user.custom_attributes, { test: "test" })
    }))

  noHeader(5, endpoints.login)
  invalidHeader(6, endpoints.login)
  noPermission(7, endpoints.login)
  it.scoped("#8 GET /users/:id/login: valid token and permission", () =>
    Effect.gen(function*() {
      const { url } = yield* setup({ permitted: true })
      const link = yield* (yield* client(url, APP)).loginUrl(ID)
      assert.include(link.url, "email=dev%2Btesting%40chatwoot.com&sso_auth_token=")
    }))

  noHeader(9, endpoints.token)
  invalidHeader(10, endpoints.token)
  noPermission(11, endpoints.token)
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
  invalidHeader(14, endpoints.create)
  it.scoped("#15 POST /users/: valid token creates the user and the permission row", () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* setup({ permitted: false })
      const user = yield* (yield* client(url, APP)).create({
        name: "test",
        display_name: "displaytest",
        email: "test@test.com",
        password: Redacted.make("Password1!"),
        custom_attributes: { test: "test_create" }
      })
      assert.strictEqual(user.name, "test")
      assert.strictEqual(user.display_name, "displaytest")
      assert.strictEqual(user.email, "test@test.com")
      assert.deepStrictEqual(user.custom_attributes, { test: "test_create" })
      const permitted = (yield* emulator.memory.users).filter((row) => row.apps.includes("app")).map((row) => row.id)
      assert.deepStrictEqual(permitted, [user.id])
    }))

  it.scoped("#16 POST /users/: an existing email returns that user unchanged and claims it", () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* setup({
        permitted: false,
        extraUsers: [{ id: 2, name: "old test", email: "test@test.com", password: "Password1!" }]
      })
      const user = yield* (yield* client(url, APP)).create({
        name: "test",
        email: "test@test.com",
        password: Redacted.make("Password1!")
      })
      assert.strictEqual(user.name, "old test")
      assert.strictEqual(user.id, 2)
      const permitted = (yield* emulator.memory.users).filter((row) => row.apps.includes("app")).map((row) => row.id)
      assert.deepStrictEqual(permitted, [user.id])
    }))

  noHeader(17, endpoints.update)
  invalidHeader(18, endpoints.update)
  noPermission(19, endpoints.update)
  it.scoped("#20 PATCH /users/:id: valid token and permission", () =>
    Effect.gen(function*() {
      const { url } = yield* setup({ permitted: true })
      const user = yield* (yield* client(url, APP)).update(ID, {
        name: "test123",
        email: "newtestemail@test.com",
        custom_attributes: { test: "test_update" }
      })
      assert.strictEqual(user.name, "test123")
      assert.strictEqual(user.email, "newtestemail@test.com")
      assert.deepStrictEqual(user.custom_attributes, { test: "test_update" })
    }))

  noHeader(21, endpoints.destroy)
  invalidHeader(22, endpoints.destroy)
  noPermission(23, endpoints.destroy)
  it.scoped("#24 DELETE /users/:id: valid token and permission", () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* setup({ permitted: true })
      const users = yield* client(url, APP)
      yield* users.delete(ID)
      assert.isTrue(Option.isNone(yield* emulator.memory.user(1)))
      const gone = yield* Effect.flip(users.get(ID))
      assert.strictEqual(gone._tag, "NotFound")
    }))
})
