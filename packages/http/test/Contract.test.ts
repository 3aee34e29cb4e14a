// A contract check against Chatwoot's published OpenAPI (`spec/platform_swagger.json`, a byte-for-byte copy of
// chatwoot's `swagger/tag_groups/platform_swagger.json`): every request the live client sends and every success
// response the emulator writes is validated with ajv against the documented schemas. The real server's known
// deviations (BEHAVIOUR.md §8 for users, PLATFORM.md §7 for accounts, account users and agent bots) are allow-listed
// by name; each one must actually be seen, so the list cannot go stale, and anything else that breaks the schema
// fails the test. The other way round, bodies shaped as the spec documents them decode with the client's models.
import { AccountId } from "@chatwoot-effect/core/Account"
import { PlatformAccounts } from "@chatwoot-effect/core/PlatformAccounts"
import { PlatformAccountUsers } from "@chatwoot-effect/core/PlatformAccountUsers"
import { PlatformAgentBots } from "@chatwoot-effect/core/PlatformAgentBots"
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import * as PlatformWire from "@chatwoot-effect/core/PlatformWire"
import { UserId } from "@chatwoot-effect/core/User"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import { Ajv } from "ajv"
import type { ErrorObject } from "ajv"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as PlatformHttp from "../src/PlatformHttp.js"
import * as PlatformUsersEmulator from "../src/PlatformUsersEmulator.js"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"

interface Parameter {
  readonly in: string
  readonly name: string
}

interface Operation {
  readonly parameters?: ReadonlyArray<Parameter | { readonly $ref: string }>
  readonly requestBody?: { readonly content: Record<string, { readonly schema: object }> }
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema: object }> }>
}

interface JsonSchema {
  readonly $ref?: string
  readonly type?: string
  readonly properties?: Record<string, JsonSchema>
  readonly items?: JsonSchema
  readonly additionalProperties?: unknown
  readonly enum?: ReadonlyArray<unknown>
  readonly example?: unknown
}

const swagger = JSON.parse(
  Fs.readFileSync(Path.join(__dirname, "..", "..", "..", "spec", "platform_swagger.json"), "utf8")
) as {
  readonly paths: Record<string, Record<string, Operation>>
  readonly components: {
    readonly schemas: Record<string, JsonSchema>
    readonly parameters: Record<string, Parameter>
  }
}

const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false })
ajv.addSchema({ $id: "swagger", components: swagger.components })

// Swagger refs (`#/components/...`) are relative to the whole document: point them at the registered copy.
const compile = (schema: object) =>
  ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll("\"#/components/", "\"swagger#/components/")))

const operationOf = (
  method: string,
  pathname: string
):
  | { readonly path: string; readonly op: Operation; readonly parameters: ReadonlyArray<Parameter> }
  | undefined =>
{
  for (const [template, item] of Object.entries(swagger.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`)
    const op = item[method.toLowerCase()]
    if (pattern.test(pathname) && op !== undefined) {
      // Parameters are declared on the path item and on the operation, often by reference.
      const onPath = (item as { readonly parameters?: Operation["parameters"] }).parameters
      const declared = [...(onPath ?? []), ...(op.parameters ?? [])]
      const parameters = declared.map((parameter) =>
        "$ref" in parameter
          ? swagger.components.parameters[parameter.$ref.replace("#/components/parameters/", "")]!
          : parameter
      )
      return { path: template, op, parameters }
    }
  }
  return undefined
}

/**
 * What ajv cannot see, as it reads the spec's object schemas open (no `additionalProperties: false`, nothing
 * `required` in a response): a key the spec does not document, a documented key the body lacks, a query parameter
 * the operation does not declare.
 */
interface ShapeError {
  readonly keyword: "undocumentedKey" | "missingKey" | "undocumentedQueryParameter"
  readonly instancePath: string
  readonly key: string
}

interface Finding {
  readonly direction: "request" | "response"
  readonly method: string
  readonly pathname: string
  readonly error: ErrorObject | ShapeError | "undocumented operation"
}

/** A deviation of the real server from its published spec, by name, and what it looks like to the validator. */
interface Deviation {
  readonly name: string
  readonly source: string
  readonly matches: (finding: Finding) => boolean
  /** When one deviation covers several keys: each of them must be seen, not only one. */
  readonly each?: { readonly of: (finding: Finding) => string; readonly all: ReadonlyArray<string> } | undefined
}

const atPath = (path: RegExp, ...keywords: Array<string>) => (finding: Finding) =>
  finding.error !== "undocumented operation" && path.test(finding.error.instancePath) &&
  keywords.includes(finding.error.keyword)

const knownDeviations: ReadonlyArray<Deviation> = [
  {
    name: "user.account_id is null for a user without accounts",
    source: "BEHAVIOUR.md §5 row 2, §8 'Nullability'",
    matches: (f) => f.direction === "response" && atPath(/^\/account_id$/, "type")(f)
  },
  {
    name: "user.role is null for a user without accounts",
    source: "BEHAVIOUR.md §5 row 14, §8 'role is described as an enum without null'",
    matches: (f) => f.direction === "response" && atPath(/^\/role$/, "type", "enum")(f)
  },
  {
    name: "accounts[].active_at is null for a membership never active",
    source: "BEHAVIOUR.md §5 row 17",
    matches: (f) => f.direction === "response" && atPath(/^\/accounts\/\d+\/active_at$/, "type")(f)
  },
  {
    name: "display_name: null is accepted and clears the display name",
    source: "BEHAVIOUR.md §4 'display_name: No validation, nullable'",
    matches: (f) => f.direction === "request" && atPath(/^\/display_name$/, "type")(f)
  },
  {
    name: "POST /users/{id}/token is real but missing from the spec",
    source: "BEHAVIOUR.md §8 'Real routes that are missing from the JSON'",
    matches: (f) =>
      f.error === "undocumented operation" && f.method === "POST" && /\/users\/\d+\/token$/.test(f.pathname)
  }
]

// ---------------------------------------------------------------------------------------------------------------
// Accounts, account users and agent bots (PLATFORM.md §7). What of §7 cannot show in a success exchange of this
// client has no entry: the spec's ids are `number` where Chatwoot sends integers (a narrowing the schemas accept;
// the models' side is checked below); the error statuses the spec leaves out (only successes are validated); `name`
// required on create (the spec requires nothing, the client always sends it) and hashes replaced on update
// (semantics, not shape); the `{account_id}` path parameter, `:id` in Rails (the same URL); `avatar` as multipart
// and PUT, which the client never sends.

const accountsPath = /^\/platform\/api\/v1\/accounts(\/\d+)?$/
const accountUsersPath = /^\/platform\/api\/v1\/accounts\/\d+\/account_users$/
const agentBotsPath = /^\/platform\/api\/v1\/agent_bots(\/\d+(\/avatar)?)?$/
const keyOf = (finding: Finding) =>
  finding.error !== "undocumented operation" && "key" in finding.error ? finding.error.key : ""
const shape = (keyword: ShapeError["keyword"], keys: ReadonlyArray<string>) => (finding: Finding) =>
  finding.error !== "undocumented operation" && finding.error.keyword === keyword && keys.includes(keyOf(finding))

// The keys of PLATFORM.md §3.1 beyond the spec's `platform_account` ({id, name}).
const accountKeys = ["locale", "domain", "support_email", "features", "custom_attributes", "limits", "status"]
// The columns of PLATFORM.md §4.1 beyond the spec's `account_user` ({account_id, user_id, role}).
const accountUserKeys = [
  "id",
  "inviter_id",
  "created_at",
  "updated_at",
  "active_at",
  "availability",
  "auto_offline",
  "custom_role_id",
  "agent_capacity_policy_id"
]
// What the spec's `agent_bot` adds to the six keys of PLATFORM.md §5.1.
const agentBotSpecOnlyKeys = ["thumbnail", "bot_type", "bot_config", "system_bot"]
const agentBotNullableKeys = ["name", "description", "outgoing_url", "account_id"]

const platformDeviations: ReadonlyArray<Deviation> = [
  {
    name: "GET /accounts is real but missing from the spec",
    source: "PLATFORM.md §7 row 4, §3.6; BEHAVIOUR.md §8 'Real routes that are missing from the JSON'",
    matches: (f) => f.error === "undocumented operation" && f.method === "GET" && f.pathname.endsWith("/v1/accounts")
  },
  {
    name: "account responses have the 9 keys of §3.1, the spec's platform_account is {id, name}",
    source: "PLATFORM.md §7 'account response', §3.1",
    matches: (f) =>
      f.direction === "response" && accountsPath.test(f.pathname) &&
      atPath(/^(\/\d+)?$/, "undocumentedKey")(f) && shape("undocumentedKey", accountKeys)(f),
    each: { of: keyOf, all: accountKeys }
  },
  {
    name: "the account create and update body takes features (the spec's payload has seven fields, not it)",
    source: "PLATFORM.md §7 'account body', §3.3",
    matches: (f) =>
      f.direction === "request" && accountsPath.test(f.pathname) && atPath(/^$/, "undocumentedKey")(f) &&
      keyOf(f) === "features"
  },
  {
    name:
      "account_users responses are the 12-key record of §4.1, the spec's account_user is {account_id, user_id, role}",
    source: "PLATFORM.md §7 'account_users responses', §4.1",
    matches: (f) =>
      f.direction === "response" && accountUsersPath.test(f.pathname) &&
      atPath(/^(\/\d+)?$/, "undocumentedKey")(f) && shape("undocumentedKey", accountUserKeys)(f),
    each: { of: keyOf, all: accountUserKeys }
  },
  {
    name: "account_users create: role is optional (the spec requires it); an upsert keeps the role when omitted",
    source: "PLATFORM.md §7 'account_users create body', §4.2",
    matches: (f) =>
      f.direction === "request" && f.method === "POST" && accountUsersPath.test(f.pathname) &&
      f.error !== "undocumented operation" && f.error.keyword === "required" &&
      (f.error as ErrorObject).params["missingProperty"] === "role"
  },
  {
    name: "account_users delete needs user_id, sent in the query (the spec declares no parameter and no body)",
    source: "PLATFORM.md §7 'account_users delete', §4.3, §8.4",
    matches: (f) =>
      f.direction === "request" && f.method === "DELETE" && accountUsersPath.test(f.pathname) &&
      atPath(/^$/, "undocumentedQueryParameter")(f) && keyOf(f) === "user_id"
  },
  {
    name: "DELETE /agent_bots/{id}/avatar is real but missing from the spec",
    source: "PLATFORM.md §7 row 4, §5.2; BEHAVIOUR.md §8 'Real routes that are missing from the JSON'",
    matches: (f) =>
      f.error === "undocumented operation" && f.method === "DELETE" && /\/agent_bots\/\d+\/avatar$/.test(f.pathname)
  },
  {
    name: "agent bot responses lack thumbnail, bot_type, bot_config and system_bot (the spec's agent_bot has them)",
    source: "PLATFORM.md §7 'agent_bot schema', §5.1",
    matches: (f) =>
      f.direction === "response" && agentBotsPath.test(f.pathname) && atPath(/^(\/\d+)?$/, "missingKey")(f) &&
      shape("missingKey", agentBotSpecOnlyKeys)(f),
    each: { of: keyOf, all: agentBotSpecOnlyKeys }
  },
  {
    name:
      "agent bot name, description, outgoing_url and account_id are null when unset (account_id null: a system bot)",
    source: "PLATFORM.md §5.1 (body table), §5.2 'create: nothing is required', §8.4 'Nullable'",
    matches: (f) =>
      f.direction === "response" && agentBotsPath.test(f.pathname) &&
      atPath(/^(\/\d+)?\/(name|description|outgoing_url|account_id)$/, "type")(f),
    each: {
      of: (f) => f.error === "undocumented operation" ? "" : f.error.instancePath.replace(/^(\/\d+)?\//, ""),
      all: agentBotNullableKeys
    }
  },
  {
    name: "agent bot create and update take null: it clears a field, and account_id null makes a system bot",
    source: "PLATFORM.md §5.1 'account_id: omitted or null makes a system bot', §5.2 'A null clears a field'",
    matches: (f) =>
      f.direction === "request" && agentBotsPath.test(f.pathname) &&
      atPath(/^\/(name|description|outgoing_url|account_id)$/, "type")(f)
  }
]

// What the spec leaves out, checked against the body PLATFORM.md gives instead, so that these answers are validated
// too (the deviation for the missing operation is still required).
const standIns: Record<string, object> = {
  // §3.6: an array of §3.1 bodies.
  "GET /platform/api/v1/accounts": { type: "array", items: { $ref: "#/components/schemas/platform_account" } },
  // §5.2: the avatar DELETE answers with the §5.1 bot.
  "DELETE /platform/api/v1/agent_bots/{id}/avatar": { $ref: "#/components/schemas/agent_bot" }
}

const resolve = (schema: JsonSchema): JsonSchema =>
  schema.$ref === undefined ? schema : resolve(swagger.components.schemas[schema.$ref.split("/").at(-1)!]!)

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Key by key, what ajv passes over: keys beyond an object schema's `properties` and, in responses, keys missing. */
const shapeErrors = (
  direction: Finding["direction"],
  schema: JsonSchema,
  value: unknown,
  path = ""
): Array<ShapeError> => {
  const resolved = resolve(schema)
  if (resolved.items !== undefined && Array.isArray(value)) {
    return value.flatMap((item, index) => shapeErrors(direction, resolved.items!, item, `${path}/${index}`))
  }
  const properties = resolved.properties
  if (properties === undefined || resolved.additionalProperties !== undefined || !isObject(value)) return []
  return [
    ...Object.keys(value).filter((key) => !(key in properties)).map((key) => ({
      keyword: "undocumentedKey" as const,
      instancePath: path,
      key
    })),
    ...(direction === "response"
      ? Object.keys(properties).filter((key) => !(key in value)).map((key) => ({
        keyword: "missingKey" as const,
        instancePath: path,
        key
      }))
      : []),
    ...Object.keys(value).filter((key) => key in properties).flatMap((key) =>
      shapeErrors(direction, properties[key]!, value[key], `${path}/${key}`)
    )
  ]
}

interface Exchange {
  readonly method: string
  readonly pathname: string
  readonly query: ReadonlyArray<string>
  readonly status: number
  readonly request: string
  readonly response: string
}

/** Records every exchange of the live client, as it went over the wire. */
const recorder = (exchanges: Array<Exchange>) =>
  HttpClient.tap((response) =>
    Effect.map(response.text, (text) => {
      const body = response.request.body
      const url = new URL(response.request.url)
      exchanges.push({
        method: response.request.method,
        pathname: url.pathname,
        query: [...url.searchParams.keys(), ...response.request.urlParams.map(([key]) => key)],
        status: response.status,
        request: body._tag === "Uint8Array" ? new TextDecoder().decode(body.body) : "",
        response: text
      })
    })
  )

/**
 * Validates every exchange against the spec. `keys`: also compare the bodies key by key and the query parameters
 * with the declared ones (the PLATFORM.md routes; the users routes keep the check they were written with).
 */
const findingsOf = (exchanges: ReadonlyArray<Exchange>, options: { readonly keys: boolean }): Array<Finding> => {
  const findings: Array<Finding> = []
  for (const exchange of exchanges) {
    assert.strictEqual(exchange.status, 200, `${exchange.method} ${exchange.pathname}`)
    const documented = operationOf(exchange.method, exchange.pathname)
    if (documented === undefined) {
      findings.push({ ...exchange, direction: "request", error: "undocumented operation" })
      const template = exchange.pathname.replace(/\/\d+(?=\/|$)/g, "/{id}")
      const standIn = options.keys ? standIns[`${exchange.method} ${template}`] : undefined
      if (standIn !== undefined) {
        assert.strictEqual(exchange.request, "", `${exchange.method} ${template} takes no body`)
        const value = JSON.parse(exchange.response)
        const validate = compile(standIn)
        if (!validate(value)) {
          for (const error of validate.errors ?? []) findings.push({ ...exchange, direction: "response", error })
        }
        for (const error of shapeErrors("response", standIn, value)) {
          findings.push({ ...exchange, direction: "response", error })
        }
      }
      continue
    }
    if (options.keys) {
      const declared = new Set(documented.parameters.filter((p) => p.in === "query").map((p) => p.name))
      for (const key of exchange.query) {
        if (!declared.has(key)) {
          findings.push({
            ...exchange,
            direction: "request",
            error: { keyword: "undocumentedQueryParameter", instancePath: "", key }
          })
        }
      }
    }
    const requestSchema = documented.op.requestBody?.content["application/json"]?.schema
    if (exchange.request !== "") {
      assert.isDefined(requestSchema, `a body was sent to ${documented.path}, which documents none`)
      const value = JSON.parse(exchange.request)
      const validate = compile(requestSchema!)
      if (!validate(value)) {
        for (const error of validate.errors ?? []) findings.push({ ...exchange, direction: "request", error })
      }
      if (options.keys) {
        for (const error of shapeErrors("request", requestSchema!, value)) {
          findings.push({ ...exchange, direction: "request", error })
        }
      }
    }
    const responseSchema = documented.op.responses["200"]?.content?.["application/json"]?.schema
    if (responseSchema === undefined) {
      // Documented without a body (delete): the emulator sends none.
      assert.strictEqual(exchange.response, "", `${documented.path} documents no body`)
      continue
    }
    const value = JSON.parse(exchange.response)
    const validate = compile(responseSchema)
    if (!validate(value)) {
      for (const error of validate.errors ?? []) findings.push({ ...exchange, direction: "response", error })
    }
    if (options.keys) {
      for (const error of shapeErrors("response", responseSchema, value)) {
        findings.push({ ...exchange, direction: "response", error })
      }
    }
  }
  return findings
}

const describeFinding = (f: Finding) => `${f.direction} ${f.method} ${f.pathname}: ${JSON.stringify(f.error)}`

/** Nothing but the allow-listed deviations, and every one of them seen (each of its keys, where it lists them). */
const assertOnlyKnown = (findings: ReadonlyArray<Finding>, deviations: ReadonlyArray<Deviation>) => {
  const unexplained = findings.filter((finding) => !deviations.some((deviation) => deviation.matches(finding)))
  assert.deepStrictEqual(
    unexplained.map(describeFinding),
    [],
    "schema violations that are not known deviations of the real server"
  )
  const unseen = deviations.flatMap((deviation) => {
    const seen = findings.filter(deviation.matches)
    if (seen.length === 0) return [deviation.name]
    if (deviation.each === undefined) return []
    const parts = new Set(seen.map(deviation.each.of))
    return deviation.each.all.filter((part) => !parts.has(part)).map((part) => `${deviation.name}: ${part}`)
  })
  assert.deepStrictEqual(unseen, [], "allow-listed deviations that never showed up")
}

const TOKEN = "ContractAppToken00000001"

const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "app", token: TOKEN }],
  users: [
    {
      id: 1,
      name: "Member",
      email: "member@example.com",
      password: "Password1!",
      display_name: "Mem",
      custom_attributes: { plan: "pro", nested: { a: [1, 2] } },
      apps: ["app"],
      accounts: [
        { id: 10, name: "Acme", role: "administrator", active_at: "2025-01-01T00:00:00.000Z" },
        { id: 11, name: "Beta", role: "agent", active_at: null }
      ]
    },
    { id: 2, name: "Loner", email: "loner@example.com", password: "Password1!", apps: ["app"] }
  ]
}))

const routeTemplate = (exchange: Exchange) =>
  `${exchange.method} ${
    exchange.pathname.replace(/\/users\/\d+/, "/users/{id}").replace(/\/accounts\/\d+/, "/accounts/{id}")
      .replace(/\/agent_bots\/\d+/, "/agent_bots/{id}")
  }`

describe("contract with the published OpenAPI", () => {
  it.scoped("client requests and emulator success responses fit the spec, but for the named deviations", () =>
    Effect.gen(function*() {
      const { url } = yield* PlatformUsersEmulator.serve({ seed, port: 0, frontendUrl: "https://chat.example.com" })
      const exchanges: Array<Exchange> = []
      const context = yield* Layer.build(
        PlatformUsersHttp.layerWithHttpClient({
          baseUrl: url,
          apiAccessToken: Redacted.make(TOKEN),
          retry: false,
          transformClient: recorder(exchanges)
        }).pipe(Layer.provide(NodeHttpClient.layerUndici))
      )
      const users = Context.get(context, PlatformUsers)

      // Every operation, with users with and without accounts and custom attributes.
      const created = yield* users.create({
        name: "New",
        email: "new@example.com",
        password: Redacted.make("Password1!"),
        display_name: "Newbie",
        custom_attributes: { source: "hr" }
      })
      yield* users.create({ name: "Again", email: "new@example.com", password: Redacted.make("Password1!") })
      yield* users.get(UserId.make(1))
      yield* users.get(UserId.make(2))
      yield* users.update(UserId.make(2), { name: "Renamed", display_name: null, email: "renamed@example.com" })
      yield* users.update(UserId.make(1), {
        custom_attributes: { plan: "team" },
        password: Redacted.make("N3w-Password")
      })
      yield* users.loginUrl(UserId.make(1))
      yield* users.token(UserId.make(1))
      yield* users.delete(created.id)

      assertOnlyKnown(findingsOf(exchanges, { keys: false }), knownDeviations)
      // The check did look at every operation.
      assert.deepStrictEqual(
        Array.from(new Set(exchanges.map(routeTemplate))).sort(),
        [
          "DELETE /platform/api/v1/users/{id}",
          "GET /platform/api/v1/users/{id}",
          "GET /platform/api/v1/users/{id}/login",
          "PATCH /platform/api/v1/users/{id}",
          "POST /platform/api/v1/users",
          "POST /platform/api/v1/users/{id}/token"
        ]
      )
    }))

  it.scoped("accounts, account users and agent bots: every route fits the spec, but for PLATFORM.md §7", () =>
    Effect.gen(function*() {
      const { url } = yield* PlatformUsersEmulator.serve({ seed, port: 0 })
      const exchanges: Array<Exchange> = []
      const context = yield* Layer.build(
        PlatformHttp.layerWithHttpClient({
          baseUrl: url,
          apiAccessToken: Redacted.make(TOKEN),
          retry: false,
          transformClient: recorder(exchanges)
        }).pipe(Layer.provide(NodeHttpClient.layerUndici))
      )
      const accounts = Context.get(context, PlatformAccounts)
      const accountUsers = Context.get(context, PlatformAccountUsers)
      const agentBots = Context.get(context, PlatformAgentBots)

      // Every field the payloads take, a minimal create, and each list with several records.
      const acme = yield* accounts.create({
        name: "Acme",
        locale: "en",
        domain: "acme.example",
        support_email: "support@acme.example",
        status: "active",
        features: { help_center: true, ip_lookup: true },
        limits: { agents: 5, inboxes: 10 },
        custom_attributes: { plan: "pro", nested: { a: [1, 2] } }
      })
      const beta = yield* accounts.create({ name: "Beta" })
      yield* accounts.list()
      yield* accounts.get(acme.id)
      yield* accounts.update(acme.id, {
        name: "Acme Inc",
        status: "suspended",
        features: { help_center: false },
        limits: { agents: 6 },
        custom_attributes: { plan: "team" }
      })

      yield* accountUsers.add(acme.id, { user_id: UserId.make(1), role: "administrator" })
      yield* accountUsers.add(acme.id, { user_id: UserId.make(2) })
      yield* accountUsers.add(acme.id, { user_id: UserId.make(1), role: "agent" })
      yield* accountUsers.list(acme.id)
      yield* accountUsers.remove(acme.id, UserId.make(2))
      // Not a member any more: still 200 with an empty body.
      yield* accountUsers.remove(acme.id, UserId.make(2))

      const helper = yield* agentBots.create({
        name: "Helper",
        description: "Answers first",
        outgoing_url: "https://bots.example/hook",
        account_id: acme.id,
        avatar_url: "https://bots.example/avatar.png"
      })
      // Nothing is required: an all-null system bot.
      const empty = yield* agentBots.create({})
      yield* agentBots.create({ name: "System", account_id: null })
      yield* agentBots.list()
      yield* agentBots.get(helper.id)
      yield* agentBots.update(helper.id, { description: null, outgoing_url: "https://bots.example/v2" })
      yield* agentBots.deleteAvatar(helper.id)
      yield* agentBots.delete(empty.id)
      yield* accounts.delete(beta.id)

      assertOnlyKnown(findingsOf(exchanges, { keys: true }), platformDeviations)
      assert.deepStrictEqual(
        Array.from(new Set(exchanges.map(routeTemplate))).sort(),
        [
          "DELETE /platform/api/v1/accounts/{id}",
          "DELETE /platform/api/v1/accounts/{id}/account_users",
          "DELETE /platform/api/v1/agent_bots/{id}",
          "DELETE /platform/api/v1/agent_bots/{id}/avatar",
          "GET /platform/api/v1/accounts",
          "GET /platform/api/v1/accounts/{id}",
          "GET /platform/api/v1/accounts/{id}/account_users",
          "GET /platform/api/v1/agent_bots",
          "GET /platform/api/v1/agent_bots/{id}",
          "PATCH /platform/api/v1/accounts/{id}",
          "PATCH /platform/api/v1/agent_bots/{id}",
          "POST /platform/api/v1/accounts",
          "POST /platform/api/v1/accounts/{id}/account_users",
          "POST /platform/api/v1/agent_bots"
        ]
      )
    }))

  it("the validator does reject what the spec forbids (so the check above can fail)", () => {
    const get = operationOf("GET", "/platform/api/v1/users/1")!.op
    const user = get.responses["200"]!.content!["application/json"]!.schema
    const validate = compile(user)
    assert.isTrue(validate({ id: 1, name: "x", email: "x@example.com", confirmed: true }))
    assert.isFalse(validate({ id: "1" }))
    assert.isFalse(validate({ confirmed: "yes" }))
    assert.isFalse(validate({ accounts: [{ role: "owner" }] }))
    const patch = operationOf("PATCH", "/platform/api/v1/users/1")!.op
    const payload = patch.requestBody!.content["application/json"]!.schema
    assert.isFalse(compile(payload)({ custom_attributes: "plan=pro" }))
  })

  it("the key-by-key check does see undocumented, missing keys and undeclared query parameters", () => {
    const bot = { $ref: "#/components/schemas/agent_bot" }
    const sent = { id: 1, name: "x", description: "d", thumbnail: "t", outgoing_url: "u", bot_type: "webhook" }
    assert.deepStrictEqual(
      shapeErrors("response", bot, { ...sent, bot_config: {}, account_id: 1, access_token: "a", system_bot: false }),
      []
    )
    assert.deepStrictEqual(
      shapeErrors("response", { type: "array", items: bot }, [{ ...sent, extra: 1 }]).map((e) =>
        `${e.keyword} ${e.instancePath} ${e.key}`
      ),
      [
        "undocumentedKey /0 extra",
        "missingKey /0 bot_config",
        "missingKey /0 account_id",
        "missingKey /0 access_token",
        "missingKey /0 system_bot"
      ]
    )
    // A request is not required to send every field.
    assert.deepStrictEqual(
      shapeErrors("request", { $ref: "#/components/schemas/account_create_update_payload" }, {}),
      []
    )
    const remove = operationOf("DELETE", "/platform/api/v1/accounts/1/account_users")!
    assert.deepStrictEqual(remove.parameters.map((p) => `${p.in} ${p.name}`), ["path account_id"])
  })
})

// ---------------------------------------------------------------------------------------------------------------
// The other way round: a Chatwoot that answered exactly as its spec documents (PLATFORM.md §8.4 'Swagger-shaped
// bodies') is read by the client. Each body holds every key its schema documents, a value of the documented type
// each; the spec's minimal shapes (an account `{id, name}`, an account user `{account_id, user_id, role}`) are those
// of its schemas, and an agent bot comes with `thumbnail`, `bot_type`, `bot_config` and `system_bot`.

/** A value of every documented key, of the documented type (ids 1; the spec's `example` for a string when given). */
const sampleOf = (schema: JsonSchema): unknown => {
  const resolved = resolve(schema)
  if (resolved.enum !== undefined) return resolved.enum[0]
  switch (resolved.type) {
    case "array":
      return [sampleOf(resolved.items!), sampleOf(resolved.items!)]
    case "object":
      return Object.fromEntries(Object.entries(resolved.properties ?? {}).map(([key, value]) => [key, sampleOf(value)]))
    case "integer":
    case "number":
      return 1
    case "boolean":
      return false
    default:
      return typeof resolved.example === "string" ? resolved.example : "documented"
  }
}

const swaggerResponse = (method: string, pathname: string): JsonSchema | undefined => {
  const documented = operationOf(method, pathname)
  if (documented === undefined) {
    const template = pathname.replace(/\/\d+(?=\/|$)/g, "/{id}")
    return standIns[`${method} ${template}`] as JsonSchema | undefined
  }
  return documented.op.responses["200"]?.content?.["application/json"]?.schema as JsonSchema | undefined
}

/** A Chatwoot that answers every route with its documented success body, as built by {@link sampleOf}. */
const swaggerChatwoot = HttpClient.make((request, url) =>
  Effect.sync(() => {
    const schema = swaggerResponse(request.method, url.pathname)
    const body = schema === undefined ? "" : JSON.stringify(sampleOf(schema))
    return HttpClientResponse.fromWeb(
      request,
      // Deletes: `head :ok`, an empty body typed as JSON (PLATFORM.md §2.3).
      new Response(body, {
        status: 200,
        headers: { "content-type": body === "" ? "application/json" : PlatformWire.railsJson }
      })
    )
  })
)

describe("bodies shaped as the spec documents them", () => {
  it("are what the spec says: every documented key, each valid", () => {
    for (
      const [method, pathname] of [
        ["GET", "/platform/api/v1/accounts/1"],
        ["GET", "/platform/api/v1/accounts"],
        ["GET", "/platform/api/v1/accounts/1/account_users"],
        ["POST", "/platform/api/v1/accounts/1/account_users"],
        ["GET", "/platform/api/v1/agent_bots"],
        ["DELETE", "/platform/api/v1/agent_bots/1/avatar"]
      ] as const
    ) {
      const schema = swaggerResponse(method, pathname)!
      const sample = sampleOf(schema)
      assert.isTrue(compile(schema)(sample), `${method} ${pathname}`)
      assert.deepStrictEqual(shapeErrors("response", schema, sample), [], `${method} ${pathname}`)
    }
    assert.deepStrictEqual(sampleOf({ $ref: "#/components/schemas/platform_account" }), { id: 1, name: "documented" })
    assert.deepStrictEqual(Object.keys(sampleOf({ $ref: "#/components/schemas/agent_bot" }) as object), [
      "id",
      "name",
      "description",
      "thumbnail",
      "outgoing_url",
      "bot_type",
      "bot_config",
      "account_id",
      "access_token",
      "system_bot"
    ])
  })

  it.scoped("decode through the live client, every route of accounts, account users and agent bots", () =>
    Effect.gen(function*() {
      const context = yield* Layer.build(
        PlatformHttp.layerWithHttpClient({
          baseUrl: "http://chatwoot.invalid",
          apiAccessToken: Redacted.make(TOKEN),
          retry: false,
          timeout: "2 seconds"
        })
          .pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, swaggerChatwoot)))
      )
      const accounts = Context.get(context, PlatformAccounts)
      const accountUsers = Context.get(context, PlatformAccountUsers)
      const agentBots = Context.get(context, PlatformAgentBots)
      const id = AccountId.make(1)
      // The decoded fields, without the class (and its branded types).
      const plain = (value: object): unknown => ({ ...value })

      const account = yield* accounts.get(id)
      assert.deepStrictEqual(plain(account), { id: 1, name: "documented" })
      assert.deepStrictEqual((yield* accounts.list()).map(plain), [
        { id: 1, name: "documented" },
        { id: 1, name: "documented" }
      ])
      assert.strictEqual((yield* accounts.create({ name: "documented" })).name, "documented")
      assert.strictEqual((yield* accounts.update(id, { name: "documented" })).id, 1)
      yield* accounts.delete(id)

      const members = yield* accountUsers.list(id)
      assert.deepStrictEqual(members.map(plain), [
        { account_id: 1, user_id: 1, role: "documented" },
        { account_id: 1, user_id: 1, role: "documented" }
      ])
      const member = yield* accountUsers.add(id, { user_id: UserId.make(1), role: "agent" })
      assert.deepStrictEqual(plain(member), { account_id: 1, user_id: 1, role: "documented" })
      yield* accountUsers.remove(id, UserId.make(1))

      const bots = yield* agentBots.list()
      assert.strictEqual(bots.length, 2)
      const bot = yield* agentBots.get(bots[0]!.id)
      assert.strictEqual(bot.thumbnail, "documented")
      assert.strictEqual(bot.bot_type, "documented")
      assert.deepStrictEqual(bot.bot_config, {})
      assert.strictEqual(bot.system_bot, false)
      assert.strictEqual(Redacted.value(bot.access_token!), "documented")
      assert.strictEqual((yield* agentBots.create({ name: "documented" })).id, 1)
      assert.strictEqual((yield* agentBots.update(bot.id, { name: "documented" })).id, 1)
      assert.strictEqual((yield* agentBots.deleteAvatar(bot.id)).id, 1)
      yield* agentBots.delete(bot.id)
    }))

  it("the models are narrower than the spec on ids: a `number` that is not an integer is refused", () => {
    const decode = (schema: Schema.Schema.Any, input: unknown) =>
      Either.isRight(Schema.decodeUnknownEither(schema as Schema.Schema<unknown, unknown>)(input))
    const account = PlatformWire.routes["accounts.get"].response!
    const member = PlatformWire.routes["accountUsers.add"].response!
    const bot = PlatformWire.routes["agentBots.get"].response!
    assert.isTrue(decode(account, { id: 1, name: "x" }))
    assert.isFalse(decode(account, { id: 1.5, name: "x" }))
    assert.isTrue(decode(member, { account_id: 1, user_id: 2, role: "agent" }))
    assert.isFalse(decode(member, { account_id: 1.5, user_id: 2, role: "agent" }))
    assert.isTrue(decode(bot, { id: 1, account_id: 2 }))
    assert.isFalse(decode(bot, { id: 1, account_id: 2.5 }))
  })
})
