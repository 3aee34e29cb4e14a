// Node's global fetch (undici inside, its global dispatcher).
import { checkUser, config, path, payloadJson, run } from "./harness.mjs"

const headers = {
  "content-type": "application/json",
  accept: "application/json",
  api_access_token: config.token
}

await run({
  one: async (i) => {
    const response = await fetch(config.url + path(i), { method: "PATCH", headers, body: payloadJson })
    const user = await response.json()
    if (response.status !== 200) throw new Error(`request ${i}: status ${response.status}`)
    checkUser(user, i)
  }
})
