// @figuro/chatwoot-sdk 1.1.17: the existing axios-based Chatwoot SDK (node:http, the global keep-alive agent).
import ChatwootClientModule from "@figuro/chatwoot-sdk"
import { checkUser, config, payload, run, userId } from "./harness.mjs"

const ChatwootClient = ChatwootClientModule.default ?? ChatwootClientModule
const client = new ChatwootClient({ config: { basePath: config.url, token: config.token } })

await run({
  one: async (i) => {
    const user = await client.platform.users.update({ id: userId(i), data: payload })
    checkUser(user, i)
  }
})
