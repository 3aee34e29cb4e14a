// The cheapest server that still speaks honest HTTP/1.1: a raw TCP server that answers
// `PATCH /platform/api/v1/users/{id}` carrying the token header (`api-access-token` or `api_access_token`) with a
// fixed, realistic user JSON (about 600 bytes, Chatwoot's jbuilder key order), 401 without the token, 404 for anything
// else. No node:http parser, no per-request allocation beyond slicing the input: its cost per request is a small
// fraction of any client's, so the figures show the clients. Keep-alive, pipelining-safe, Content-Length and chunked
// request bodies.
// It also answers every route of accounts, account users and agent bots (the "Every operation" part of the bench)
// with fixed bodies in Chatwoot's shape (`platform.mjs`): the record, an array for a list, and for a delete 200 with
// an empty body (`head :ok`), behind the same token check. The users update is matched first, as before.
// For `provision --file` (provision.mjs) `POST /users` answers the user it would find or create, echoing the request's
// name, email, display_name and custom_attributes, with no account (a new person: provisioning then adds the
// membership) or, with BENCH_PROVISION_MEMBERS=1, already a member of the account the file asks for (the rerun: one
// request per person); `POST /accounts/:id/account_users` echoes the account, user_id and role. These two parse the
// request's JSON body, the only routes that read it.
// Usage: node bench/server.mjs [port]   prints {"port":N} on stdout once listening; SIGTERM stops it.
import * as net from "node:net"

import {
  accountJson,
  accountListJson,
  accountUserJson,
  accountUserListJson,
  agentBotJson,
  agentBotListJson
} from "./platform.mjs"
import { addedAccountUserJson, createdUserJson } from "./provision.mjs"
import { userJson } from "./user.mjs"

export { userJson }

const response = (status, reason, body) =>
  Buffer.from(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`
  )

const ok = response(200, "OK", userJson)
const unauthorized = response(401, "Unauthorized", "{\"error\":\"Invalid access_token\"}")
const notFound = response(404, "Not Found", "{\"error\":\"Resource could not be found\"}")
const routePrefix = "PATCH /platform/api/v1/users/"
const createUserPath = "POST /platform/api/v1/users"
const addAccountUser = /^POST \/platform\/api\/v1\/accounts\/(\d+)\/account_users[ ?]/
const members = process.env.BENCH_PROVISION_MEMBERS === "1"
const CRLFCRLF = Buffer.from("\r\n\r\n")
const LASTCHUNK = Buffer.from("0\r\n\r\n")

// Rails' `head :ok`: 200, an empty body, `application/json` without a charset.
const deleted = Buffer.from(
  "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 0\r\nconnection: keep-alive\r\n\r\n"
)

// The other routes, by method and path with each id as `:id` (PLATFORM.md §1).
const otherRoutes = new Map([
  ["GET /accounts", response(200, "OK", accountListJson)],
  ["POST /accounts", response(200, "OK", accountJson)],
  ["GET /accounts/:id", response(200, "OK", accountJson)],
  ["PATCH /accounts/:id", response(200, "OK", accountJson)],
  ["DELETE /accounts/:id", deleted],
  ["GET /accounts/:id/account_users", response(200, "OK", accountUserListJson)],
  ["POST /accounts/:id/account_users", response(200, "OK", accountUserJson)],
  ["DELETE /accounts/:id/account_users", deleted],
  ["GET /agent_bots", response(200, "OK", agentBotListJson)],
  ["POST /agent_bots", response(200, "OK", agentBotJson)],
  ["GET /agent_bots/:id", response(200, "OK", agentBotJson)],
  ["PATCH /agent_bots/:id", response(200, "OK", agentBotJson)],
  ["DELETE /agent_bots/:id", deleted],
  ["DELETE /agent_bots/:id/avatar", response(200, "OK", agentBotJson)]
])
const apiPrefix = "/platform/api/v1"

const otherRoute = (head) => {
  const lineEnd = head.indexOf(" HTTP/")
  const space = head.indexOf(" ")
  if (lineEnd < 0 || space < 0 || space >= lineEnd) return notFound
  const target = head.slice(space + 1, lineEnd)
  const query = target.indexOf("?")
  const pathname = query < 0 ? target : target.slice(0, query)
  if (!pathname.startsWith(apiPrefix + "/")) return notFound
  const shape = pathname.slice(apiPrefix.length).replace(/\/\d+(?=\/|$)/g, "/:id")
  return otherRoutes.get(`${head.slice(0, space)} ${shape}`) ?? notFound
}

// A chunked body's data, its chunks joined (extensions and trailers dropped).
const dechunk = (body) => {
  const parts = []
  let at = 0
  for (;;) {
    const lineEnd = body.indexOf("\r\n", at)
    if (lineEnd < 0) break
    const size = parseInt(body.toString("latin1", at, lineEnd), 16)
    if (!(size > 0)) break
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size))
    at = lineEnd + 2 + size + 2
  }
  return Buffer.concat(parts)
}

const parsed = (body) => {
  try {
    const value = JSON.parse(body.toString("utf8"))
    return value !== null && typeof value === "object" ? value : {}
  } catch {
    return {}
  }
}

const bodyOf = (buffer, start, end, chunked) => {
  const body = buffer.subarray(start, end)
  return parsed(chunked ? dechunk(body) : body)
}

// The two provisioning routes, answered from the request's body (`undefined` for any other route).
const provisionRoute = (head, buffer, bodyStart, bodyEnd, chunked) => {
  if (!head.startsWith("POST ")) return undefined
  if (head.startsWith(createUserPath) && (head[createUserPath.length] === " " || head[createUserPath.length] === "?")) {
    return response(200, "OK", createdUserJson(bodyOf(buffer, bodyStart, bodyEnd, chunked), members))
  }
  const matched = addAccountUser.exec(head)
  return matched === null ? undefined : response(
    200,
    "OK",
    addedAccountUserJson(Number(matched[1]), bodyOf(buffer, bodyStart, bodyEnd, chunked))
  )
}

const hasToken = (head) => {
  const lower = head.toLowerCase()
  // Either spelling, as Chatwoot reads it: our SDK sends `api-access-token`, some clients `api_access_token`.
  return lower.includes("\r\napi-access-token:") || lower.includes("\r\napi_access_token:")
}

// The users update first, with nothing read but the head, as before the provisioning routes.
const answer = (head, buffer, bodyStart, bodyEnd, chunked) => {
  if (head.startsWith(routePrefix)) return hasToken(head) ? ok : unauthorized
  const provisioned = provisionRoute(head, buffer, bodyStart, bodyEnd, chunked)
  if (provisioned !== undefined) return hasToken(head) ? provisioned : unauthorized
  const route = otherRoute(head)
  if (route === notFound) return notFound
  return hasToken(head) ? route : unauthorized
}

// Returns the number of bytes of `buffer` taken by the first complete request, or 0 when it is not complete yet.
const handle = (socket, buffer) => {
  const end = buffer.indexOf(CRLFCRLF)
  if (end < 0) return 0
  const head = buffer.toString("latin1", 0, end)
  const lower = head.toLowerCase()
  let bodyEnd = end + 4
  let chunked = false
  const lengthAt = lower.indexOf("\r\ncontent-length:")
  if (lengthAt >= 0) {
    const lineEnd = lower.indexOf("\r\n", lengthAt + 2)
    bodyEnd += parseInt(lower.slice(lengthAt + 17, lineEnd < 0 ? lower.length : lineEnd), 10) || 0
    if (buffer.length < bodyEnd) return 0
  } else if (lower.includes("\r\ntransfer-encoding: chunked")) {
    const last = buffer.indexOf(LASTCHUNK, end + 4)
    if (last < 0) return 0
    bodyEnd = last + LASTCHUNK.length
    chunked = true
  }
  socket.write(answer(head, buffer, end + 4, bodyEnd, chunked))
  return bodyEnd
}

export const start = (port = 0) =>
  new Promise((resolve) => {
    const server = net.createServer({ noDelay: true }, (socket) => {
      let pending = null
      socket.on("data", (chunk) => {
        let buffer = pending === null ? chunk : Buffer.concat([pending, chunk])
        for (;;) {
          const used = handle(socket, buffer)
          if (used === 0) break
          buffer = buffer.subarray(used)
          if (buffer.length === 0) break
        }
        pending = buffer.length === 0 ? null : buffer
      })
      socket.on("error", () => socket.destroy())
    })
    server.listen(port, "127.0.0.1", () => resolve(server))
  })

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await start(Number(process.argv[2] ?? 0))
  process.stdout.write(JSON.stringify({ port: server.address().port, pid: process.pid }) + "\n")
  process.on("SIGTERM", () => process.exit(0))
  process.on("SIGINT", () => process.exit(0))
}
