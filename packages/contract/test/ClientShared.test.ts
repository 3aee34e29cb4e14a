import * as ClientConfig from "@chatwoot-effect/contract/ClientConfig"
import * as Json from "@chatwoot-effect/contract/Json"
import * as Retry from "@chatwoot-effect/contract/Retry"
import * as Routes from "@chatwoot-effect/contract/Routes"
import * as SafeDetail from "@chatwoot-effect/contract/SafeDetail"
import * as Wire from "@chatwoot-effect/contract/Wire"
import { describe, expect, it } from "vitest"

describe("Json", () => {
  it("accepts JSON as jsonb stores it and nothing else", () => {
    expect(Json.isJsonObject({ a: [1, "x", null, { b: true }] })).toBe(true)
    expect(Json.isJsonObject(JSON.parse("{\"__proto__\":{\"x\":1}}"))).toBe(true)
    expect(Json.isJsonObject([])).toBe(false)
    expect(Json.isJsonValue(Number.NaN)).toBe(false)
    expect(Json.isJsonValue({ when: new Date(0) })).toBe(false)
    let deep: unknown = 1
    for (let i = 0; i < 70; i++) deep = [deep]
    expect(Json.isJsonValue(deep)).toBe(false)
  })
})

describe("SafeDetail", () => {
  it("scrubs a secret raw and encoded, and formats decode failures without values", () => {
    const secret = "p<a>ss\"word&"
    const text = `raw ${secret} json ${JSON.stringify(secret)} url ${encodeURIComponent(secret)}`
    const scrubbed = SafeDetail.scrub(text, [secret])
    expect(scrubbed).not.toContain("ss")
    expect(scrubbed.match(/<redacted>/g)?.length).toBe(3)
    expect(SafeDetail.describeUrl("https://u:p@example.org/a/b?token=x#f")).toBe("https://example.org/a/b")
    const issues = Array.from({ length: 7 }, (_, i) => ({ path: ["accounts", i, "id"], message: "Expected a number" }))
    expect(SafeDetail.decodeFailureDetail(issues)).toBe(
      "the body does not match the schema: " +
        [0, 1, 2, 3, 4].map((i) => `accounts.[${i}].id: Expected a number`).join("; ") + "; and 2 more"
    )
  })
})

describe("Retry", () => {
  it("keeps defaults for unusable options and caps the jittered backoff", () => {
    const policy = Retry.makePolicy({ retries: Number.NaN, baseMillis: -1, capMillis: 1000 })
    expect(policy).toEqual({ retries: 3, baseMillis: 250, capMillis: 1000, maxRetryAfterMillis: 60_000 })
    expect(Retry.makePolicy(false).retries).toBe(0)
    expect(Retry.backoffMillis(policy, 1, 1.2)).toBe(600)
    expect(Retry.backoffMillis(policy, 5, 1.2)).toBe(1000)
  })

  it("retries an unsafe route only when Chatwoot surely did not act", () => {
    const network = { error: { _tag: "TransportError", reason: "Network" } }
    expect(Retry.isRetryable(network)).toBe(true)
    expect(Retry.isRetryable(network, "unsafe")).toBe(false)
    expect(Retry.isRetryable({ ...network, sentNothing: true }, "unsafe")).toBe(true)
    expect(Retry.isRetryable({ error: { _tag: "TransportError", reason: "InvalidUrl" } })).toBe(false)
    expect(Retry.sentNothing({ cause: { code: "ECONNREFUSED" } })).toBe(true)
    expect(Retry.sentNothing(new AggregateError([{ code: "ENETUNREACH" }, { code: "ECONNRESET" }]))).toBe(false)
  })
})

describe("client wire helpers", () => {
  it("names spans, folds raw headers and builds query strings", () => {
    expect(Routes.spanName(Routes.routes["accountUsers.add"])).toBe("PlatformAccountUsers.add")
    expect(Routes.spanAttributes(Routes.routes.get, 5)).toEqual({ "chatwoot.operation": "get", "chatwoot.user_id": 5 })
    expect(Wire.headerRecord(["Set-Cookie", "a=1", "set-cookie", "b=2", "Vary", "x", "vary", "y"])).toEqual({
      "set-cookie": "a=1\nb=2",
      vary: "x, y"
    })
    expect(Routes.queryString(Routes.routes["accountUsers.remove"], { user_id: 4, other: 1 })).toBe("user_id=4")
    const redacted = Wire.redactedForOurRequests(["authorization"])
    expect(redacted.slice(0, 3)).toEqual(["authorization", "api-access-token", "api_access_token"])
    const unshown = redacted[3] as RegExp
    expect(unshown.test("location")).toBe(true)
    expect(unshown.test("x-ratelimit-remaining")).toBe(false)
  })

  it("reads settings from text", () => {
    expect(ClientConfig.parseRetries(" Off ")).toEqual({ _tag: "Valid", value: false })
    expect(ClientConfig.parseRetries("2")).toEqual({ _tag: "Valid", value: { retries: 2 } })
    expect(ClientConfig.parseRetries("-1")._tag).toBe("Invalid")
    expect(ClientConfig.timeoutText(" 0 ")).toBe(false)
    expect(ClientConfig.timeoutText("30 Seconds")).toBe("30 seconds")
    expect(ClientConfig.parseTokenHeader("API_ACCESS_TOKEN")).toEqual({ _tag: "Valid", value: "api_access_token" })
    expect(ClientConfig.parseTokenHeader("authorization")._tag).toBe("Invalid")
  })
})
