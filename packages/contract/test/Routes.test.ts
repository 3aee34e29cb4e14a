import * as ErrorMapping from "@chatwoot-effect/contract/ErrorMapping"
import * as Routes from "@chatwoot-effect/contract/Routes"
import * as Wire from "@chatwoot-effect/contract/Wire"
import { describe, expect, it } from "vitest"

describe("Routes", () => {
  it("lists what each route raises by tag: NotFound on member routes, Validation where Chatwoot validates", () => {
    expect(Routes.routes["accounts.list"].errorTags).toEqual(Routes.commonErrorTags)
    expect(Routes.routes.create.errorTags).toEqual([...Routes.commonErrorTags, "Validation"])
    expect(Routes.routes.update.errorTags).toEqual([...Routes.commonErrorTags, "NotFound", "Validation"])
    // remove sends user_id in the query and never answers 422.
    expect(Routes.routes["accountUsers.remove"].errorTags).toEqual([...Routes.commonErrorTags, "NotFound"])
  })

  it("routes the way Rails does and fills paths back in", () => {
    const matched = Routes.matchRoute("put", `${Wire.apiPrefix}/accounts/7.json`)
    expect(matched?.route.operation).toBe("accounts.update")
    expect(matched?.params).toEqual({ id: "7" })
    expect(Routes.matchRoute("GET", `${Wire.apiPrefix}/accounts/7/account_users/`)?.params).toEqual({ account_id: "7" })
    expect(Routes.matchRoute("PATCH", `${Wire.apiPrefix}/accounts`)).toBeUndefined()
    expect(Routes.pathOf(Routes.routes["agentBots.deleteAvatar"], { id: 3 })).toBe("/agent_bots/3/avatar")
    expect(Routes.subjectOf(Routes.routes["accountUsers.list"], { account_id: 9 })).toBe(9)
  })
})

describe("ErrorMapping", () => {
  const base = { now: 0, body: "" }

  it("reads each status into a descriptor, narrowed to what the route raises", () => {
    expect(ErrorMapping.classifyResponse({
      ...base,
      route: Routes.routes.get,
      id: 5,
      status: 401,
      body: Wire.errorBodies.nonPermissible
    })).toEqual({ _tag: "Unauthorized", operation: "get", reason: "NonPermissibleResource", resource: "user", id: 5 })
    expect(ErrorMapping.classifyResponse({ ...base, route: Routes.routes["agentBots.get"], id: 3, status: 404 }))
      .toEqual({ _tag: "NotFound", operation: "agentBots.get", resource: "agent_bot", id: 3 })
    expect(
      ErrorMapping.classifyResponse({ ...base, route: Routes.routes["accounts.list"], id: undefined, status: 404 })
    )
      .toMatchObject({ _tag: "UnexpectedResponse", reason: "Status", status: 404 })
    expect(ErrorMapping.classifyResponse({
      ...base,
      route: Routes.routes["accountUsers.remove"],
      id: 7,
      status: 422,
      body: "{\"message\":\"Role is invalid\",\"attributes\":[\"role\"]}"
    })).toEqual({
      _tag: "UnexpectedResponse",
      operation: "accountUsers.remove",
      reason: "Status",
      status: 422,
      detail: "accountUsers.remove: invalid role (rejected by Chatwoot with 422): Role is invalid"
    })
    expect(ErrorMapping.classifyResponse({ ...base, route: Routes.routes.get, id: 1, status: 429, retryAfter: "2" }))
      .toEqual({ _tag: "RateLimited", operation: "get", retryAfterMillis: 2000 })
    expect(ErrorMapping.classifyResponse({
      ...base,
      route: Routes.routes.get,
      id: 1,
      status: 500,
      body: Wire.errorBodies.internalServerError
    })).toEqual({ _tag: "ServerError", operation: "get", status: 500, error: "Internal Server Error" })
  })
})
