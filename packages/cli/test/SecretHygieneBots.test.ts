/**
 * Secret hygiene of the agent-bots commands: a bot's access token (its own Application-API key) never shows in text
 * output without `--show-token`, nor in error text, nor in logs or spans, whichever command and outcome; `--json`
 * and `--show-token` print it on stdout, by design, and nowhere else. Run as the bundled binary with
 * `--log-level all` and in process under a recorder, against the emulator seeded with bots of known tokens; the
 * tokens of the bots the runs create are read from the emulator afterwards.
 */
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import * as PlatformUsersEmulator from "@chatwoot-effect/http/PlatformUsersEmulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Harvest from "./utils/harvest.js"
import * as Runs from "./utils/harvestCli.js"

const BOT_TOKEN = "BotHarvestT0kenQwErTy123"
const OTHER_BOT_TOKEN = "OtherBotHarvestT0kenZx98"

// Bot 1 and account 1 are the harvest app's; bot 2 is the other app's (401 Non permissible resource).
const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "harvest", token: Harvest.TOKEN }, { name: "other", token: Harvest.OTHER_TOKEN }],
  accounts: [{ id: 1, name: "Acme", apps: ["harvest"] }],
  agent_bots: [
    { id: 1, name: "Helper", account_id: 1, access_token: BOT_TOKEN, apps: ["harvest"] },
    { id: 2, name: "Theirs", access_token: OTHER_BOT_TOKEN, apps: ["other"] }
  ]
}))

/** The tokens of every bot the harvest app sees, with plain fetch. */
const botTokens = (url: string) =>
  Effect.promise(async () => {
    const response = await fetch(`${url}/platform/api/v1/agent_bots`, {
      headers: { "api-access-token": Harvest.TOKEN }
    })
    const bots = (await response.json()) as ReadonlyArray<{ readonly access_token: string }>
    return bots.map((bot) => bot.access_token)
  })

interface BotRun extends Runs.Run {
  /** `--json` or `--show-token`: stdout holds the token by design, everything else must not. */
  readonly printsToken?: boolean
}

const runs = (url: string): ReadonlyArray<BotRun> => {
  const env = { CHATWOOT_URL: url, CHATWOOT_PLATFORM_TOKEN: Harvest.TOKEN }
  const run = (label: string, args: ReadonlyArray<string>, code: number, extra: Partial<BotRun> = {}): BotRun => ({
    label,
    args: ["agent-bots", ...args],
    env,
    code,
    ...extra
  })
  return [
    run("get", ["get", "1"], 0),
    run("list", ["list"], 0),
    run("create", ["create", "--name", "New", "--account", "1"], 0),
    run("create, a system bot", ["create", "--name", "Everywhere"], 0),
    run("update", ["update", "1", "--description", "Sorts tickets"], 0),
    run("delete-avatar", ["delete-avatar", "1"], 0),
    run("update, a bad avatar URL", ["update", "1", "--avatar-url", "ftp://cdn.example.com/a.png"], 3),
    run("get, another app's bot", ["get", "2"], 5),
    run("update, another app's bot", ["update", "2", "--name", "Mine"], 5),
    run("get, no such bot", ["get", "999"], 6),
    run("get, a rejected platform token", ["get", "1"], 4, {
      env: { CHATWOOT_URL: url, CHATWOOT_PLATFORM_TOKEN: Harvest.WRONG_TOKEN }
    }),
    run("get --show-token, another app's bot", ["get", "2", "--show-token"], 5),
    run("get --json", ["--json", "get", "1"], 0, { printsToken: true }),
    run("list --json", ["list", "--json"], 0, { printsToken: true }),
    run("get --show-token", ["get", "1", "--show-token"], 0, { printsToken: true })
  ]
}

const secretsOf = (tokens: ReadonlyArray<string>): ReadonlyArray<Harvest.Secret> => [
  ...Harvest.secrets,
  ...tokens.map((value, i) => ({ label: `bot token ${i}`, value }))
]

/** What a run may show: its stderr always; its stdout unless printing the token is the point of the run. */
const harvested = (run: BotRun, finished: Runs.Finished): Array<Harvest.Item> =>
  Runs.items(run.label, finished).filter((item) => !(run.printsToken === true && item.source.endsWith("stdout")))

const check = (items: ReadonlyArray<Harvest.Item>, tokens: ReadonlyArray<string>, minimum: number) => {
  assert.isAtLeast(items.length, minimum, "harvested too little")
  const leaks = Harvest.findLeaks(items, secretsOf(tokens))
  assert.deepStrictEqual(leaks, [], `secrets leaked:\n${leaks.map((leak) => JSON.stringify(leak)).join("\n")}`)
}

const emulator = PlatformUsersEmulator.serve({ host: "127.0.0.1", port: 0, seed }).pipe(Effect.orDie)

describe("Secret hygiene: agent bots' access tokens", () => {
  it.scopedLive(
    "the binary at --log-level all: no bot token outside --json and --show-token stdout",
    () =>
      Effect.gen(function*() {
        const { url } = yield* emulator
        const items: Array<Harvest.Item> = []
        let shown = ""
        for (const run of runs(url)) {
          const finished = yield* Runs.runBinary(run)
          assert.strictEqual(finished.code, run.code, `${run.label}: ${finished.stderr}`)
          if (run.printsToken === true) shown += finished.stdout
          items.push(...harvested(run, finished))
        }
        const tokens = yield* botTokens(url)
        assert.strictEqual(tokens.length, 3, "bot 1 and the two created")
        // The runs that print the token do print it: the check below is not vacuous.
        assert.include(shown, BOT_TOKEN)
        check(items, [...tokens, OTHER_BOT_TOKEN], 25)
      }),
    120_000
  )

  it.scopedLive(
    "in process: console, logs (LogLevel.All) and spans hold no bot token, --json runs included",
    () =>
      Effect.gen(function*() {
        const { url } = yield* emulator
        const recorder = yield* Harvest.makeRecorder
        const items: Array<Harvest.Item> = []
        for (const run of runs(url)) {
          const finished = yield* Runs.runInProcess(recorder, run)
          assert.strictEqual(finished.code, run.code, `${run.label}: ${finished.stderr}`)
          items.push(...harvested(run, finished))
        }
        const tokens = yield* botTokens(url)
        assert.isAbove(recorder.spans.filter((span) => span.name.startsWith("PlatformAgentBots.")).length, 10)
        check([...items, ...recorder.items()], [...tokens, OTHER_BOT_TOKEN], 100)
      }),
    120_000
  )
})
