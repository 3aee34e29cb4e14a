// A contract check against Chatwoot's published OpenAPI (`spec/platform_swagger.json`, a byte-for-byte copy of
// chatwoot's `swagger/tag_groups/platform_swagger.json`): every request the live client sends and every success
// response the emulator writes is validated with ajv against the documented schemas. The real server's known
// deviations (BEHAVIOUR.md §8) are allow-listed by name; each one must actually be seen, so the list cannot go stale,
// and anything else that breaks the schema fails the test.
import { PlatformUsers } from "@chatwoot-effect/core/PlatformUsers"
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import { UserId } from "@chatwoot-effect/core/User"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Ajv } from "ajv"
import type { ErrorObject } from "ajv"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as PlatformUsersEmulator from "../src/PlatformUsersEmulator.js"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"

interface Operation {
  readonly requestBody?: { readonly content: Record<string, { readonly schema: object }> }
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema: object }> }>
}

const swagger = JSON.parse(
  Fs.readFileSync(Path.join(__dirname, "..", "..", "..", "spec", "platform_swagger.json"), "utf8")
) as { readonly paths: Record<string, Record<string, Operation>>; readonly components: object }

const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false })
ajv.addSchema({ $id: "swagger", components: swagger.components })

// Swagger refs (`#/components/...`) are relative to the whole document: point them at the registered copy.
const compile = (schema: object) =>
  ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll("\"#/components/", "\"swagger#/components/")))

const operationOf = (
  method: string,
  pathname: string
): { readonly path: string; readonly op: Operation } | undefined => {
  for (const [template, item] of Object.entries(swagger.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`)
    const op = item[method.toLowerCase()]
    if (pattern.test(pathname) && op !== undefined) return { path: template, op }
  }
  return undefined
}

/** A deviation of the real server from its published spec, by name, and what it looks like to the validator. */
interface Deviation {
  readonly name: string
  readonly source: string
  readonly matches: (finding: Finding) => boolean
}

interface Finding {
  readonly direction: "request" | "response"
  readonly method: string
  readonly pathname: string
  readonly error: ErrorObject | "undocumented operation"
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

describe("contract with the published OpenAPI", () => {
  it.scoped("client requests and emulator success responses fit the spec, but for the named deviations", () =>
    Effect.gen(function*() {
      const { url } = yield* PlatformUsersEmulator.serve({ seed, port: 0, frontendUrl: "https://chat.example.com" })
      const exchanges: Array<{ method: string; pathname: string; status: number; request: string; response: string }> =
        []
      const record = HttpClient.tap((response) =>
        Effect.map(response.text, (text) => {
          const body = response.request.body
          exchanges.push({
            method: response.request.method,
            pathname: new URL(response.request.url).pathname,
            status: response.status,
            request: body._tag === "Uint8Array" ? new TextDecoder().decode(body.body) : "",
            response: text
          })
        })
      )
      const context = yield* Layer.build(
        PlatformUsersHttp.layerWithHttpClient({
          baseUrl: url,
          apiAccessToken: Redacted.make(TOKEN),
          retry: false,
          transformClient: record
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

      const findings: Array<Finding> = []
      for (const exchange of exchanges) {
        assert.strictEqual(exchange.status, 200, `${exchange.method} ${exchange.pathname}`)
        const documented = operationOf(exchange.method, exchange.pathname)
        if (documented === undefined) {
          findings.push({ ...exchange, direction: "request", error: "undocumented operation" })
          continue
        }
        const requestSchema = documented.op.requestBody?.content["application/json"]?.schema
        if (exchange.request !== "") {
          assert.isDefined(requestSchema, `a body was sent to ${documented.path}, which documents none`)
          const validate = compile(requestSchema!)
          if (!validate(JSON.parse(exchange.request))) {
            for (const error of validate.errors ?? []) findings.push({ ...exchange, direction: "request", error })
          }
        }
        const responseSchema = documented.op.responses["200"]?.content?.["application/json"]?.schema
        if (responseSchema === undefined) {
          // Documented without a body (delete): the emulator sends none.
          assert.strictEqual(exchange.response, "", `${documented.path} documents no body`)
          continue
        }
        const validate = compile(responseSchema)
        if (!validate(JSON.parse(exchange.response))) {
          for (const error of validate.errors ?? []) findings.push({ ...exchange, direction: "response", error })
        }
      }

      const unexplained = findings.filter((finding) => !knownDeviations.some((deviation) => deviation.matches(finding)))
      assert.deepStrictEqual(
        unexplained.map((f) => `${f.direction} ${f.method} ${f.pathname}: ${JSON.stringify(f.error)}`),
        [],
        "schema violations that are not known deviations of the real server"
      )
      const unseen = knownDeviations.filter((deviation) => !findings.some(deviation.matches))
      assert.deepStrictEqual(unseen.map((d) => d.name), [], "allow-listed deviations that never showed up")
      // The check did look at every operation.
      assert.deepStrictEqual(
        Array.from(new Set(exchanges.map((e) => `${e.method} ${e.pathname.replace(/\/users\/\d+/, "/users/{id}")}`)))
          .sort(),
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
})
