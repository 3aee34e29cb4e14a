/**
 * Chatwoot's own rules and vocabularies for accounts, account users and agent bots (PLATFORM.md §3.2, §3.3, §4, §5.5), shared by the client-side validation,
 * the in-memory server and the emulator.
 *
 * @since 0.2.0
 */

/**
 * The 39 enabled locale codes (`config/initializers/languages.rb`), in that file's order. Any other value, `pt-BR`
 * included, is a 500 from Chatwoot.
 *
 * @since 0.2.0
 * @category Constants
 */
export const locales = [
  "en",
  "ar",
  "nl",
  "fr",
  "de",
  "it",
  "ja",
  "ko",
  "pt",
  "ru",
  "es",
  "ml",
  "ca",
  "el",
  "pt_BR",
  "ro",
  "ta",
  "fa",
  "zh_TW",
  "vi",
  "da",
  "tr",
  "cs",
  "fi",
  "id",
  "sv",
  "hu",
  "no",
  "zh_CN",
  "pl",
  "sk",
  "uk",
  "th",
  "lv",
  "is",
  "he",
  "lt",
  "sr",
  "bg"
] as const

/**
 * @since 0.2.0
 * @category Models
 */
export type Locale = typeof locales[number]

/**
 * The account statuses (an enum without `validate:`: anything else is a 500).
 *
 * @since 0.2.0
 * @category Constants
 */
export const statuses = ["active", "suspended"] as const

/**
 * @since 0.2.0
 * @category Models
 */
export type AccountStatus = typeof statuses[number]

/**
 * The 59 feature flags of `config/features.yml`, in that file's order (the order `features` is rendered in), each with
 * whether it is on by default (`ACCOUNT_LEVEL_FEATURE_DEFAULTS` as seeded: 26 are).
 *
 * @since 0.2.0
 * @category Constants
 */
export const featureDefaults: ReadonlyArray<readonly [name: string, enabledByDefault: boolean]> = [
  ["inbound_emails", true],
  ["channel_email", true],
  ["channel_facebook", true],
  ["channel_twitter", true],
  ["ip_lookup", false],
  ["disable_branding", false],
  ["email_continuity_on_api_channel", false],
  ["help_center", true],
  ["agent_bots", true],
  ["macros", true],
  ["agent_management", true],
  ["team_management", true],
  ["inbox_management", true],
  ["labels", true],
  ["custom_attributes", true],
  ["automations", true],
  ["canned_responses", true],
  ["integrations", true],
  ["voice_recorder", true],
  ["mobile_v2", false],
  ["channel_website", true],
  ["campaigns", true],
  ["reports", true],
  ["crm", true],
  ["auto_resolve_conversations", true],
  ["custom_reply_email", false],
  ["custom_reply_domain", false],
  ["audit_logs", false],
  ["response_bot", false],
  ["message_reply_to", false],
  ["insert_article_in_reply", false],
  ["inbox_view", false],
  ["sla", false],
  ["help_center_embedding_search", false],
  ["linear_integration", false],
  ["captain_integration", false],
  ["custom_roles", false],
  ["chatwoot_v4", true],
  ["report_v4", true],
  ["contact_chatwoot_support_team", true],
  ["shopify_integration", false],
  ["search_with_gin", false],
  ["channel_instagram", true],
  ["crm_integration", false],
  ["channel_voice", false],
  ["notion_integration", false],
  ["captain_integration_v2", false],
  ["whatsapp_embedded_signup", false],
  ["whatsapp_campaign", false],
  ["crm_v2", false],
  ["assignment_v2", false],
  ["twilio_content_templates", false],
  ["advanced_search", false],
  ["saml", false],
  ["advanced_search_indexing", false],
  ["reply_mailer_migration", false],
  ["quoted_email_reply", false],
  ["companies", false],
  ["channel_tiktok", true]
]

/**
 * The feature names, in `config/features.yml` order.
 *
 * @since 0.2.0
 * @category Constants
 */
export const features: ReadonlyArray<string> = featureDefaults.map(([name]) => name)

/**
 * The flags on by default in a new account (the 26 `enabled: true` of `features.yml`), in file order.
 *
 * @since 0.2.0
 * @category Constants
 */
export const defaultFeatures: ReadonlyArray<string> = featureDefaults.flatMap(([name, on]) => on ? [name] : [])

/**
 * Whether a name is one of the 59 feature flags. Any other key in `features` is a 500 from Chatwoot (`flags` hits
 * the bitmask column instead, which this SDK never sends).
 *
 * @since 0.2.0
 * @category Guards
 */
export const isFeature = (name: string): boolean => featureSet.has(name)
const featureSet = new Set(features)

/**
 * The premium flags (`enterprise/config/premium_features.yml`), switched off again daily on a `community` plan.
 *
 * @since 0.2.0
 * @category Constants
 */
export const premiumFeatures = [
  "disable_branding",
  "audit_logs",
  "response_bot",
  "sla",
  "captain_integration",
  "custom_roles"
] as const

/**
 * The keys `limits` accepts in EE mode (`validate_limit_keys`).
 *
 * @since 0.2.0
 * @category Constants
 */
export const limitKeys = ["inboxes", "agents", "captain_responses", "captain_documents"] as const

/**
 * @since 0.2.0
 * @category Models
 */
export type LimitKey = typeof limitKeys[number]

/**
 * The length limits: `name` and `support_email` get the 255 of the generic check, `domain` its own 100; the
 * `support_email` column is `varchar(100)`, so 101 to 255 characters pass validation and then fail with a 500.
 *
 * @since 0.2.0
 * @category Constants
 */
export const maxLengths = {
  name: 255,
  domain: 100,
  supportEmailValidation: 255,
  supportEmailColumn: 100
} as const

/**
 * The agent bot length limits (PLATFORM.md §5.5), and the avatar's (15 MB; jpeg, png or gif).
 *
 * @since 0.2.0
 * @category Constants
 */
export const botLimits = {
  name: 255,
  description: 255,
  outgoingUrl: 2048,
  avatarBytes: 15 * 1024 * 1024
} as const

/**
 * Account-user roles (an enum without `validate:`: anything else is a 500).
 *
 * @since 0.2.0
 * @category Constants
 */
export const roles = ["agent", "administrator"] as const

/**
 * @since 0.2.0
 * @category Models
 */
export type Role = typeof roles[number]

const localeSet: ReadonlySet<string> = new Set(locales)
const statusSet: ReadonlySet<string> = new Set(statuses)
const limitKeySet: ReadonlySet<string> = new Set(limitKeys)
const roleSet: ReadonlySet<string> = new Set(roles)

/**
 * Whether a value is one of the 39 enabled locale codes (`pt_BR`, never `pt-BR`).
 *
 * @since 0.2.0
 * @category Guards
 */
export const isLocale = (value: unknown): value is Locale => typeof value === "string" && localeSet.has(value)

/**
 * Whether a value is `"active"` or `"suspended"`.
 *
 * @since 0.2.0
 * @category Guards
 */
export const isAccountStatus = (value: unknown): value is AccountStatus =>
  typeof value === "string" && statusSet.has(value)

/**
 * Whether a value is one of the four `limits` keys.
 *
 * @since 0.2.0
 * @category Guards
 */
export const isLimitKey = (value: unknown): value is LimitKey => typeof value === "string" && limitKeySet.has(value)

/**
 * Whether a value is `"agent"` or `"administrator"`.
 *
 * @since 0.2.0
 * @category Guards
 */
export const isRole = (value: unknown): value is Role => typeof value === "string" && roleSet.has(value)
