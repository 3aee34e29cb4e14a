// The bench's accounts, account users and agent bots: fixed bodies in Chatwoot's exact shape (docs/PLATFORM.md), shared
// by the server and the operations clients' checks.

/** Items in every list answer (`GET /accounts`, `GET /accounts/{id}/account_users`, `GET /agent_bots`). */
export const listLength = 10

// The 26 flags `features.yml` enables by default, in its order (PLATFORM.md §3.3): what a new account shows.
const defaultFeatures = [
  "inbound_emails",
  "channel_email",
  "channel_facebook",
  "channel_twitter",
  "help_center",
  "agent_bots",
  "macros",
  "agent_management",
  "team_management",
  "inbox_management",
  "labels",
  "custom_attributes",
  "automations",
  "canned_responses",
  "integrations",
  "voice_recorder",
  "channel_website",
  "campaigns",
  "reports",
  "crm",
  "auto_resolve_conversations",
  "chatwoot_v4",
  "report_v4",
  "contact_chatwoot_support_team",
  "channel_instagram",
  "channel_tiktok"
]

// The 9 keys of `_account.json.jbuilder` in its order (§3.1): the default flags, hashes in jsonb order (shorter keys
// first), the installation's sender as support_email.
export const account = (id) => ({
  id,
  name: "Acme Support",
  locale: "en",
  domain: null,
  support_email: "Chatwoot <accounts@chatwoot.com>",
  features: Object.fromEntries(defaultFeatures.map((name) => [name, true])),
  custom_attributes: { marker: "bench", plan_name: "enterprise" },
  limits: { agents: 25, inboxes: 10 },
  status: "active"
})

// The 12 columns of an `account_users` row as `as_json` renders it, in database order (§4.1).
export const accountUser = (id) => ({
  id,
  account_id: 1,
  user_id: 4242 + id,
  role: "agent",
  inviter_id: null,
  created_at: "2025-12-30T11:25:54.123Z",
  updated_at: "2025-12-30T11:25:54.123Z",
  active_at: null,
  availability: "online",
  auto_offline: true,
  custom_role_id: null,
  agent_capacity_policy_id: null
})

// The 6 keys of `_agent_bot.json.jbuilder` (§5.1); the access token is 24 base58 characters.
export const agentBot = (id) => ({
  id,
  name: "Triage Bot",
  description: "Routes new conversations to the right team",
  outgoing_url: "https://bots.example.com/triage",
  account_id: 1,
  access_token: "Vq8Xk2RmZt7NcYw3PbHd4GsL"
})

const listOf = (make) => Array.from({ length: listLength }, (_, i) => make(i + 1))

export const accountJson = JSON.stringify(account(1))
export const accountListJson = JSON.stringify(listOf(account))
export const accountUserJson = JSON.stringify(accountUser(1))
export const accountUserListJson = JSON.stringify(listOf(accountUser))
export const agentBotJson = JSON.stringify(agentBot(7))
export const agentBotListJson = JSON.stringify(listOf(agentBot))
