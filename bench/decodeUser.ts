// How long a Chatwoot user answer takes to decode: `JSON.parse` then the live client's decoder (the compiled path,
// Schema as its fallback), against Schema's own decoder. Three answers: the bench server's, one with the nulls
// Chatwoot sends (display_name, message_signature, an account's active_at) and a fresh user (account_id and role
// null, no accounts). It fails when the compiled path does not accept one of them (it would fall back on every call).
// Usage: npx tsx bench/decodeUser.ts [iterations]   (default 200000; the median of 5 rounds, µs of
// CPU per decode: CPU time, so that other processes on the machine count less than in wall-clock time)
import * as PlatformUsersWire from "@chatwoot-effect/core/PlatformUsersWire"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as CompiledSchema from "../packages/http/src/internal/compiledSchema.js"
// @ts-expect-error: plain JavaScript
import { userJson as benchJson } from "./user.mjs"

const iterations = Number(process.argv[2] ?? 200_000)
const schema = PlatformUsersWire.responseBodies.update

// The bench server's answer, and two variants of it in the same key order.
const bench = JSON.parse(benchJson)
const withNulls = JSON.stringify({
  ...bench,
  display_name: null,
  accounts: [{ ...bench.accounts[0], active_at: null }]
})
const { custom_attributes: _customAttributes, ...withoutAttributes } = bench
const fresh = JSON.stringify({
  ...withoutAttributes,
  account_id: null,
  display_name: null,
  role: null,
  ui_settings: {},
  accounts: []
})

const answers: ReadonlyArray<readonly [string, string]> = [
  ["bench answer", benchJson],
  ["nulls", withNulls],
  ["fresh user", fresh]
]

const fast = CompiledSchema.compile(schema, { errors: "all" })
if (fast === undefined) throw new Error("the User schema is not compiled")
for (const [name, text] of answers) {
  if (fast(JSON.parse(text)) === undefined) throw new Error(`the compiled path rejects the ${name}: it falls back`)
}

const decoders = {
  compiled: CompiledSchema.decodeUnknownEither(schema, { errors: "all" }),
  schema: Schema.decodeUnknownEither(schema, { errors: "all" })
}

let sink = 0
const time = (decode: (input: unknown) => Either.Either<unknown, unknown>, text: string) => {
  const rounds: Array<number> = []
  for (let round = 0; round < 5; round++) {
    const start = process.cpuUsage()
    for (let i = 0; i < iterations; i++) {
      const result = decode(JSON.parse(text))
      if (Either.isRight(result)) sink++
    }
    const used = process.cpuUsage(start)
    rounds.push((used.user + used.system) / iterations)
  }
  rounds.sort((a, b) => a - b)
  return rounds[2]!
}

for (const [name, text] of answers) {
  const figures = Object.entries(decoders).map(([kind, decode]) => `${kind} ${time(decode, text).toFixed(2)} µs`)
  console.log(`${name.padEnd(12)} ${figures.join("  ")}`)
}
if (sink !== answers.length * 2 * 5 * iterations) throw new Error("a decode failed")
