// One behaviour suite, run against every way of getting a `PlatformUsers`: the in-memory layer, the live client over
// the emulator's socket, and the live client through the emulator's in-process HttpClient. The same assertions
// must hold for all of them: same results, same typed errors.
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersService from "@chatwoot-effect/core/PlatformUsers"
import { NotFound, Unauthorized } from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import { UserId } from "@chatwoot-effect/core/User"
import { Messages } from "@chatwoot-effect/core/UserRules"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as PlatformUsersEmulator from "../src/PlatformUsersEmulator.js"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"

const APP = "BehaviourAppToken0000001"
const OTHER = "BehaviourAppToken0000002"
const FRONTEND = "https://chat.example.com"

interface Env {
  /** The service, calling as the platform app with this token. */
  readonly users: (token: string) => Effect.Effect<PlatformUsersService.Service, never, Scope.Scope>
  /** The server behind it, to inspect. */
  readonly memory: PlatformUsersMemory.Handle
}

type MakeEnv = (seed: PlatformUsersMemory.Seed) => Effect.Effect<Env, unknown, Scope.Scope>

const liveClient = (baseUrl: string, http: Layer.Layer<HttpClient.HttpClient>) => (token: string) =>
  Effect.map(
    Layer.build(
      PlatformUsersHttp.layerWithHttpClient({ baseUrl, apiAccessToken: Redacted.make(token), retry: false }).pipe(
        Layer.provide(http)
      )
    ),
    (context) => Context.get(context, PlatformUsers)
  )

const environments: ReadonlyArray<readonly [string, MakeEnv]> = [
  [
    "in-memory layer",
    (seed) =>
      Effect.gen(function*() {
        // The layer as users get it, for the default app; `serviceFor` for the others.
        const context = yield* Layer.build(PlatformUsersMemory.layer({ seed, frontendUrl: FRONTEND }))
        const memory = Context.get(context, PlatformUsersMemory.PlatformUsersMemory)
        const byLayer = Context.get(context, PlatformUsers)
        return {
          memory,
          users: (token) => Effect.succeed(token === APP ? byLayer : memory.serviceFor(token))
        }
      })
  ],
  [
    "live client over the emulator's socket",
    (seed) =>
      Effect.map(
        PlatformUsersEmulator.serve({ seed, frontendUrl: FRONTEND, port: 0 }),
        ({ emulator, url }) => ({ memory: emulator.memory, users: liveClient(url, FetchHttpClient.layer) })
      )
  ],
  [
    "live client through the emulator's in-process HttpClient",
    (seed) =>
      Effect.map(
        PlatformUsersEmulator.make({ seed, frontendUrl: FRONTEND }),
        (emulator) => ({
          memory: emulator.memory,
          users: liveClient("http://emulator.invalid", PlatformUsersEmulator.layerHttpClient(emulator))
        })
      )
  ]
]

const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "app", token: APP }, { name: "other", token: OTHER }],
  users: [
    {
      id: 1,
      name: "Dev",
      email: "dev+testing@chatwoot.com",
      password: "Password1!",
      custom_attributes: { test: "test" },
      apps: ["app"],
      accounts: [
        { id: 10, name: "Old", role: "administrator", active_at: "2024-01-01T00:00:00Z" },
        { id: 11, name: "Recent", role: "agent", active_at: "2025-03-04T05:06:07.089Z" }
      ]
    },
    { id: 2, name: "Theirs", email: "theirs@example.com", password: "Password1!", apps: ["other"] }
  ]
}))

// Typed errors compared by their fields (chai's deep equality recurses forever on Effect's error internals).
const sameError = (actual: object, expected: object) =>
  assert.deepStrictEqual({ ...actual }, { ...expected }, `${String(actual)} vs ${String(expected)}`)

const behaviour = (name: string, makeEnv: MakeEnv) =>
  describe(`PlatformUsers behaviour: ${name}`, () => {
    const withEnv = <A, E>(f: (env: Env, users: PlatformUsersService.Service) => Effect.Effect<A, E, Scope.Scope>) =>
      Effect.gen(function*() {
        const env = yield* Effect.orDie(makeEnv(seed))
        return yield* f(env, yield* env.users(APP))
      })

    it.scoped("get renders the stored user, with account_id and role from the latest membership", () =>
      withEnv((env, users) =>
        Effect.gen(function*() {
          const user = yield* users.get(UserId.make(1))
          const stored = Option.getOrThrow(yield* env.memory.user(1))
          assert.strictEqual(user.email, "dev+testing@chatwoot.com")
          assert.strictEqual(user.uid, "dev+testing@chatwoot.com")
          assert.strictEqual(user.access_token, stored.access_token)
          assert.strictEqual(user.available_name, "Dev")
          assert.isTrue(user.confirmed)
          assert.deepStrictEqual(user.custom_attributes, { test: "test" })
          assert.strictEqual(user.account_id, 11)
          assert.strictEqual(user.role, "agent")
          assert.deepStrictEqual(
            user.accounts.map((account) => [account.id, account.name, account.active_at, account.role]),
            [
              [10, "Old", "2024-01-01T00:00:00.000Z", "administrator"],
              [11, "Recent", "2025-03-04T05:06:07.089Z", "agent"]
            ]
          )
        })
      ))

    it.scoped("update merges custom_attributes shallowly, applies the email at once, accepts name \"\"", () =>
      withEnv((env, users) =>
        Effect.gen(function*() {
          yield* users.update(UserId.make(1), { custom_attributes: { nested: { a: 1 }, keep: "x" } })
          const user = yield* users.update(UserId.make(1), {
            name: "",
            display_name: "Shown",
            email: " New@Example.com ",
            custom_attributes: { test: "test_update", nested: { b: 2 }, gone: null }
          })
          assert.strictEqual(user.name, "")
          assert.strictEqual(user.available_name, "Shown")
          assert.strictEqual(user.email, "new@example.com")
          assert.strictEqual(user.uid, "new@example.com")
          assert.deepStrictEqual(user.custom_attributes, {
            keep: "x",
            gone: null,
            test: "test_update",
            nested: { b: 2 }
          })
          const stored = Option.getOrThrow(yield* env.memory.user(1))
          assert.strictEqual(stored.email, "new@example.com")
        })
      ))

    it.scoped("a password change rotates pubsub_token, not access_token", () =>
      withEnv((env, users) =>
        Effect.gen(function*() {
          const before = yield* users.get(UserId.make(1))
          const after = yield* users.update(UserId.make(1), { password: Redacted.make("Another1!") })
          assert.notStrictEqual(after.pubsub_token, before.pubsub_token)
          assert.strictEqual(after.access_token, before.access_token)
          assert.isTrue(yield* env.memory.passwordMatches(1, "Another1!"))
        })
      ))

    it.scoped("create makes a new user managed by the caller, or claims an existing one unchanged", () =>
      withEnv((env, users) =>
        Effect.gen(function*() {
          const created = yield* users.create({
            name: "Ada",
            email: "ada@example.com",
            password: Redacted.make("Password1!")
          })
          assert.strictEqual(created.id, 3)
          assert.isFalse("custom_attributes" in created)
          assert.isNull(created.account_id)
          assert.isNull(created.role)
          assert.isNull(created.display_name)
          assert.isNull(created.message_signature)
          assert.deepStrictEqual(created.accounts, [])
          const claimed = yield* users.create({
            name: "Ignored",
            email: " THEIRS@example.com",
            password: Redacted.make("Password1!")
          })
          assert.strictEqual(claimed.id, 2)
          assert.strictEqual(claimed.name, "Theirs")
          assert.isTrue(yield* env.memory.passwordMatches(2, "Password1!"))
          assert.deepStrictEqual(Option.getOrThrow(yield* env.memory.user(2)).apps, ["app", "other"])
          assert.strictEqual((yield* users.get(UserId.make(2))).name, "Theirs")
        })
      ))

    it.scoped("errors: InvalidToken, NotFound before NonPermissibleResource", () =>
      withEnv((env, users) =>
        Effect.gen(function*() {
          const stranger = yield* env.users("invalid")
          sameError(
            yield* Effect.flip(stranger.get(UserId.make(1))),
            new Unauthorized({ operation: "get", reason: "InvalidToken", resource: "user", id: UserId.make(1) })
          )
          sameError(
            yield* Effect.flip(users.update(UserId.make(99), { name: "x" })),
            new NotFound({ operation: "update", resource: "user", id: UserId.make(99) })
          )
          sameError(
            yield* Effect.flip(users.delete(UserId.make(2))),
            new Unauthorized({
              operation: "delete",
              reason: "NonPermissibleResource",
              resource: "user",
              id: UserId.make(2)
            })
          )
          const other = yield* env.users(OTHER)
          assert.strictEqual((yield* other.get(UserId.make(2))).name, "Theirs")
        })
      ))

    it.scoped("validation: the server's 422 for a taken email; the client's own check sends nothing", () =>
      withEnv((env, users) =>
        Effect.gen(function*() {
          const taken = yield* Effect.flip(users.update(UserId.make(1), { email: "theirs@example.com" }))
          assert.strictEqual(taken._tag, "Validation")
          if (taken._tag === "Validation") {
            assert.strictEqual(taken.source, "server")
            assert.deepStrictEqual(taken.attributes, ["email"])
            assert.strictEqual(taken.serverMessage, `${Messages.emailTaken}, ${Messages.emailTaken}`)
          }
          const before = yield* env.memory.users
          const weak = yield* Effect.flip(users.update(UserId.make(1), { password: Redacted.make("weak") }))
          assert.strictEqual(weak._tag === "Validation" && weak.source, "client")
          assert.deepStrictEqual(weak._tag === "Validation" && weak.attributes, ["password"])
          assert.notInclude(String(weak), "weak\"")
          assert.deepStrictEqual(yield* env.memory.users, before)
        })
      ))

    it.scoped("loginUrl and token", () =>
      withEnv((env, users) =>
        Effect.gen(function*() {
          const first = yield* users.loginUrl(UserId.make(1))
          const second = yield* users.loginUrl(UserId.make(1))
          const pattern = new RegExp(
            "^https://chat\\.example\\.com/app/login\\?email=dev%2Btesting%40chatwoot\\.com&sso_auth_token=[0-9a-f]{64}$"
          )
          assert.match(first.url, pattern)
          assert.match(second.url, pattern)
          assert.notStrictEqual(first.url, second.url)
          const stored = Option.getOrThrow(yield* env.memory.user(1))
          const token = yield* users.token(UserId.make(1))
          assert.strictEqual(Redacted.value(token.access_token), stored.access_token)
          assert.isNull(token.expiry)
          assert.deepStrictEqual(
            [token.user.id, token.user.name, token.user.email, token.user.pubsub_token],
            [1, "Dev", "dev+testing@chatwoot.com", stored.pubsub_token]
          )
        })
      ))

    it.scoped("delete removes the user: then NotFound", () =>
      withEnv((env, users) =>
        Effect.gen(function*() {
          yield* users.delete(UserId.make(1))
          assert.isTrue(Option.isNone(yield* env.memory.user(1)))
          sameError(
            yield* Effect.flip(users.get(UserId.make(1))),
            new NotFound({ operation: "get", resource: "user", id: UserId.make(1) })
          )
        })
      ))
  })

for (const [name, makeEnv] of environments) behaviour(name, makeEnv)
