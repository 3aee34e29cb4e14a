/**
 * Secret hygiene of the library: every outcome of every operation, from the live client (over the emulator on a
 * loopback socket, undici and fetch, and over servers that echo the request back) and from the in-memory layer, is
 * harvested (the value or the error in every rendering, everything logged at `LogLevel.All`, every span with its
 * attributes, events and exit, the HttpClient's own spans included) and searched for the platform tokens and the
 * passwords, raw and encoded.
 */
import type * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import type * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import * as PlatformUsersWire from "@chatwoot-effect/core/PlatformUsersWire"
import { UserId } from "@chatwoot-effect/core/User"
import * as PlatformUsersHttp from "@chatwoot-effect/http/PlatformUsersHttp"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Harvest from "./utils/harvest.js"
import * as Server from "./utils/harvestServer.js"

type Outcome = PlatformUsersError.PlatformUsersError["_tag"] | "ok"
type Call = (users: PlatformUsers.Service) => Effect.Effect<unknown, PlatformUsersError.PlatformUsersError>

const id = UserId.make
const password = Redacted.make
const withPassword = (value: string = Harvest.PASSWORD) => ({ password: password(value) })
const json = { "content-type": "application/json" }

// [label, the call, the outcome it must have: a case that does not reach its error kind proves nothing]
type Case = readonly [string, Call, Outcome]

/** Runs each case under the recorder, checks its outcome, harvests its exit. */
const runCases = (
  recorder: Harvest.Recorder,
  users: PlatformUsers.Service,
  cases: ReadonlyArray<Case>,
  prefix: string
): Effect.Effect<Array<Harvest.Item>> =>
  Effect.forEach(cases, ([label, call, expected]) =>
    Effect.map(Effect.exit(recorder.record(call(users))), (exit) => {
      const outcome = Exit.isSuccess(exit)
        ? "ok"
        : exit.cause._tag === "Fail"
        ? exit.cause.error._tag
        : `not a typed failure: ${exit.cause._tag}`
      assert.strictEqual(outcome, expected, `${prefix} ${label}`)
      return Harvest.renderExit(`${prefix} ${label}`, exit)
    })).pipe(Effect.map((items) => items.flat()))

const live = (
  baseUrl: string,
  token: string,
  client: Context.Context<HttpClient.HttpClient>,
  options: Partial<PlatformUsersHttp.Options> = {}
) =>
  PlatformUsersHttp.make({
    baseUrl,
    apiAccessToken: Redacted.make(token),
    retry: { retries: 1, base: "1 millis", cap: "5 millis" },
    timeout: "10 seconds",
    ...options
  }).pipe(Effect.provide(client))

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["undici", NodeHttpClient.layerUndici],
  ["fetch", FetchHttpClient.layer]
]

const emulatorCases: ReadonlyArray<Case> = [
  ["update with a password", (u) => u.update(id(1), { name: "An", ...withPassword(Harvest.PASSWORD_ESCAPED) }), "ok"],
  [
    "create with a password",
    (u) => u.create({ name: "Di", email: "di@acme.inc", password: password(Harvest.PASSWORD_SPACED) }),
    "ok"
  ],
  ["get", (u) => u.get(id(1)), "ok"],
  ["login url", (u) => u.loginUrl(id(1)), "ok"],
  ["token", (u) => u.token(id(1)), "ok"],
  ["404 update with a password", (u) => u.update(id(999), { password: password(Harvest.PASSWORD) }), "NotFound"],
  ["404 get", (u) => u.get(id(999)), "NotFound"],
  [
    "422 (server): the email is taken, with a password",
    (u) => u.update(id(1), { email: "bo@acme.inc", password: password(Harvest.PASSWORD) }),
    "Validation"
  ],
  [
    "422 (client): create with no name and a bad email, with a password",
    (u) => u.create({ name: "", email: "not an email", password: password(Harvest.PASSWORD_ESCAPED) }),
    "Validation"
  ],
  [
    "422 (client): a password with invalid characters",
    (u) => u.update(id(1), { password: password(Harvest.PASSWORD_INVALID) }),
    "Validation"
  ],
  [
    "422 (client): create with a password with invalid characters",
    (u) => u.create({ name: "Ed", email: "ed@acme.inc", password: password(Harvest.PASSWORD_INVALID) }),
    "Validation"
  ],
  ["401 Non permissible resource (another app's user)", (u) => u.update(id(3), withPassword()), "Unauthorized"],
  ["delete", (u) => u.delete(id(2)), "ok"]
]

// Whichever spelling of the token header the client sent.
const sentToken = (seen: Server.Seen) => String(seen.headers["api-access-token"] ?? seen.headers["api_access_token"])

const echoCases: ReadonlyArray<readonly [string, (seen: Server.Seen) => Server.Answer, Outcome]> = [
  ["500 echo page", (seen) => Server.reply(500, Server.echoText(seen)), "ServerError"],
  ["502 echo page (retried)", (seen) => Server.reply(502, Server.echoText(seen)), "ServerError"],
  ["503 Retry-After 0 echo", (seen) => Server.reply(503, Server.echoText(seen), { "retry-after": "0" }), "ServerError"],
  [
    "500 JSON error field echoing the request",
    (seen) =>
      Server.reply(500, JSON.stringify({ status: 500, error: Server.requestText(seen) }), {
        "content-type": "application/json"
      }),
    "ServerError"
  ],
  [
    "422 whose message lists the password's characters and quotes the request",
    (seen) =>
      Server.reply(
        422,
        JSON.stringify({
          // As Chatwoot lists a password's invalid characters, here all of them, then the request.
          message: `Password contains 9 invalid characters (${JSON.parse(seen.body).password}), ${
            Server.requestText(seen)
          }`,
          attributes: ["password"]
        }),
        { "content-type": "application/json" }
      ),
    "Validation"
  ],
  ["401 echo", (seen) => Server.reply(401, Server.echoText(seen)), "Unauthorized"],
  [
    "401 JSON echo",
    (seen) => Server.reply(401, JSON.stringify({ error: Server.requestText(seen) }), json),
    "Unauthorized"
  ],
  ["404 echo", (seen) => Server.reply(404, Server.echoText(seen)), "NotFound"],
  ["429 echo", (seen) => Server.reply(429, Server.echoText(seen), { "retry-after": "0" }), "RateLimited"],
  ["403 echo (off contract)", (seen) => Server.reply(403, Server.echoText(seen)), "UnexpectedResponse"],
  ["200 HTML echo (decode)", (seen) => Server.reply(200, Server.echoText(seen)), "UnexpectedResponse"],
  [
    "200 JSON of the wrong shape echoing the request (decode)",
    (seen) =>
      Server.reply(200, JSON.stringify({ id: Server.requestText(seen), email: seen.body }), {
        "content-type": "application/json"
      }),
    "UnexpectedResponse"
  ],
  [
    "302 to elsewhere, echoing",
    (seen) =>
      Server.reply(302, Server.echoText(seen), { location: `http://127.0.0.1:9/?${encodeURIComponent(seen.body)}` }),
    "UnexpectedResponse"
  ],
  [
    "a reset in the middle of an echo (transport)",
    (seen) => ({ _tag: "Reset", partial: Server.echoText(seen) }),
    "TransportError"
  ],
  [
    "echoed in response headers",
    (seen) =>
      Server.reply(502, "bad gateway", {
        "x-echo-token": sentToken(seen),
        "x-echo-body": encodeURIComponent(seen.body),
        "set-cookie": `echo=${sentToken(seen)}`
      }),
    "ServerError"
  ]
]

// Each echo case runs an update with a password and a create with another one.
const echoCalls: ReadonlyArray<readonly [string, Call]> = [
  ["update", (u) => u.update(id(42), { name: "Dan", password: password(Harvest.PASSWORD_ESCAPED) })],
  ["create", (u) => u.create({ name: "Dan", email: "dan@acme.inc", password: password(Harvest.PASSWORD_SPACED) })]
]

const transportCases: ReadonlyArray<Case> = echoCalls.map(([name, call]) => [name, call, "TransportError"] as const)

// Every spelling given was sent at least once, and shows as `<redacted>` wherever it was.
const checkHttpSpans = (
  recorder: Harvest.Recorder,
  spellings: ReadonlyArray<PlatformUsersWire.TokenHeader> = PlatformUsersWire.TokenHeader.literals
) => {
  const headers = Harvest.requestHeaderAttributes(recorder.spans)
  for (const spelling of spellings) {
    const tokens = headers.filter(([key]) => key === `http.request.header.${spelling}`)
    assert.isAbove(tokens.length, 0, `no HTTP client span carried the token header ${spelling}`)
  }
  const tokens = headers.filter(([key]) => PlatformUsersWire.isTokenHeader(key.replace("http.request.header.", "")))
  for (const [, value] of tokens) assert.strictEqual(value, "<redacted>")
}

describe("Secret hygiene: the library", () => {
  for (const [name, transport] of transports) {
    it.scopedLive(`live client over the emulator (${name}): every outcome, logs and spans hold no secret`, () =>
      Effect.gen(function*() {
        const client = yield* Layer.build(transport)
        const recorder = yield* Harvest.makeRecorder
        const { url } = yield* recorder.record(Server.emulator())
        const items: Array<Harvest.Item> = []
        const users = yield* live(url, Harvest.TOKEN, client)
        items.push(...yield* runCases(recorder, users, emulatorCases, name))

        const wrong = yield* live(url, Harvest.WRONG_TOKEN, client)
        items.push(
          ...yield* runCases(recorder, wrong, [
            ["401 Invalid access_token, update", (u) => u.update(id(1), withPassword()), "Unauthorized"],
            [
              "401 Invalid access_token, create",
              (u) => u.create({ name: "F", email: "f@acme.inc", password: password(Harvest.PASSWORD) }),
              "Unauthorized"
            ]
          ], `${name} wrong token`)
        )

        // The underscore spelling, chosen by option: the same hygiene.
        const underscored = yield* live(url, Harvest.TOKEN, client, { tokenHeader: "api_access_token" })
        const wrongUnderscored = yield* live(url, Harvest.WRONG_TOKEN, client, { tokenHeader: "api_access_token" })
        items.push(
          ...yield* runCases(recorder, underscored, [
            ["update with a password", (u) => u.update(id(1), withPassword(Harvest.PASSWORD_ESCAPED)), "ok"],
            ["token", (u) => u.token(id(1)), "ok"]
          ], `${name} api_access_token`),
          ...yield* runCases(recorder, wrongUnderscored, [
            ["401 Invalid access_token, update", (u) => u.update(id(1), withPassword()), "Unauthorized"]
          ], `${name} api_access_token wrong token`)
        )

        const other = yield* live(url, Harvest.OTHER_TOKEN, client)
        items.push(
          ...yield* runCases(recorder, other, [
            ["401 Non permissible resource, update", (u) => u.update(id(1), withPassword()), "Unauthorized"]
          ], `${name} other token`)
        )

        // One request a minute: the second call is a 429 on each attempt. The limit counts per wall-clock minute, so
        // a call may open a new window; of three calls in a row, the last is refused at the latest.
        const limited = yield* recorder.record(Server.emulator({ rateLimit: 1 }))
        const throttled = yield* live(limited.url, Harvest.TOKEN, client)
        let outcome = "ok"
        for (let attempt = 0; attempt < 3 && outcome !== "RateLimited"; attempt++) {
          const exit = yield* Effect.exit(recorder.record(throttled.update(id(1), withPassword())))
          items.push(...Harvest.renderExit(`${name} rate limited, call ${attempt}`, exit))
          outcome = Exit.isSuccess(exit) ? "ok" : exit.cause._tag === "Fail" ? exit.cause.error._tag : "defect"
        }
        assert.strictEqual(outcome, "RateLimited")

        checkHttpSpans(recorder)
        assert.isAbove(recorder.spans.filter((span) => span.name.startsWith("PlatformUsers.")).length, 10)
        Harvest.assertNoLeak([...items, ...recorder.items()], 100)
      }))
  }

  it.scopedLive("live client over servers echoing the request (status pages, JSON errors, headers, resets)", () =>
    Effect.gen(function*() {
      const recorder = yield* Harvest.makeRecorder
      const items: Array<Harvest.Item> = []
      for (const [label, script, outcome] of echoCases) {
        const server = yield* Server.echoServer(script)
        for (const [transport, layer] of transports) {
          const client = yield* Layer.build(layer)
          for (const tokenHeader of PlatformUsersWire.TokenHeader.literals) {
            const users = yield* live(server.origin, Harvest.TOKEN, client, { tokenHeader })
            items.push(
              ...yield* runCases(
                recorder,
                users,
                echoCalls.map(([name, call]) =>
                  // create has no member route: Chatwoot never answers it 404, so a 404 is off-contract there.
                  [name, call, outcome === "NotFound" && name === "create" ? "UnexpectedResponse" : outcome] as const
                ),
                `${label} ${transport} ${tokenHeader}`
              )
            )
          }
        }
        // The echo did carry the secrets back: the harvest would see them if the client passed them on.
        assert.include(Server.requestText(server.seen[0]!), Harvest.TOKEN)
      }
      checkHttpSpans(recorder)
      const echoed = recorder.spans.flatMap((span) => [span.attributes.get("http.response.header.x-echo-token")])
        .filter((value) => value !== undefined)
      assert.isAbove(echoed.length, 0)
      for (const value of echoed) assert.strictEqual(value, "<redacted>")
      Harvest.assertNoLeak([...items, ...recorder.items()], 100)
    }))

  it.scopedLive("live client: connection refused and per-attempt timeout (transport)", () =>
    Effect.gen(function*() {
      const recorder = yield* Harvest.makeRecorder
      const items: Array<Harvest.Item> = []
      const port = yield* Server.closedPort
      const hang = yield* Server.echoServer(() => ({ _tag: "Hang" }))
      for (const [transport, layer] of transports) {
        const client = yield* Layer.build(layer)
        const refused = yield* live(`http://127.0.0.1:${port}`, Harvest.TOKEN, client)
        items.push(
          ...yield* runCases(recorder, refused, transportCases, `refused ${transport}`)
        )
        const slow = yield* live(hang.origin, Harvest.TOKEN, client, { timeout: "200 millis", retry: false })
        items.push(
          ...yield* runCases(recorder, slow, transportCases, `timeout ${transport}`)
        )
      }
      checkHttpSpans(recorder, [PlatformUsersWire.tokenHeader])
      Harvest.assertNoLeak([...items, ...recorder.items()], 20)
    }))

  it.scoped("the in-memory layer: every outcome, logs and spans hold no secret", () =>
    Effect.gen(function*() {
      const recorder = yield* Harvest.makeRecorder
      const memory = yield* PlatformUsersMemory.make({ seed: Server.seed })
      const items: Array<Harvest.Item> = [
        ...yield* runCases(recorder, memory.serviceFor(Harvest.TOKEN), emulatorCases, "memory"),
        ...yield* runCases(recorder, memory.serviceFor(Harvest.WRONG_TOKEN), [
          ["401 Invalid access_token", (u) => u.update(id(1), { password: password(Harvest.PASSWORD) }), "Unauthorized"]
        ], "memory wrong token"),
        ...yield* runCases(recorder, memory.serviceFor(Redacted.make(Harvest.OTHER_TOKEN)), [
          ["401 Non permissible resource", (u) => u.update(id(1), withPassword()), "Unauthorized"]
        ], "memory other token")
      ]
      // The handle itself, as a test would print it.
      items.push({ source: "memory handle apps", text: JSON.stringify(yield* memory.apps) })
      items.push(...Harvest.renderError("memory users", yield* memory.users))
      Harvest.assertNoLeak([...items, ...recorder.items()], 50)
    }))
})

describe("Secret hygiene: the harvester itself", () => {
  it.effect("flags a secret in any rendering and encoding it knows (positive control)", () =>
    Effect.gen(function*() {
      for (const secret of Harvest.secrets) {
        for (const [encoding, encode] of Harvest.encodings) {
          const leaks = Harvest.findLeaks([{ source: "control", text: `before ${encode(secret.value)} after` }])
          assert.isTrue(leaks.some((leak) => leak.secret === secret.label), `${secret.label} ${encoding}`)
        }
      }
      // A leak through a log line and a span attribute is caught too.
      const recorder = yield* Harvest.makeRecorder
      yield* recorder.record(
        Effect.logTrace(`sending ${Harvest.TOKEN}`).pipe(
          Effect.withSpan("leaky", { attributes: { body: encodeURIComponent(Harvest.PASSWORD_ESCAPED) } })
        )
      )
      const found = Harvest.findLeaks(recorder.items())
      assert.isTrue(found.some((leak) => leak.secret === "TOKEN" && leak.source.startsWith("log")))
      assert.isTrue(found.some((leak) => leak.secret === "PASSWORD_ESCAPED" && leak.encoding === "percent-encoded"))
      // An error holding the secret in a plain field is caught in every rendering.
      const error = new Error("boom", { cause: { password: Harvest.PASSWORD } })
      const rendered = Harvest.findLeaks(Harvest.renderError("control", error))
      assert.isAtLeast(rendered.length, 3)
      assert.throws(() => Harvest.assertNoLeak([{ source: "control", text: JSON.stringify({ t: Harvest.TOKEN }) }]))
      assert.throws(() => Harvest.assertNoLeak([]))
    }))

  it.effect("harvests nothing from texts that only look alike", () =>
    Effect.sync(() => {
      const near = [Harvest.TOKEN.slice(0, -1), Harvest.PASSWORD.toUpperCase(), "<redacted>", "Harvest-"]
      assert.deepStrictEqual(Harvest.findLeaks(near.map((text) => ({ source: "near", text }))), [])
    }))
})
