/**
 * The emulator under concurrent load: many fibers update the same and different users at once, each request adding
 * its own custom attribute and setting a name; some are refused (422, email taken). No update is lost or applied
 * twice, refused ones leave no trace, and the answers show the updates applied one at a time (each answer is the
 * previous one plus its own change), in-process and over a loopback socket.
 */
import * as PlatformUsers from "@chatwoot-effect/core/PlatformUsers"
import * as PlatformUsersMemory from "@chatwoot-effect/core/PlatformUsersMemory"
import type { User } from "@chatwoot-effect/core/User"
import * as UserModule from "@chatwoot-effect/core/User"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as PlatformUsersEmulator from "../src/PlatformUsersEmulator.js"
import * as PlatformUsersHttp from "../src/PlatformUsersHttp.js"

const token = "load-platform-token"
const userIds = [1, 2, 3, 4, 5]

const seed = Either.getOrThrow(PlatformUsersMemory.decodeSeed({
  apps: [{ name: "ours", token }],
  users: userIds.map((id) => ({
    id,
    name: `User ${id}`,
    email: `user${id}@acme.inc`,
    custom_attributes: { seeded: id },
    apps: ["ours"]
  }))
}))

interface Sent {
  readonly request: number
  readonly userId: number
  /** Refused by the emulator: the email belongs to another user. */
  readonly refused: boolean
}

/** Half the requests go to user 1 (contention), the rest spread over 2..5; every 10th tries a taken email. */
const plan = (request: number): Sent => ({
  request,
  userId: request % 2 === 0 ? 1 : 2 + (request % 4),
  refused: request % 10 === 3
})

const key = (request: number) => `k${request}`

/** Runs `total` updates from `fibers` fibers sharing one counter; returns every answer. */
const hammer = (total: number, fibers: number) =>
  Effect.gen(function*() {
    const users = yield* PlatformUsers.PlatformUsers
    let next = 0
    const answers: Array<{ readonly sent: Sent; readonly answer: Either.Either<User, { readonly _tag: string }> }> = []
    const worker = Effect.gen(function*() {
      // Bounded: each worker takes requests until the shared counter reaches `total`.
      for (let taken = 0; taken < total; taken++) {
        const request = next++
        if (request >= total) return
        const sent = plan(request)
        const answer = yield* Effect.either(users.update(UserModule.UserId.make(sent.userId), {
          name: `name ${request}`,
          custom_attributes: { [key(request)]: request },
          ...(sent.refused ? { email: `user${sent.userId === 1 ? 2 : 1}@acme.inc` } : {})
        }))
        answers.push({ sent, answer })
      }
    })
    yield* Effect.all(Array.from({ length: fibers }, () => worker), { concurrency: "unbounded" })
    return answers
  })

/** Checks the answers against the emulator's final state. */
const check = (
  answers: ReadonlyArray<{ readonly sent: Sent; readonly answer: Either.Either<User, { readonly _tag: string }> }>,
  total: number,
  memory: PlatformUsersMemory.Handle
) =>
  Effect.gen(function*() {
    assert.strictEqual(answers.length, total)
    assert.deepStrictEqual(
      answers.map(({ sent }) => sent.request).sort((a, b) => a - b),
      Array.from({ length: total }, (_, i) => i)
    )
    for (const { answer, sent } of answers) {
      if (sent.refused) assert.isTrue(Either.isLeft(answer) && answer.left._tag === "Validation", `${sent.request}`)
      else assert.isTrue(Either.isRight(answer), `request ${sent.request}: ${String(Either.getLeft(answer))}`)
    }
    for (const userId of userIds) {
      const applied = answers.filter(({ answer, sent }) => sent.userId === userId && Either.isRight(answer))
        .map(({ answer, sent }) => ({ sent, user: Either.getOrThrow(answer) }))
      const final = Option.getOrThrow(yield* memory.user(userId))
      // No lost update, nothing refused left a trace: the final attributes are the seed plus each applied request.
      const expected: Record<string, unknown> = { seeded: userId }
      for (const { sent } of applied) expected[key(sent.request)] = sent.request
      assert.deepStrictEqual(final.custom_attributes, expected, `user ${userId}`)
      assert.strictEqual(final.email, `user${userId}@acme.inc`)
      // One at a time: ordered by size, the answers' attributes grow by exactly their own key, each answer carries
      // its own name, and the last one applied holds the final name.
      const ordered = [...applied].sort((a, b) =>
        Object.keys(a.user.custom_attributes ?? {}).length - Object.keys(b.user.custom_attributes ?? {}).length
      )
      let previous: Record<string, unknown> = { seeded: userId }
      for (const { sent, user } of ordered) {
        assert.deepStrictEqual(user.custom_attributes, { ...previous, [key(sent.request)]: sent.request })
        assert.strictEqual(user.name, `name ${sent.request}`)
        previous = user.custom_attributes as Record<string, unknown>
      }
      if (ordered.length > 0) assert.strictEqual(final.name, ordered.at(-1)!.user.name)
    }
  })

const client = { baseUrl: "http://chatwoot.test", apiAccessToken: Redacted.make(token), retry: false as const }

describe("the emulator under concurrent load", () => {
  it.scoped("in process: 16 fibers, 1000 updates of the same and different users; no lost or doubled update", () =>
    Effect.gen(function*() {
      const emulator = yield* PlatformUsersEmulator.make({ seed })
      const answers = yield* hammer(1000, 16).pipe(
        Effect.provide(
          PlatformUsersHttp.layerWithHttpClient(client).pipe(
            Layer.provide(PlatformUsersEmulator.layerHttpClient(emulator))
          )
        )
      )
      yield* check(answers, 1000, emulator.memory)
    }))

  it.scopedLive("over a loopback socket: 16 fibers, 400 updates; no lost or doubled update", () =>
    Effect.gen(function*() {
      const { emulator, url } = yield* PlatformUsersEmulator.serve({ port: 0, seed })
      const answers = yield* hammer(400, 16).pipe(
        Effect.provide(
          PlatformUsersHttp.layerWithHttpClient({ ...client, baseUrl: url, timeout: "20 seconds" }).pipe(
            Layer.provide(NodeHttpClient.layerUndici)
          )
        )
      )
      yield* check(answers, 400, emulator.memory)
    }))
})
