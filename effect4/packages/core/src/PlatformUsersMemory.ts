/**
 * Chatwoot's Platform API in memory: the same server semantics the emulator serves over HTTP, for users
 * (find-or-create, shallow merge, the exact 422 messages, 404 before permission...), accounts, account users and
 * agent bots, and a `PlatformUsers` layer on top of it whose errors are the ones the live client reads from the
 * wire. Seedable, and inspectable from tests.
 *
 * @since 1.0.0
 */
import * as AccountsEngine from "@chatwoot-effect/contract/AccountsEngine"
import * as Engine from "@chatwoot-effect/contract/Engine"
import * as Memory from "@chatwoot-effect/contract/Memory"
import type { Request, ResourceRequest, Success } from "@chatwoot-effect/contract/Memory"
import * as PlatformEngine from "@chatwoot-effect/contract/PlatformEngine"
import type * as RailsParams from "@chatwoot-effect/contract/RailsParams"
import { secureHex, secureToken } from "@chatwoot-effect/contract/RailsText"
import * as SeedChecks from "@chatwoot-effect/contract/SeedChecks"
import type { SeedContext } from "@chatwoot-effect/contract/SeedChecks"
import * as SeedState from "@chatwoot-effect/contract/SeedState"
import type {
  AccountSnapshot,
  AccountUserSnapshot,
  AgentBotSnapshotOf,
  AppInfoOf,
  UserSnapshot
} from "@chatwoot-effect/contract/Snapshots"
import * as Arr from "effect/Array"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as MemoryCaller from "./internal/memoryCaller.js"
import { leavesOf } from "./internal/schemaIssues.js"
import * as PlatformRules from "./PlatformRules.js"
import * as PlatformServices from "./PlatformServices.js"
import { PlatformUsers } from "./PlatformUsers.js"
import type * as PlatformUsersService from "./PlatformUsers.js"
import type * as PlatformUsersWire from "./PlatformUsersWire.js"
import type * as PlatformWire from "./PlatformWire.js"
import { CustomAttributes } from "./User.js"
import * as UserRules from "./UserRules.js"

// ---------------------------------------------------------------------------------------------------------------
// Seed

// A field that may be left out (or `undefined`), decoded to `value` then.
const withDefault = <S extends Schema.Top>(value: S["Encoded"]) => Schema.withDecodingDefault<S>(Effect.succeed(value))

/**
 * A platform app: a name (referenced by the `apps` of users, accounts and agent bots) and its `api_access_token`.
 *
 * @since 1.0.0
 * @category Seed
 */
export const SeedApp = Schema.Struct({
  name: Schema.Trimmed.check(Schema.isNonEmpty()),
  token: Schema.RedactedFromValue(Schema.NonEmptyString)
})

/**
 * @since 1.0.0
 * @category Seed
 */
export type SeedApp = typeof SeedApp.Type

// One issue for a value outside a long list of literals (a union of literals reports one per member).
const oneOf = <const A extends string>(values: ReadonlyArray<A>, message: string) =>
  Schema.String.pipe(Schema.refine((s): s is A => (values as ReadonlyArray<string>).includes(s), { message }))

const Locale = oneOf(
  PlatformRules.locales,
  `must be one of the ${PlatformRules.locales.length} enabled locale codes (en, pt_BR, zh_CN...)`
)

const Status = oneOf(PlatformRules.statuses, "must be \"active\", \"suspended\" or null")

const Role = oneOf(PlatformRules.roles, "must be \"agent\", \"administrator\" or null")

const IsoDateTime = Schema.String.check(
  Schema.makeFilter((s) => !Number.isNaN(Date.parse(s)), { message: "must be an ISO-8601 date-time" })
)

const PositiveInt = Schema.Int.check(Schema.isGreaterThan(0))

/**
 * An account membership (an `account_users` row): the account's id, its name, the role (`null` acts as agent),
 * and when the user was last active in it (ISO-8601; the latest one decides the user's `account_id` and `role`).
 * `name` may be left out when the seed's `accounts` declares the account; otherwise the account is created with
 * this name.
 *
 * @since 1.0.0
 * @category Seed
 */
export const SeedMembership = Schema.Struct({
  id: PositiveInt,
  name: Schema.optional(Schema.String),
  role: Schema.NullOr(Role).pipe(withDefault("agent")),
  active_at: Schema.NullOr(IsoDateTime).pipe(withDefault(null))
})

/**
 * @since 1.0.0
 * @category Seed
 */
export type SeedMembership = typeof SeedMembership.Type

/**
 * A user. Without an `id` the next free one is used; without a `password` a random valid one is stored. `apps` names
 * the platform apps that may manage the user (none: only reachable by claiming it with create).
 *
 * @since 1.0.0
 * @category Seed
 */
export const SeedUser = Schema.Struct({
  id: Schema.optional(PositiveInt),
  name: Schema.String,
  email: Schema.String,
  password: Schema.optional(Schema.RedactedFromValue(Schema.String)),
  display_name: Schema.optional(Schema.NullOr(Schema.String)),
  custom_attributes: Schema.optional(CustomAttributes),
  apps: Schema.Array(Schema.String).pipe(withDefault([])),
  accounts: Schema.Array(SeedMembership).pipe(withDefault([]))
})

/**
 * @since 1.0.0
 * @category Seed
 */
export type SeedUser = typeof SeedUser.Type

/**
 * An account. Without an `id` the lowest id that neither another account nor a membership uses. `features` switches
 * flags on (`true`) or off (`false`) on top of the default ones, as a create does. `apps` names the platform apps
 * that may manage it (its PlatformAppPermissible rows: no endpoint grants an existing account).
 *
 * @since 1.0.0
 * @category Seed
 */
export const SeedAccount = Schema.Struct({
  id: Schema.optional(PositiveInt),
  name: Schema.String,
  locale: Schema.NullOr(Locale).pipe(withDefault("en")),
  domain: Schema.NullOr(Schema.String).pipe(withDefault(null)),
  support_email: Schema.NullOr(Schema.String).pipe(withDefault(null)),
  status: Schema.NullOr(Status).pipe(withDefault("active")),
  features: Schema.Record(Schema.String, Schema.Boolean).pipe(withDefault({})),
  custom_attributes: Schema.optional(CustomAttributes),
  limits: Schema.optional(CustomAttributes),
  apps: Schema.Array(Schema.String).pipe(withDefault([]))
})

/**
 * @since 1.0.0
 * @category Seed
 */
export type SeedAccount = typeof SeedAccount.Type

/**
 * An agent bot. Without an `id` the lowest free one; without an `access_token` a random 24-character one. A null
 * `account_id` makes a system bot. `apps` names the platform apps that may manage it.
 *
 * @since 1.0.0
 * @category Seed
 */
export const SeedAgentBot = Schema.Struct({
  id: Schema.optional(PositiveInt),
  name: Schema.NullOr(Schema.String).pipe(withDefault(null)),
  description: Schema.NullOr(Schema.String).pipe(withDefault(null)),
  outgoing_url: Schema.NullOr(Schema.String).pipe(withDefault(null)),
  account_id: Schema.NullOr(Schema.Int).pipe(withDefault(null)),
  access_token: Schema.optional(Schema.RedactedFromValue(Schema.NonEmptyString)),
  apps: Schema.Array(Schema.String).pipe(withDefault([]))
})

/**
 * @since 1.0.0
 * @category Seed
 */
export type SeedAgentBot = typeof SeedAgentBot.Type

/**
 * The documented seed format (`docs/seed.md`, `examples/seed.json`).
 *
 * @since 1.0.0
 * @category Seed
 */
export const Seed = Schema.Struct({
  apps: Schema.Array(SeedApp).pipe(withDefault([])),
  accounts: Schema.Array(SeedAccount).pipe(withDefault([])),
  agent_bots: Schema.Array(SeedAgentBot).pipe(withDefault([])),
  users: Schema.Array(SeedUser).pipe(withDefault([]))
}).annotate({ identifier: "Seed" })

/**
 * @since 1.0.0
 * @category Seed
 */
export type Seed = typeof Seed.Type

/**
 * A seed (or an `addApp`/`addUser`/... call) that does not fit: each issue names its entry, e.g.
 * `users[3].email: Email is not an email`. Never quotes a token or a password.
 *
 * @since 1.0.0
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
  return last === "token" || last === "password" || last === "access_token"
}

const reveal = Redacted.value<string>

const accountIssues = SeedChecks.accountIssues

const membershipIssues = SeedChecks.membershipIssues

const agentBotIssues = (bot: SeedAgentBot, at: string, context: SeedContext): Array<string> =>
  SeedChecks.agentBotIssues(bot, at, context, reveal)

const userIssues = (user: SeedUser, at: string, context: SeedContext): Array<string> =>
  SeedChecks.userIssues(user, at, context, reveal)

const seedIssues = (seed: Seed, defaultFeatures: ReadonlyArray<string>): Array<string> =>
  SeedChecks.seedIssues(seed, defaultFeatures, reveal)

// Schema 4's messages never quote the value; a secret's path still gets one neutral message (whatever was wrong
// with a token or a password, the issue says the same), once per path. Missing and unknown keys read as in the
// Effect 3 edition, and an optional field's "| undefined" is dropped (a JSON seed has no undefined: it leaves the
// key out).
const parseIssues = (error: Schema.SchemaError, root: string): Array<string> => {
  const seen = new Set<string>()
  return leavesOf(error).flatMap((leaf) => {
    const path = formatPath(leaf.path)
    const message = leaf.kind === "Missing"
      ? "is missing"
      : leaf.kind === "Unexpected"
      ? "is unexpected"
      : isSecretPath(leaf.path)
      ? "must be a non-empty string"
      : leaf.message.replace(/ \| undefined\b/g, "")
    const issue = `${path === "" ? root : path}: ${message}`
    if (seen.has(issue)) return []
    seen.add(issue)
    return [issue]
  })
}

/**
 * Reads a seed from untrusted JSON and checks that it is consistent: unique app names, tokens (of apps and agent
 * bots), ids of users, accounts and bots, and emails; valid emails and passwords (Chatwoot's rules); accounts' and
 * bots' lengths and feature names; `apps` naming declared apps; memberships whose name agrees with their account's.
 * A `Result`: the decoded seed, or a {@link SeedError} listing every issue.
 *
 * @since 1.0.0
 * @category Seed
 */
export const decodeSeed = (input: unknown): Result.Result<Seed, SeedError> =>
  Schema.decodeUnknownResult(Seed, { errors: "all", onExcessProperty: "error" })(input).pipe(
    Result.mapError((error) => new SeedError({ issues: parseIssues(error, "seed") })),
    Result.flatMap((seed) => {
      const issues = seedIssues(seed, PlatformRules.defaultFeatures)
      return issues.length > 0 ? Result.fail(new SeedError({ issues })) : Result.succeed(seed)
    })
  )

// ---------------------------------------------------------------------------------------------------------------
// Handle

/**
 * A platform app of the in-memory server.
 *
 * @since 1.0.0
 * @category Models
 */
export type AppInfo = AppInfoOf<Redacted.Redacted<string>>

export type {
  /**
   * @since 1.0.0
   * @category Models
   */
  AccountSnapshot,
  /**
   * @since 1.0.0
   * @category Models
   */
  AccountUserSnapshot,
  /**
   * @since 1.0.0
   * @category Models
   */
  MembershipSnapshot,
  /**
   * A user as stored, for assertions. The password is never exposed; use `passwordMatches`.
   *
   * @since 1.0.0
   * @category Models
   */
  UserSnapshot
} from "@chatwoot-effect/contract/Snapshots"

/**
 * An agent bot as stored, for assertions. Its access token is a secret, so it is `Redacted` here.
 *
 * @since 1.0.0
 * @category Models
 */
export type AgentBotSnapshot = AgentBotSnapshotOf<Redacted.Redacted<string>>

export type {
  /**
   * @since 1.0.0
   * @category Models
   */
  Request,
  /**
   * @since 1.0.0
   * @category Models
   */
  ResourceRequest,
  /**
   * @since 1.0.0
   * @category Models
   */
  Success,
  /**
   * @since 1.0.0
   * @category Models
   */
  UserRequest
} from "@chatwoot-effect/contract/Memory"

/**
 * The request of one route of `PlatformWire`'s table: its operation, the raw path segment(s) and the params. What the
 * emulator builds from a routed HTTP request and the in-memory services from a call.
 *
 * @since 1.0.0
 * @category Models
 */
export const requestOf: (
  route: PlatformWire.AnyRoute,
  path: { readonly id?: string | undefined; readonly account_id?: string | undefined },
  params: Readonly<Record<string, unknown>>
) => Request = Memory.requestOf

/**
 * Whether a request is for accounts, account users or agent bots (their operations are `<resource>.<name>`).
 *
 * @since 1.0.0
 * @category Guards
 */
export const isResourceRequest: (request: Request) => request is ResourceRequest = Memory.isResourceRequest

/**
 * A multipart file part (an agent bot's `avatar`): put it in a request's params as a multipart parser would.
 *
 * @since 1.0.0
 * @category Models
 */
export type UploadedFile = RailsParams.UploadedFile

/**
 * A multipart file part with these bytes (its content type is sniffed from them, as Active Storage does).
 *
 * @since 1.0.0
 * @category Constructors
 */
export const uploadedFile: (
  bytes: Uint8Array,
  options?: { readonly contentType?: string | undefined; readonly filename?: string | undefined }
) => UploadedFile = Memory.uploadedFile

/**
 * The in-memory server.
 *
 * @since 1.0.0
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
  /**
   * Adds (or updates) an account membership of a user. An account missing so far is created with the
   * membership's `name`.
   */
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
  /** Adds an account as a seed entry describes it, with the default flags and `features` on top. */
  readonly addAccount: (account: typeof SeedAccount.Encoded) => Effect.Effect<AccountSnapshot, SeedError>
  /** Adds an agent bot as a seed entry describes it. */
  readonly addAgentBot: (bot: typeof SeedAgentBot.Encoded) => Effect.Effect<AgentBotSnapshot, SeedError>
  /** Lets the named app manage the account (a PlatformAppPermissible row, which only a console makes). */
  readonly grantAccount: (appName: string, accountId: number) => Effect.Effect<void, SeedError>
  /** Lets the named app manage the agent bot. */
  readonly grantAgentBot: (appName: string, botId: number) => Effect.Effect<void, SeedError>
  /** Every account, in creation order, orphans included. */
  readonly accounts: Effect.Effect<ReadonlyArray<AccountSnapshot>>
  readonly account: (id: number) => Effect.Effect<Option.Option<AccountSnapshot>>
  /** The memberships of an account, in creation order (`[]` for a missing account). */
  readonly accountUsers: (accountId: number) => Effect.Effect<ReadonlyArray<AccountUserSnapshot>>
  /** Every agent bot, in creation order. */
  readonly agentBots: Effect.Effect<ReadonlyArray<AgentBotSnapshot>>
  readonly agentBot: (id: number) => Effect.Effect<Option.Option<AgentBotSnapshot>>
  /** The accounts whose delete is queued (`accountDelete: "deferred"`), in order. */
  readonly pendingAccountDeletes: Effect.Effect<ReadonlyArray<number>>
  /** Runs the queued account deletes (Chatwoot's `DeleteObjectJob`); returns the ids of the accounts deleted. */
  readonly runPendingAccountDeletes: Effect.Effect<ReadonlyArray<number>>
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
  /**
   * Runs any route of `PlatformWire`'s table as the app with this token, as the live client would over the emulator
   * (the same client-side checks first, the same typed errors): what every in-memory service is built on.
   */
  readonly callerFor: (token: string | Redacted.Redacted<string>) => PlatformServices.Caller
}

/**
 * The handle of the in-memory server, provided by {@link layer} next to `PlatformUsers`.
 *
 * @since 1.0.0
 * @category Context
 */
export class PlatformUsersMemory
  extends Context.Service<PlatformUsersMemory, Handle>()("@chatwoot-effect/core/PlatformUsersMemory")
{}

/**
 * @since 1.0.0
 * @category Models
 */
export interface Options {
  readonly seed?: Seed | undefined
  /** Chatwoot's `FRONTEND_URL`, prefixed to login links. */
  readonly frontendUrl?: string | undefined
  /** Extra platform apps, one per token (named `platform-app-N`). */
  readonly platformTokens?: ReadonlyArray<string> | undefined
  /**
   * The flags a new account starts with (`ACCOUNT_LEVEL_FEATURE_DEFAULTS`); by default the 26 of
   * `PlatformRules.defaultFeatures`. Names outside `PlatformRules.features` are a defect.
   */
  readonly defaultFeatures?: ReadonlyArray<string> | undefined
  /**
   * What an account's `support_email` shows when the stored one is blank (`MAILER_SENDER_EMAIL`); `null` when the
   * installation has none. Default `"Chatwoot <accounts@chatwoot.com>"`.
   */
  readonly supportEmailFallback?: string | null | undefined
  /** Enterprise mode: `limits` keys are validated. Default `true`, as in the standard image. */
  readonly eeMode?: boolean | undefined
  /**
   * `"immediate"` (default): an account delete takes effect at once. `"deferred"`: like Chatwoot's background job,
   * the account stays readable until `runPendingAccountDeletes`.
   */
  readonly accountDelete?: "immediate" | "deferred" | undefined
}

/**
 * Parses a request's parameters the way Rails does: a JSON body when the content type is JSON (`Malformed` when it
 * does not parse), a form-encoded body, a `multipart/form-data` body (from `bytes`: file parts become
 * {@link UploadedFile}s, as an avatar upload needs; `Malformed` when it does not follow its boundary), and the query
 * string on top. Used by the emulator.
 *
 * @since 1.0.0
 * @category Server
 */
export const requestParams = (options: {
  readonly contentType: string | undefined
  readonly body: string
  readonly search: string
  /** The raw body, read for a multipart one (a file's bytes do not survive decoding as text). */
  readonly bytes?: Uint8Array | undefined
}): Result.Result<Readonly<Record<string, unknown>>, "Malformed"> => {
  const parsed = Memory.parseRequestParams(options)
  return parsed._tag === "Malformed" ? Result.fail("Malformed") : Result.succeed(parsed.params)
}

const drawEntropy = Effect.map(Clock.currentTimeMillis, (now): Engine.Entropy => ({
  accessToken: secureToken(),
  pubsubToken: secureToken(),
  ssoToken: secureHex(),
  botToken: secureToken(),
  now
}))

const appInfo = (row: Engine.AppRow): AppInfo => Memory.appInfo(row, Redacted.make)

const snapshot = Memory.userSnapshot

const accountSnapshot = Memory.accountSnapshot

const agentBotSnapshot = (state: Engine.State, bot: Engine.AgentBotRow): AgentBotSnapshot =>
  Memory.agentBotSnapshot(state, bot, Redacted.make)

interface ResolvedOptions {
  readonly frontendUrl: string
  readonly resources: PlatformEngine.ResourceOptions
}

const seedAccount = SeedState.seedAccount

const seedAgentBot = (
  state: Engine.State,
  bot: SeedAgentBot,
  id: number,
  entropy: Engine.Entropy
): [Engine.AgentBotRow, Engine.State] => SeedState.seedAgentBot(state, bot, id, entropy, reveal)

const seedUser = (
  state: Engine.State,
  user: SeedUser,
  id: number,
  entropy: Engine.Entropy,
  options: ResolvedOptions
): [Engine.UserRow, Engine.State] => SeedState.seedUser(state, user, id, entropy, options, reveal)

const seedMembership = SeedState.seedMembership

const liveContext = SeedState.liveContext

const idAllocator = SeedState.idAllocator

const seedError = (issue: string) => new SeedError({ issues: [issue] })

const decodeEntry = <S extends Schema.Decoder<unknown>>(schema: S, input: unknown, root: string) =>
  Schema.decodeUnknownEffect(schema, { errors: "all", onExcessProperty: "error" })(input).pipe(
    Effect.mapError((error) => new SeedError({ issues: parseIssues(error, root) }))
  )

/**
 * Builds an in-memory server. Apps come from the seed, then `platformTokens`; with neither, one app
 * (`platform-app-1`) gets a random token. Then the seed's accounts, agent bots and users. A seed that `decodeSeed`
 * would reject is a defect here.
 *
 * @since 1.0.0
 * @category Constructors
 */
export const make = (options?: Options): Effect.Effect<Handle> =>
  Effect.gen(function*() {
    const seed: Seed = options?.seed ?? { apps: [], accounts: [], agent_bots: [], users: [] }
    const resolved: ResolvedOptions = {
      frontendUrl: options?.frontendUrl ?? "",
      resources: {
        defaultFeatures: options?.defaultFeatures ?? PlatformRules.defaultFeatures,
        supportEmailFallback: options?.supportEmailFallback === undefined
          ? "Chatwoot <accounts@chatwoot.com>"
          : options.supportEmailFallback,
        eeMode: options?.eeMode ?? true,
        accountDelete: options?.accountDelete ?? "immediate"
      }
    }
    const issues = seedIssues(seed, resolved.resources.defaultFeatures)
    if (issues.length > 0) return yield* Effect.die(new SeedError({ issues }))
    const frontendUrl = resolved.frontendUrl
    let state = Engine.emptyState
    for (const app of seed.apps) state = Engine.withApp(state, { name: app.name, token: Redacted.value(app.token) })[1]
    for (const token of options?.platformTokens ?? []) {
      if (Engine.findApp(state, token) === undefined && token !== "") {
        state = Engine.withApp(state, { name: `platform-app-${state.nextAppId}`, token })[1]
      }
    }
    if (state.apps.length === 0) state = Engine.withApp(state, { name: "platform-app-1", token: secureToken() })[1]
    const accountId = idAllocator(
      new Set([
        ...seed.accounts.flatMap((account) => account.id === undefined ? [] : [account.id]),
        ...seed.users.flatMap((user) => user.accounts.map((membership) => membership.id))
      ])
    )
    for (const account of seed.accounts) state = seedAccount(state, account, accountId(account.id), resolved)[1]
    const botId = idAllocator(new Set(seed.agent_bots.flatMap((bot) => bot.id === undefined ? [] : [bot.id])))
    for (const bot of seed.agent_bots) state = seedAgentBot(state, bot, botId(bot.id), yield* drawEntropy)[1]
    const userId = idAllocator(new Set(seed.users.flatMap((user) => user.id === undefined ? [] : [user.id])))
    for (const user of seed.users) state = seedUser(state, user, userId(user.id), yield* drawEntropy, resolved)[1]
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
          const [outcome, next] = isResourceRequest(request)
            ? PlatformEngine.runResource(
              current,
              row,
              {
                operation: request.operation,
                path: request.path ?? {},
                params: request.params ?? {}
              },
              entropy,
              resolved.resources
            )
            : Engine.run(current, row, request, entropy, { frontendUrl })
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

    const callerFor = (token: string | Redacted.Redacted<string>) =>
      MemoryCaller.make((route, path, params) => execute(token, requestOf(route, path, params)))

    const read = <A>(f: (state: Engine.State) => A) => Effect.map(SynchronizedRef.get(ref), f)

    const grantTo = (
      appName: string,
      exists: (state: Engine.State) => boolean,
      missing: string,
      grant: (state: Engine.State, appId: number) => Engine.State
    ) =>
      SynchronizedRef.updateEffect(ref, (current) => {
        const app = current.apps.find((row) => row.name === appName)
        if (app === undefined) return Effect.fail(seedError(`appName: no app named ${JSON.stringify(appName)}`))
        if (!exists(current)) return Effect.fail(seedError(missing))
        return Effect.succeed(grant(current, app.id))
      })

    const handle: Handle = {
      frontendUrl,
      apps: read((current) => current.apps.map(appInfo)),
      addApp: (app) =>
        SynchronizedRef.modifyEffect(ref, (current) => {
          const token = app.token ?? secureToken()
          if (app.name.trim() === "") return Effect.fail(seedError("name: must not be empty"))
          if (token === "") return Effect.fail(seedError("token: must be a non-empty string"))
          if (current.apps.some((row) => row.name === app.name)) {
            return Effect.fail(seedError(`name: duplicate app name ${JSON.stringify(app.name)}`))
          }
          if (liveContext(current).tokens.has(token)) return Effect.fail(seedError("token: duplicate token"))
          const [row, next] = Engine.withApp(current, { name: app.name, token })
          return Effect.succeed([appInfo(row), next] as const)
        }),
      addUser: (input) =>
        Effect.gen(function*() {
          const user = yield* decodeEntry(SeedUser, input, "user")
          const entropy = yield* drawEntropy
          return yield* SynchronizedRef.modifyEffect(ref, (current) => {
            const problems = userIssues(user, "user", liveContext(current))
            const email = UserRules.normalizeEmail(user.email)
            if (Array.from(current.users.values()).some((row) => row.email === email)) {
              problems.push(`user.email: duplicate email ${JSON.stringify(email)}`)
            }
            if (user.id !== undefined && current.users.has(user.id)) problems.push(`user.id: duplicate id ${user.id}`)
            if (problems.length > 0) return Effect.fail(new SeedError({ issues: problems }))
            const [row, next] = seedUser(current, user, user.id ?? current.nextUserId, entropy, resolved)
            return Effect.succeed([snapshot(next, row), next] as const)
          })
        }),
      addMembership: (userId, input) =>
        Effect.gen(function*() {
          const membership = yield* decodeEntry(SeedMembership, input, "membership")
          const now = yield* Clock.currentTimeMillis
          yield* SynchronizedRef.updateEffect(ref, (current) => {
            if (!current.users.has(userId)) return Effect.fail(seedError(`userId: no user ${userId}`))
            const problems = membershipIssues(membership, "membership", liveContext(current))
            return problems.length > 0
              ? Effect.fail(new SeedError({ issues: problems }))
              : Effect.succeed(seedMembership(current, userId, membership, now, resolved))
          })
        }),
      grant: (appName, userId) =>
        grantTo(
          appName,
          (current) => current.users.has(userId),
          `userId: no user ${userId}`,
          (current, appId) => Engine.withPermission(current, appId, userId)
        ),
      users: read((current) => Array.from(current.users.values(), (user) => snapshot(current, user))),
      user: (id) =>
        read((current) => Option.map(Option.fromNullishOr(current.users.get(id)), (user) => snapshot(current, user))),
      passwordMatches: (id, candidate) =>
        read((current) => {
          const user = current.users.get(id)
          return user !== undefined &&
            user.password === (typeof candidate === "string" ? candidate : Redacted.value(candidate))
        }),
      addAccount: (input) =>
        Effect.gen(function*() {
          const account = yield* decodeEntry(SeedAccount, input, "account")
          return yield* SynchronizedRef.modifyEffect(ref, (current) => {
            const problems = accountIssues(account, "account", liveContext(current))
            if (account.id !== undefined && current.accounts.has(account.id)) {
              problems.push(`account.id: duplicate id ${account.id}`)
            }
            if (problems.length > 0) return Effect.fail(new SeedError({ issues: problems }))
            const [row, next] = seedAccount(current, account, account.id ?? current.nextAccountId, resolved)
            return Effect.succeed([accountSnapshot(next, row), next] as const)
          })
        }),
      addAgentBot: (input) =>
        Effect.gen(function*() {
          const bot = yield* decodeEntry(SeedAgentBot, input, "agent_bot")
          const entropy = yield* drawEntropy
          return yield* SynchronizedRef.modifyEffect(ref, (current) => {
            const problems = agentBotIssues(bot, "agent_bot", liveContext(current))
            if (bot.id !== undefined && current.agentBots.has(bot.id)) {
              problems.push(`agent_bot.id: duplicate id ${bot.id}`)
            }
            if (problems.length > 0) return Effect.fail(new SeedError({ issues: problems }))
            const [row, next] = seedAgentBot(current, bot, bot.id ?? current.nextAgentBotId, entropy)
            return Effect.succeed([agentBotSnapshot(next, row), next] as const)
          })
        }),
      grantAccount: (appName, accountId) =>
        grantTo(
          appName,
          (current) => current.accounts.has(accountId),
          `accountId: no account ${accountId}`,
          (current, appId) => Engine.withAccountPermission(current, appId, accountId)
        ),
      grantAgentBot: (appName, botId) =>
        grantTo(
          appName,
          (current) => current.agentBots.has(botId),
          `botId: no agent bot ${botId}`,
          (current, appId) => Engine.withBotPermission(current, appId, botId)
        ),
      accounts: read((current) =>
        Array.from(current.accounts.values(), (account) => accountSnapshot(current, account))
      ),
      account: (id) =>
        read((current) =>
          Option.map(Option.fromNullishOr(current.accounts.get(id)), (account) => accountSnapshot(current, account))
        ),
      accountUsers: (accountId) => read((current) => Engine.accountUsersOf(current, accountId)),
      agentBots: read((current) => Array.from(current.agentBots.values(), (bot) => agentBotSnapshot(current, bot))),
      agentBot: (id) =>
        read((current) =>
          Option.map(Option.fromNullishOr(current.agentBots.get(id)), (bot) => agentBotSnapshot(current, bot))
        ),
      pendingAccountDeletes: read((current) => current.pendingAccountDeletes),
      runPendingAccountDeletes: SynchronizedRef.modify(ref, AccountsEngine.runPendingAccountDeletes),
      authenticate,
      run,
      execute,
      serviceFor: (token) => PlatformServices.users(callerFor(token)),
      callerFor
    }
    return handle
  })

// ---------------------------------------------------------------------------------------------------------------
// The typed PlatformUsers service

/**
 * `PlatformUsers` in memory, calling as one platform app (the one with `token`, by default the first app), plus the
 * {@link PlatformUsersMemory} handle to seed and inspect the same server. Each call validates its payload like the
 * live client (nothing changes on a client-side `Validation`), and server failures become exactly the errors the
 * live client reads from the emulator. Like `PlatformMemory.layer`, each provide builds a new server from the seed (a
 * provide nested in one of the same layer value reuses it: Effect 4's layer memoisation).
 *
 * @since 1.0.0
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
