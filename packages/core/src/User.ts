/**
 * The user as Chatwoot's Platform API sends it, and the small response shapes around it.
 *
 * @since 0.1.0
 */
import { isJsonObject } from "@chatwoot-effect/contract/Json"
import * as Schema from "effect/Schema"

/**
 * A Chatwoot user id: a positive integer.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const UserId = Schema.Int.pipe(Schema.positive(), Schema.brand("@chatwoot-effect/core/UserId"))

/**
 * @since 0.1.0
 * @category Models
 */
export type UserId = typeof UserId.Type

/**
 * A JSON object (never an array or a scalar) of any depth, passed through as is: `Schema.Record` would rebuild it by
 * assignment, which turns a `"__proto__"` key (valid JSON, storable in Chatwoot's jsonb) into the prototype.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const JsonObject: Schema.Schema<{ readonly [x: string]: unknown }> = Schema.declare(
  isJsonObject,
  {
    identifier: "JsonObject",
    description: "a JSON object (not an array) holding only JSON values",
    arbitrary: () => (fc) => fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
    pretty: () => (value) => JSON.stringify(value)
  }
)

/**
 * `custom_attributes`: a JSON object (never an array or a scalar), of any depth.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const CustomAttributes: Schema.Schema<{ readonly [x: string]: unknown }> = JsonObject.annotations({
  identifier: "CustomAttributes"
})

/**
 * @since 0.1.0
 * @category Models
 */
export type CustomAttributes = typeof CustomAttributes.Type

/**
 * One account membership of a user. Chatwoot sends `id`, `name`, `active_at` (`null` until the user was active in the
 * account) and `role`, in this order; the published spec lists more fields, which are accepted and dropped.
 *
 * @since 0.1.0
 * @category Schemas
 */
export class AccountMembership extends Schema.Class<AccountMembership>("@chatwoot-effect/core/AccountMembership")({
  id: Schema.Int,
  name: Schema.String,
  active_at: Schema.optional(Schema.NullOr(Schema.String)),
  role: Schema.optional(Schema.NullOr(Schema.String))
}) {}

/**
 * A Chatwoot user, as the Platform API renders it (`_user.json.jbuilder`). Fields are declared in the server's key
 * order and keep Chatwoot's `null`s (`account_id` and `role` for a user without accounts, `display_name`,
 * `message_signature`), so that encoding a decoded answer gives Chatwoot's JSON back, key order included;
 * `custom_attributes` is absent when empty, as Chatwoot leaves it out. A response shaped like the published OpenAPI
 * (fields missing, `hmac_identifier`, `type`, richer account items) decodes too: fields this schema does not know are
 * dropped, so they are not in the encoded value either.
 *
 * @since 0.1.0
 * @category Schemas
 */
export class User extends Schema.Class<User>("@chatwoot-effect/core/User")({
  access_token: Schema.optional(Schema.String),
  account_id: Schema.optional(Schema.NullOr(Schema.Int)),
  available_name: Schema.optional(Schema.String),
  avatar_url: Schema.optional(Schema.String),
  confirmed: Schema.optional(Schema.Boolean),
  display_name: Schema.optional(Schema.NullOr(Schema.String)),
  message_signature: Schema.optional(Schema.NullOr(Schema.String)),
  email: Schema.String,
  id: UserId,
  name: Schema.String,
  provider: Schema.optional(Schema.String),
  pubsub_token: Schema.optional(Schema.String),
  custom_attributes: Schema.optional(CustomAttributes),
  role: Schema.optional(Schema.NullOr(Schema.String)),
  ui_settings: Schema.optional(JsonObject),
  uid: Schema.optional(Schema.String),
  accounts: Schema.optionalWith(Schema.Array(AccountMembership), { default: () => [] })
}) {}

/**
 * The answer of `GET /users/{id}/login`: a one-time SSO login link.
 *
 * @since 0.1.0
 * @category Schemas
 */
export class SsoLink extends Schema.Class<SsoLink>("@chatwoot-effect/core/SsoLink")({
  url: Schema.String
}) {}

/**
 * The user summary inside a {@link UserToken}, in Chatwoot's key order; `display_name` may be `null`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export class UserTokenOwner extends Schema.Class<UserTokenOwner>("@chatwoot-effect/core/UserTokenOwner")({
  id: UserId,
  name: Schema.String,
  display_name: Schema.optional(Schema.NullOr(Schema.String)),
  email: Schema.String,
  pubsub_token: Schema.optional(Schema.String)
}) {}

/**
 * The answer of `POST /users/{id}/token` (real, but missing from the published spec). The access token is held as
 * `Redacted` so it does not end up in logs by accident.
 *
 * @since 0.1.0
 * @category Schemas
 */
export class UserToken extends Schema.Class<UserToken>("@chatwoot-effect/core/UserToken")({
  access_token: Schema.Redacted(Schema.String),
  expiry: Schema.NullOr(Schema.Unknown),
  user: UserTokenOwner
}) {}
