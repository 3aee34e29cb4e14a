/**
 * Chatwoot's Platform API users endpoints in memory: the same server semantics the emulator serves over HTTP
 * (find-or-create, shallow merge, the exact 422 messages, 404 before permission...), and a `PlatformUsers` layer on
 * top of it whose errors are the ones the live client reads from the wire. Seedable, and inspectable from tests.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as Engine from "./internal/engine.js"
import * as RailsParams from "./internal/railsParams.js"
import { jsonb, secureHex, secureToken } from "./internal/railsText.js"
import { PlatformUsers } from "./PlatformUsers.js"
import type * as PlatformUsersService from "./PlatformUsers.js"
import type {
  CreateError,
  MemberError,
  Operation,
  PlatformUsersError,
  UpdateError,
  UserOperation
} from "./PlatformUsersError.js"
import { UnexpectedResponse } from "./PlatformUsersError.js"
import * as PlatformUsersWire from "./PlatformUsersWire.js"
import { CustomAttributes, SsoLink, User, UserToken } from "./User.js"
import type { UserId } from "./User.js"
import * as UserPayload from "./UserPayload.js"
import * as UserRules from "./UserRules.js"

// ---------------------------------------------------------------------------------------------------------------
// Seed

/**
 * A platform app: a name (referenced by users' `apps`) and its `api_access_token`.
 *
 * @since 0.1.0
 * @category Seed
 */
export const SeedApp = Schema.Struct({
  name: Schema.NonEmptyTrimmedString,
  token: Schema.Redacted(Schema.NonEmptyString)
})

/**
 * @since 0.1.0
 * @category Seed
 */
export type SeedApp = typeof SeedApp.Type

/**
 * An account membership (an `account_users` row): account id and name, role, and when the user was last active in
 * it (ISO-8601; the latest one decides the user's `account_id` and `role`).
 *
 * @since 0.1.0
 * @category Seed
 */
export const SeedMembership = Schema.Struct({
  id: Schema.Int.pipe(Schema.positive()),
  name: Schema.String,
  role: Schema.optionalWith(Schema.Literal("agent", "administrator"), { default: () => "agent" as const }),
  active_at: Schema.optionalWith(
    Schema.NullOr(
      Schema.String.pipe(Schema.filter((s) => !Number.isNaN(Date.parse(s)) || "must be an ISO-8601 date-time"))
    ),
    { default: () => null }
  )
})

/**
 * @since 0.1.0
 * @category Seed
 */
export type SeedMembership = typeof SeedMembership.Type

/**
 * A user. Without an `id` the next free one is used; without a `password` a random valid one is stored. `apps` names
 * the platform apps that may manage the user (none: only reachable by claiming it with create).
 *
 * @since 0.1.0
 * @category Seed
 */
export const SeedUser = Schema.Struct({
  id: Schema.optional(Schema.Int.pipe(Schema.positive())),
  name: Schema.String,
  email: Schema.String,
  password: Schema.optional(Schema.Redacted(Schema.String)),
  display_name: Schema.optional(Schema.NullOr(Schema.String)),
  custom_attributes: Schema.optional(CustomAttributes),
  apps: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  accounts: Schema.optionalWith(Schema.Array(SeedMembership), { default: () => [] })
})

/**
 * @since 0.1.0
 * @category Seed
 */
export type SeedUser = typeof SeedUser.Type

/**
 * The documented seed format (`docs/seed.md`, `examples/seed.json`).
 *
 * @since 0.1.0
 * @category Seed
 */
export const Seed = Schema.Struct({
  apps: Schema.optionalWith(Schema.Array(SeedApp), { default: () => [] }),
  users: Schema.optionalWith(Schema.Array(SeedUser), { default: () => [] })
}).annotations({ identifier: "Seed" })

/**
 * @since 0.1.0
 * @category Seed
 */
export type Seed = typeof Seed.Type

/**
 * A seed (or an `addApp`/`addUser`/... call) that does not fit: each issue names its entry, e.g.
 * `users[3].email: Email is not an email`. Never quotes a token or a password.
 *
 * @since 0.1.0
 * @category Errors
 */
export class SeedError extends Schema.TaggedError<SeedError>("@chatwoot-effect/core/SeedError")("SeedError", {
  issues: Schema.Array(Schema.String)
}) {
  get message(): string {
    return `invalid seed: ${this.issues.join("; ")}`
  }
}

const formatPath = (path: ReadonlyArray<PropertyKey>) =>
  path.reduce<string>(
    (acc, key) => typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`,
    ""
  )

const isSecretPath = (path: ReadonlyArray<PropertyKey>) => {
  const last = path[path.length - 1]
  return last === "token" || last === "password"
}

const seedIssues = (seed: Seed): Array<string> => {
  const issues: Array<string> = []
  const appNames = new Set<string>()
  const tokens = new Set<string>()
  seed.apps.forEach((app, i) => {
    if (appNames.has(app.name)) issues.push(`apps[${i}].name: duplicate app name ${JSON.stringify(app.name)}`)
    if (tokens.has(Redacted.value(app.token))) issues.push(`apps[${i}].token: duplicate token`)
    appNames.add(app.name)
    tokens.add(Redacted.value(app.token))
  })
  const ids = new Set<number>()
  const emails = new Set<string>()
  seed.users.forEach((user, i) => {
    issues.push(...userIssues(user, `users[${i}]`, appNames))
    if (user.id !== undefined) {
      if (ids.has(user.id)) issues.push(`users[${i}].id: duplicate id ${user.id}`)
      ids.add(user.id)
    }
    const email = UserRules.normalizeEmail(user.email)
    if (emails.has(email)) issues.push(`users[${i}].email: duplicate email ${JSON.stringify(email)}`)
    emails.add(email)
  })
  return issues
}

const userIssues = (user: SeedUser, at: string, appNames: ReadonlySet<string>): Array<string> => {
  const issues: Array<string> = []
  for (const violation of UserRules.emailViolations(UserRules.normalizeEmail(user.email))) {
    issues.push(`${at}.email: ${violation.message}`)
  }
  if (user.password !== undefined) {
    for (const violation of UserRules.passwordViolations(Redacted.value(user.password))) {
      issues.push(`${at}.password: ${violation.message}`)
    }
  }
  user.apps.forEach((name, j) => {
    if (!appNames.has(name)) issues.push(`${at}.apps[${j}]: no app named ${JSON.stringify(name)} in apps`)
  })
  const accountIds = new Set<number>()
  user.accounts.forEach((account, j) => {
    if (accountIds.has(account.id)) issues.push(`${at}.accounts[${j}].id: duplicate account ${account.id}`)
    accountIds.add(account.id)
  })
  return issues
}

// Schema messages quote the actual value (`Expected string, actual ...`): cut that off so a token or password
// never lands in an error, and drop the "Expected undefined" noise of optional fields that were present but wrong.
const parseIssues = (error: ParseResult.ParseError, root: string): Array<string> => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const useful = issues.filter((issue) => !issue.message.startsWith("Expected undefined, actual"))
  return (useful.length > 0 ? useful : issues).map((issue) => {
    const at = formatPath(issue.path)
    const message = isSecretPath(issue.path) && issue._tag !== "Missing"
      ? "must be a non-empty string"
      : issue.message.replace(/, actual [\s\S]*$/, "")
    return `${at === "" ? root : at}: ${message}`
  })
}

/**
 * Reads a seed from untrusted JSON and checks that it is consistent: unique app names, tokens, user ids and emails,
 * valid emails and passwords (Chatwoot's rules), users' `apps` naming declared apps.
 *
 * @since 0.1.0
 * @category Seed
 */
export const decodeSeed = (input: unknown): Either.Either<Seed, SeedError> =>
  Schema.decodeUnknownEither(Seed, { errors: "all", onExcessProperty: "error" })(input).pipe(
    Either.mapLeft((error) => new SeedError({ issues: parseIssues(error, "seed") })),
    Either.flatMap((seed) => {
      const issues = seedIssues(seed)
      return issues.length > 0 ? Either.left(new SeedError({ issues })) : Either.right(seed)
    })
  )

// ---------------------------------------------------------------------------------------------------------------
// Handle

/**
 * A platform app of the in-memory server.
 *
 * @since 0.1.0
 * @category Models
 */
export interface AppInfo {
  readonly id: number
  readonly name: string
  readonly token: Redacted.Redacted<string>
}

/**
 * A user as stored, for assertions. The password is never exposed; use `passwordMatches`.
 *
 * @since 0.1.0
 * @category Models
 */
export interface UserSnapshot {
  readonly id: number
  readonly name: string
  readonly display_name: string | null
  readonly email: string
  readonly uid: string
  readonly provider: "email"
  readonly access_token: string
  readonly pubsub_token: string
  readonly confirmed: boolean
  readonly custom_attributes: Readonly<Record<string, unknown>>
  readonly accounts: ReadonlyArray<SeedMembership>
  /** Names of the apps with permission on this user. */
  readonly apps: ReadonlyArray<string>
}

/**
 * A request as the controller sees it: the operation, the raw `:id` path segment and the raw params (top-level
 * keys of the JSON body merged with the query string). Permitting and casting happen inside.
 *
 * @since 0.1.0
 * @category Models
 */
export type Request =
  | { readonly operation: "create"; readonly params: Readonly<Record<string, unknown>> }
  | { readonly operation: "update"; readonly id: string; readonly params: Readonly<Record<string, unknown>> }
  | { readonly operation: "get" | "delete" | "loginUrl" | "token"; readonly id: string }

/**
 * A 200 answer: `body` is the JSON text in Chatwoot's key order, `""` for delete.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Success {
  readonly operation: Operation
  readonly body: string
}

/**
 * The in-memory server.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Handle {
  /** `FRONTEND_URL` used by login links ("" gives `/app/login?...`). */
  readonly frontendUrl: string
  readonly apps: Effect.Effect<ReadonlyArray<AppInfo>>
  /** Adds a platform app; a random 24-character token when none is given. */
  readonly addApp: (app: { readonly name: string; readonly token?: string | undefined }) => Effect.Effect<
    AppInfo,
    SeedError
  >
  /** Adds a user as a seed entry describes it (no Chatwoot validation beyond email/password rules). */
  readonly addUser: (user: typeof SeedUser.Encoded) => Effect.Effect<UserSnapshot, SeedError>
  /** Adds (or replaces) an account membership of a user. */
  readonly addMembership: (
    userId: number,
    membership: typeof SeedMembership.Encoded
  ) => Effect.Effect<void, SeedError>
  /** Lets the named app manage the user (a PlatformAppPermissible row). */
  readonly grant: (appName: string, userId: number) => Effect.Effect<void, SeedError>
  /** Every user, in creation order. */
  readonly users: Effect.Effect<ReadonlyArray<UserSnapshot>>
  readonly user: (id: number) => Effect.Effect<Option.Option<UserSnapshot>>
  readonly passwordMatches: (id: number, candidate: string | Redacted.Redacted<string>) => Effect.Effect<boolean>
  /** `set_platform_app`: the app owning this exact token, or `InvalidToken`. */
  readonly authenticate: (token: string | undefined) => Effect.Effect<AppInfo, PlatformUsersWire.ServerFailure>
  /** Runs one request for an authenticated app: 404, then permission, then the action. */
  readonly run: (app: AppInfo, request: Request) => Effect.Effect<Success, PlatformUsersWire.ServerFailure>
  /** {@link Handle.authenticate} then {@link Handle.run}. */
  readonly execute: (
    token: string | Redacted.Redacted<string> | undefined,
    request: Request
  ) => Effect.Effect<Success, PlatformUsersWire.ServerFailure>
  /** A `PlatformUsers` service calling as the app with this token. */
  readonly serviceFor: (token: string | Redacted.Redacted<string>) => PlatformUsersService.Service
}

/**
 * The handle of the in-memory server, provided by {@link layer} next to `PlatformUsers`.
 *
 * @since 0.1.0
 * @category Context
 */
export class PlatformUsersMemory extends Context.Tag("@chatwoot-effect/core/PlatformUsersMemory")<
  PlatformUsersMemory,
  Handle
>() {}

/**
 * @since 0.1.0
 * @category Models
 */
export interface Options {
  readonly seed?: Seed | undefined
  /** Chatwoot's `FRONTEND_URL`, prefixed to login links. */
  readonly frontendUrl?: string | undefined
  /** Extra platform apps, one per token (named `platform-app-N`). */
  readonly platformTokens?: ReadonlyArray<string> | undefined
}

/**
 * Parses a request's parameters the way Rails does: a JSON body when the content type is JSON (`Malformed` when it
 * does not parse), a form-encoded body, and the query string on top. Used by the emulator.
 *
 * @since 0.1.0
 * @category Server
 */
export const requestParams = (options: {
  readonly contentType: string | undefined
  readonly body: string
  readonly search: string
}): Either.Either<Readonly<Record<string, unknown>>, "Malformed"> => {
  const body = RailsParams.parseBody(options.contentType, options.body)
  if (body._tag === "Malformed") return Either.left("Malformed")
  const query = RailsParams.parseNestedQuery(options.search.replace(/^\?/, ""))
  return Either.right(RailsParams.mergeParams(body.params, query))
}

const drawEntropy = Effect.sync((): Engine.Entropy => ({
  accessToken: secureToken(),
  pubsubToken: secureToken(),
  ssoToken: secureHex()
}))

// A random password that passes Chatwoot's rules, for seeded users given none.
const randomPassword = () => `${secureToken(20)}aA1!`

const appInfo = (row: Engine.AppRow): AppInfo => ({ id: row.id, name: row.name, token: Redacted.make(row.token) })

const snapshot = (state: Engine.State, user: Engine.UserRow): UserSnapshot => ({
  id: user.id,
  name: user.name,
  display_name: user.display_name,
  email: user.email,
  uid: user.uid,
  provider: user.provider,
  access_token: user.access_token,
  pubsub_token: user.pubsub_token,
  confirmed: user.confirmed,
  custom_attributes: user.custom_attributes,
  accounts: (state.memberships.get(user.id) ?? []).map((row) => ({
    id: row.account_id,
    name: row.account_name,
    role: row.role,
    active_at: row.active_at
  })),
  apps: state.apps.filter((app) => (state.permissions.get(app.id) ?? []).includes(user.id)).map((app) => app.name)
})

const membershipRow = (membership: SeedMembership): Engine.MembershipRow => ({
  account_id: membership.id,
  account_name: membership.name,
  role: membership.role,
  active_at: membership.active_at === null ? null : new Date(membership.active_at).toISOString()
})

// Seeds one user; explicit ids were reserved beforehand so automatic ones skip them.
const seedUser = (
  state: Engine.State,
  user: SeedUser,
  id: number,
  entropy: Engine.Entropy
): [Engine.UserRow, Engine.State] => {
  const email = UserRules.normalizeEmail(user.email)
  const row: Engine.UserRow = {
    id,
    name: user.name,
    display_name: user.display_name ?? null,
    email,
    uid: email,
    provider: "email",
    access_token: entropy.accessToken,
    pubsub_token: entropy.pubsubToken,
    password: user.password === undefined ? randomPassword() : Redacted.value(user.password),
    confirmed: true,
    custom_attributes: jsonb(user.custom_attributes ?? {}) as Record<string, unknown>,
    ui_settings: {},
    message_signature: null,
    avatar_url: ""
  }
  let next = Engine.withUser(state, row)
  for (const name of user.apps) {
    const app = next.apps.find((candidate) => candidate.name === name)
    if (app !== undefined) next = Engine.withPermission(next, app.id, row.id)
  }
  for (const account of user.accounts) next = Engine.withMembership(next, row.id, membershipRow(account))
  return [row, next]
}

const seedError = (issue: string) => new SeedError({ issues: [issue] })

/**
 * Builds an in-memory server. Apps come from the seed, then `platformTokens`; with neither, one app
 * (`platform-app-1`) gets a random token. A seed that `decodeSeed` would reject is a defect here.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options?: Options): Effect.Effect<Handle> =>
  Effect.gen(function*() {
    const seed: Seed = options?.seed ?? { apps: [], users: [] }
    const issues = seedIssues(seed)
    if (issues.length > 0) return yield* Effect.die(new SeedError({ issues }))
    const frontendUrl = options?.frontendUrl ?? ""
    let state = Engine.emptyState
    for (const app of seed.apps) state = Engine.withApp(state, { name: app.name, token: Redacted.value(app.token) })[1]
    for (const token of options?.platformTokens ?? []) {
      if (Engine.findApp(state, token) === undefined && token !== "") {
        state = Engine.withApp(state, { name: `platform-app-${state.nextAppId}`, token })[1]
      }
    }
    if (state.apps.length === 0) state = Engine.withApp(state, { name: "platform-app-1", token: secureToken() })[1]
    const reserved = new Set(seed.users.flatMap((user) => user.id === undefined ? [] : [user.id]))
    let auto = 1
    for (const user of seed.users) {
      let id = user.id
      if (id === undefined) {
        while (reserved.has(auto)) auto++
        id = auto++
      }
      state = seedUser(state, user, id, yield* drawEntropy)[1]
    }
    const ref = yield* SynchronizedRef.make(state)

    const authenticate = (token: string | undefined) =>
      Effect.flatMap(SynchronizedRef.get(ref), (current) => {
        const app = token === undefined ? undefined : Engine.findApp(current, token)
        return app === undefined
          ? Effect.fail<PlatformUsersWire.ServerFailure>({ _tag: "InvalidToken" })
          : Effect.succeed(appInfo(app))
      })

    const run = (app: AppInfo, request: Request) =>
      Effect.flatMap(drawEntropy, (entropy) =>
        SynchronizedRef.modify(ref, (current): [Engine.Outcome, Engine.State] => {
          const row = current.apps.find((candidate) => candidate.id === app.id)
          if (row === undefined) return [{ _tag: "Failure", failure: { _tag: "InvalidToken" } }, current]
          const [outcome, next] = Engine.run(current, row, request, entropy, { frontendUrl })
          return [outcome, next ?? current]
        })).pipe(
          Effect.flatMap((outcome) =>
            outcome._tag === "Success" ? Effect.succeed(outcome.success) : Effect.fail(outcome.failure)
          )
        )

    const execute = (token: string | Redacted.Redacted<string> | undefined, request: Request) =>
      Effect.flatMap(
        authenticate(token === undefined || typeof token === "string" ? token : Redacted.value(token)),
        (app) => run(app, request)
      )

    const handle: Handle = {
      frontendUrl,
      apps: Effect.map(SynchronizedRef.get(ref), (current) => current.apps.map(appInfo)),
      addApp: (app) =>
        SynchronizedRef.modifyEffect(ref, (current) => {
          const token = app.token ?? secureToken()
          if (app.name.trim() === "") return Effect.fail(seedError("name: must not be empty"))
          if (token === "") return Effect.fail(seedError("token: must be a non-empty string"))
          if (current.apps.some((row) => row.name === app.name)) {
            return Effect.fail(seedError(`name: duplicate app name ${JSON.stringify(app.name)}`))
          }
          if (Engine.findApp(current, token) !== undefined) return Effect.fail(seedError("token: duplicate token"))
          const [row, next] = Engine.withApp(current, { name: app.name, token })
          return Effect.succeed([appInfo(row), next] as const)
        }),
      addUser: (input) =>
        Effect.gen(function*() {
          const user = yield* Schema.decodeUnknown(SeedUser, { errors: "all", onExcessProperty: "error" })(input).pipe(
            Effect.mapError((error) => new SeedError({ issues: parseIssues(error, "user") }))
          )
          const entropy = yield* drawEntropy
          return yield* SynchronizedRef.modifyEffect(ref, (current) => {
            const problems = userIssues(user, "user", new Set(current.apps.map((app) => app.name)))
            const email = UserRules.normalizeEmail(user.email)
            if (Array.from(current.users.values()).some((row) => row.email === email)) {
              problems.push(`user.email: duplicate email ${JSON.stringify(email)}`)
            }
            if (user.id !== undefined && current.users.has(user.id)) problems.push(`user.id: duplicate id ${user.id}`)
            if (problems.length > 0) return Effect.fail(new SeedError({ issues: problems }))
            const [row, next] = seedUser(current, user, user.id ?? current.nextUserId, entropy)
            return Effect.succeed([snapshot(next, row), next] as const)
          })
        }),
      addMembership: (userId, input) =>
        Effect.gen(function*() {
          const membership = yield* Schema.decodeUnknown(SeedMembership)(input).pipe(
            Effect.mapError((error) => new SeedError({ issues: parseIssues(error, "membership") }))
          )
          yield* SynchronizedRef.updateEffect(ref, (current) =>
            current.users.has(userId)
              ? Effect.succeed(Engine.withMembership(current, userId, membershipRow(membership)))
              : Effect.fail(seedError(`userId: no user ${userId}`)))
        }),
      grant: (appName, userId) =>
        SynchronizedRef.updateEffect(ref, (current) => {
          const app = current.apps.find((row) => row.name === appName)
          if (app === undefined) return Effect.fail(seedError(`appName: no app named ${JSON.stringify(appName)}`))
          if (!current.users.has(userId)) return Effect.fail(seedError(`userId: no user ${userId}`))
          return Effect.succeed(Engine.withPermission(current, app.id, userId))
        }),
      users: Effect.map(
        SynchronizedRef.get(ref),
        (current) => Array.from(current.users.values(), (user) => snapshot(current, user))
      ),
      user: (id) =>
        Effect.map(SynchronizedRef.get(ref), (current) =>
          Option.map(Option.fromNullable(current.users.get(id)), (user) => snapshot(current, user))),
      passwordMatches: (id, candidate) =>
        Effect.map(SynchronizedRef.get(ref), (current) => {
          const user = current.users.get(id)
          return user !== undefined &&
            user.password === (typeof candidate === "string" ? candidate : Redacted.value(candidate))
        }),
      authenticate,
      run,
      execute,
      serviceFor: (token) =>
        makeService((request) => execute(token, request))
    }
    return handle
  })

// ---------------------------------------------------------------------------------------------------------------
// The typed PlatformUsers service

// The payload travels as the JSON text the live client would send, so Rails' JSON param handling applies alike.
const paramsOf = <A, I>(schema: Schema.Schema<A, I>, payload: A): Readonly<Record<string, unknown>> => {
  const encoded = Schema.encodeSync(schema)(payload)
  const parsed = RailsParams.parseBody("application/json", JSON.stringify(encoded))
  return parsed._tag === "Ok" ? parsed.params : {}
}

const makeService = (
  execute: (request: Request) => Effect.Effect<Success, PlatformUsersWire.ServerFailure>
): PlatformUsersService.Service => {
  // Failures go through the wire contract, so they are the errors the live client reads from the emulator.
  const call = <A, I>(
    operation: Operation,
    userId: UserId | undefined,
    request: Request,
    schema: Schema.Schema<A, I> | undefined
  ): Effect.Effect<A | undefined, PlatformUsersError> =>
    execute(request).pipe(
      Effect.catchAll((failure) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const response = PlatformUsersWire.renderFailure(failure)
          return Effect.fail(
            PlatformUsersWire.errorFromResponse({
              operation: operation as UserOperation,
              userId,
              status: response.status,
              body: response.body,
              now
            })
          )
        })
      ),
      Effect.flatMap((success) =>
        schema === undefined
          ? Effect.succeed(undefined)
          : Schema.decodeUnknown(schema)(JSON.parse(success.body)).pipe(
            Effect.mapError((error) =>
              new UnexpectedResponse({ operation, reason: "Decode", status: 200, detail: error.message })
            )
          )
      ),
      Effect.withSpan(`PlatformUsersMemory.${operation}`, {
        attributes: userId === undefined ? {} : { "chatwoot.user_id": userId }
      })
    )
  const member = (operation: "get" | "delete" | "loginUrl" | "token", id: UserId) =>
    ({ operation, id: String(id) }) as const
  const asMember = <A>(effect: Effect.Effect<A, PlatformUsersError>) =>
    Effect.mapError(effect, PlatformUsersWire.asMemberError)

  return PlatformUsers.of({
    create: (payload) =>
      Either.match(UserPayload.validateCreate(payload), {
        onLeft: (error) => Effect.fail(error),
        onRight: (valid) =>
          call("create", undefined, {
            operation: "create",
            params: paramsOf(UserPayload.CreateUserPayload, valid)
          }, User).pipe(Effect.mapError(PlatformUsersWire.asCreateError)) as Effect.Effect<User, CreateError>
      }),
    get: (id) => asMember(call("get", id, member("get", id), User)) as Effect.Effect<User, MemberError>,
    update: (id, payload) =>
      Either.match(UserPayload.validateUpdate(payload), {
        onLeft: (error) => Effect.fail(error),
        onRight: (valid) =>
          call("update", id, {
            operation: "update",
            id: String(id),
            params: paramsOf(UserPayload.UpdateUserPayload, valid)
          }, User) as Effect.Effect<User, UpdateError>
      }),
    delete: (id) => Effect.asVoid(asMember(call("delete", id, member("delete", id), undefined))),
    loginUrl: (id) =>
      asMember(call("loginUrl", id, member("loginUrl", id), SsoLink)) as Effect.Effect<SsoLink, MemberError>,
    token: (id) => asMember(call("token", id, member("token", id), UserToken)) as Effect.Effect<UserToken, MemberError>
  })
}

/**
 * `PlatformUsers` in memory, calling as one platform app (the one with `token`, by default the first app), plus the
 * {@link PlatformUsersMemory} handle to seed and inspect the same server. Each call validates its payload like the
 * live client (nothing changes on a client-side `Validation`), and server failures become exactly the errors the
 * live client reads from the emulator.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layer = (
  options?: Options & { readonly token?: string | Redacted.Redacted<string> | undefined }
): Layer.Layer<PlatformUsers | PlatformUsersMemory> =>
  Layer.effectContext(Effect.gen(function*() {
    const handle = yield* make(options)
    const apps = yield* handle.apps
    const token = options?.token ?? Arr.headNonEmpty(apps as Arr.NonEmptyReadonlyArray<AppInfo>).token
    return Context.make(PlatformUsersMemory, handle).pipe(Context.add(PlatformUsers, handle.serviceFor(token)))
  }))
