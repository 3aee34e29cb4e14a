/**
 * The `PlatformUsers` service: Chatwoot's Platform API users resource as typed Effects. Implemented over HTTP by
 * `@chatwoot-effect/http` and in memory by `PlatformUsersMemory`.
 *
 * @since 1.0.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type { CreateError, MemberError, UpdateError } from "./PlatformUsersError.js"
import type { SsoLink, User, UserId, UserToken } from "./User.js"
import type { CreateUserPayload, UpdateUserPayload } from "./UserPayload.js"

/**
 * @since 1.0.0
 * @category Models
 */
export interface Service {
  /**
   * `POST /users`: find-or-create by email. An existing user comes back unchanged (name and password are ignored)
   * and this platform app gains permission on it.
   */
  readonly create: (payload: CreateUserPayload) => Effect.Effect<User, CreateError>
  /** `GET /users/{id}`. */
  readonly get: (id: UserId) => Effect.Effect<User, MemberError>
  /**
   * `PATCH /users/{id}`: sets the fields sent; `custom_attributes` is shallow-merged (incoming keys win), an email
   * change applies at once, a password change rotates the user's `pubsub_token`.
   */
  readonly update: (id: UserId, payload: UpdateUserPayload) => Effect.Effect<User, UpdateError>
  /** `DELETE /users/{id}`: Chatwoot deletes asynchronously. */
  readonly delete: (id: UserId) => Effect.Effect<void, MemberError>
  /** `GET /users/{id}/login`: a new single-use SSO login link (valid 5 minutes). */
  readonly loginUrl: (id: UserId) => Effect.Effect<SsoLink, MemberError>
  /** `POST /users/{id}/token`: the user's own API access token. */
  readonly token: (id: UserId) => Effect.Effect<UserToken, MemberError>
}

/**
 * @since 1.0.0
 * @category Context
 */
export class PlatformUsers extends Context.Service<PlatformUsers, Service>()("@chatwoot-effect/core/PlatformUsers") {}
