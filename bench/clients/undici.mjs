// Raw undici: one keep-alive Pool, `Pool.request`, the body parsed as JSON. The limit for Node.
import { Pool } from "undici"
import { checkUser, config, path, payloadJson, run } from "./harness.mjs"

const pool = new Pool(config.url)
const headers = {
  "content-type": "application/json",
  accept: "application/json",
  api_access_token: config.token
}

await run({
  one: async (i) => {
    const { body, statusCode } = await pool.request({ method: "PATCH", path: path(i), headers, body: payloadJson })
    const user = await body.json()
    if (statusCode !== 200) throw new Error(`request ${i}: status ${statusCode}`)
    checkUser(user, i)
  },
  close: () => pool.close()
})
