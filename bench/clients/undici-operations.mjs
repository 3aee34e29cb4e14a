// Raw undici for every operation: one keep-alive Pool, `Pool.request`, the same requests as the SDK's (operations.mjs),
// each body parsed as JSON (an empty one read and dropped). The limit for Node, operation by operation.
import { Pool } from "undici"
import { config, operations, runOperations } from "./operations.mjs"

const pool = new Pool(config.url)
const withBody = { "content-type": "application/json", accept: "application/json", api_access_token: config.token }
const withoutBody = { accept: "application/json", api_access_token: config.token }
// The bodies that do not depend on the request are serialized once, as a caller holding them would.
const fixed = new Map(
  operations.filter((operation) => operation.body !== undefined && operation.body.length === 0)
    .map((operation) => [operation.name, JSON.stringify(operation.body())])
)

await runOperations({
  one: async (operation, i) => {
    const body = operation.body === undefined
      ? undefined
      : fixed.get(operation.name) ?? JSON.stringify(operation.body(i))
    const response = await pool.request({
      method: operation.method,
      path: operation.path(i),
      headers: body === undefined ? withoutBody : withBody,
      ...(body === undefined ? {} : { body })
    })
    const text = await response.body.text()
    if (response.statusCode !== 200) throw new Error(`${operation.name} ${i}: status ${response.statusCode}`)
    operation.check(text === "" ? undefined : JSON.parse(text), i)
  },
  close: () => pool.close()
})
