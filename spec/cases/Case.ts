/**
 * The shape of a shared behaviour case: plain data, no Effect. Each edition's harness turns a case into calls on its
 * own typed services (decoding the arguments with its own Schemas) and compares the encoded results and errors with
 * {@link import("./match.js").mismatches}. See README.md.
 */

/** A JSON value. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** Matches any string satisfying the regular expression (for server-chosen values: tokens, timestamps, ids). */
export interface Matches {
  readonly $matches: string
}

/** An expected JSON value: JSON, where any value may be a {@link Matches}. */
export type Expected =
  | null
  | boolean
  | number
  | string
  | Matches
  | ReadonlyArray<Expected>
  | { readonly [key: string]: Expected }

/** The services of both editions, by the name of their module without the `Platform` prefix. */
export type Service = "users" | "accounts" | "accountUsers" | "agentBots"

/** Every method a case may call, with its plain arguments (ids as numbers, payloads as their encoded JSON). */
export type Operation =
  | { readonly service: "users"; readonly method: "create"; readonly args: readonly [payload: Json] }
  | {
    readonly service: "users"
    readonly method: "get" | "delete" | "loginUrl" | "token"
    readonly args: readonly [id: number]
  }
  | { readonly service: "users"; readonly method: "update"; readonly args: readonly [id: number, payload: Json] }
  | { readonly service: "accounts" | "agentBots"; readonly method: "list"; readonly args: readonly [] }
  | { readonly service: "accounts" | "agentBots"; readonly method: "create"; readonly args: readonly [payload: Json] }
  | {
    readonly service: "accounts" | "agentBots"
    readonly method: "get" | "delete"
    readonly args: readonly [id: number]
  }
  | {
    readonly service: "accounts" | "agentBots"
    readonly method: "update"
    readonly args: readonly [id: number, payload: Json]
  }
  | { readonly service: "agentBots"; readonly method: "deleteAvatar"; readonly args: readonly [id: number] }
  | { readonly service: "accountUsers"; readonly method: "list"; readonly args: readonly [accountId: number] }
  | {
    readonly service: "accountUsers"
    readonly method: "add"
    readonly args: readonly [accountId: number, payload: Json]
  }
  | {
    readonly service: "accountUsers"
    readonly method: "remove"
    readonly args: readonly [accountId: number, userId: number]
  }

/**
 * What a call gives: `succeeds` with the encoded success (`null` for methods giving nothing), compared key order
 * included; or `fails` with the encoded error (`_tag` and every field, key order not compared) and its exact message.
 */
export type Outcome =
  | { readonly succeeds: Expected }
  | {
    readonly fails: {
      readonly error: { readonly _tag: string; readonly [field: string]: Expected }
      readonly message: string | Matches
    }
  }

/** One call and what it must give. */
export interface Step {
  readonly call: Operation
  /** The platform token to call with; the case's `token` when absent. */
  readonly as?: string
  /**
   * `true`: pass `args` as they are, without the edition's Schema decode (payloads a typed caller cannot write, as a
   * JavaScript caller or decoded input can). The client-side checks must still reject them.
   */
  readonly raw?: true
  /** `true`: the server's whole state (apps, users, accounts, memberships, bots, pending deletes) is as before. */
  readonly unchanged?: true
  /** How many requests the call sends (0: refused before sending); checked by harnesses with a socket. */
  readonly sent?: number
  readonly expect: Outcome
}

/** The server's settings (`PlatformUsersMemory.Options` / `PlatformUsersEmulator.serve` options). */
export interface ServerOptions {
  readonly defaultFeatures?: ReadonlyArray<string>
  readonly supportEmailFallback?: string | null
  readonly eeMode?: boolean
  readonly accountDelete?: "immediate" | "deferred"
  readonly frontendUrl?: string
}

/** A behaviour case: a fresh server from `seed` (docs/seed.md) and `server`, then `steps` in order. */
export interface Case {
  readonly name: string
  /** Where the behaviour is specified (docs/BEHAVIOUR.md, docs/PLATFORM.md, Chatwoot's request specs). */
  readonly source: string
  readonly seed: Json
  readonly server?: ServerOptions
  /** The platform token the steps call with. */
  readonly token: string
  readonly steps: ReadonlyArray<Step>
}
