/**
 * The account as Chatwoot's Platform API sends it (PLATFORM.md §3.1).
 *
 * @since 1.0.0
 */
import * as Schema from "effect/Schema"
import { JsonObject } from "./User.js"

/**
 * A Chatwoot account id: a positive integer.
 *
 * @since 1.0.0
 * @category Schemas
 */
export const AccountId = Schema.Int.check(Schema.isGreaterThan(0)).pipe(Schema.brand("@chatwoot-effect/core/AccountId"))

/**
 * @since 1.0.0
 * @category Models
 */
export type AccountId = typeof AccountId.Type

/**
 * An account's feature flags, by name. Chatwoot renders only the enabled ones, each `true`, in `features.yml` order.
 *
 * @since 1.0.0
 * @category Schemas
 */
export const Features = Schema.Record(Schema.String, Schema.Boolean).annotate({
  identifier: "Features"
})

/**
 * @since 1.0.0
 * @category Models
 */
export type Features = typeof Features.Type

/**
 * A Chatwoot account (`_account.json.jbuilder`). Fields are declared in the server's key order and keep its `null`s,
 * so encoding a decoded answer gives Chatwoot's JSON back; `custom_attributes` and `limits` pass through as they
 * came (their own key order included).
 *
 * The published spec's `platform_account` is only `{id, name}`, so every other key is optional. Values are not
 * checked against Chatwoot's vocabularies: the server is the authority on what it stores (`locale` may be any
 * string, `status` `null`). `support_email` falls back to the installation's sender, which may carry a display name
 * (`"Chatwoot <accounts@chatwoot.com>"`). Unknown keys are dropped.
 *
 * @since 1.0.0
 * @category Schemas
 */
export class Account extends Schema.Class<Account>("@chatwoot-effect/core/Account")({
  id: AccountId,
  name: Schema.String,
  locale: Schema.optional(Schema.NullOr(Schema.String)),
  domain: Schema.optional(Schema.NullOr(Schema.String)),
  support_email: Schema.optional(Schema.NullOr(Schema.String)),
  features: Schema.optional(Features),
  custom_attributes: Schema.optional(JsonObject),
  limits: Schema.optional(JsonObject),
  status: Schema.optional(Schema.NullOr(Schema.String))
}) {}
