import type { Expected } from "./Case.js"

// The seed of the accounts, account users and agent bots cases (docs/PLATFORM.md): account 1 and bot 1 are the
// app's, account 2 and bot 2 the other app's; account 3 holds a limits key EE mode rejects (seeds do not check
// them). User 1 is an agent of account 1; user 3 is the other app's. The third app has nothing.
export const APP = "BehaviourPlatformApp0001"
export const OTHER = "BehaviourPlatformApp0002"
export const THIRD = "BehaviourPlatformApp0003"
export const BOT_TOKEN = "HelperBotToken7kQ9mW2xZa"
/** The installation's sender, shown for a blank `support_email` (the default `supportEmailFallback`). */
export const SENDER = "Chatwoot <accounts@chatwoot.com>"
/** A token the server chooses: 24 base58 characters. */
export const TOKEN: Expected = { $matches: "^[1-9A-HJ-NP-Za-km-z]{24}$" }
/** A timestamp the server chooses: ISO 8601 in UTC with milliseconds. */
export const TIMESTAMP: Expected = { $matches: "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$" }
export const seed = {
  apps: [{ name: "app", token: APP }, { name: "other", token: OTHER }, { name: "third", token: THIRD }],
  accounts: [
    {
      id: 1,
      name: "Acme",
      domain: "acme.test",
      support_email: "support@acme.test",
      custom_attributes: { tier: 1, plan: "pro" },
      limits: { inboxes: 10, agents: 5 },
      apps: ["app"]
    },
    { id: 2, name: "Theirs", apps: ["other"] },
    { id: 3, name: "Legacy", limits: { users: 3 }, apps: ["app"] }
  ],
  agent_bots: [
    {
      id: 1,
      name: "Helper",
      description: "Answers",
      outgoing_url: "https://bots.example.com/hook",
      account_id: 1,
      access_token: BOT_TOKEN,
      apps: ["app"]
    },
    { id: 2, name: "Their bot", apps: ["other"] }
  ],
  users: [
    { id: 1, name: "Dev", email: "dev@example.com", apps: ["app"], accounts: [{ id: 1, role: "agent" }] },
    { id: 2, name: "Ada", email: "ada@example.com", apps: ["app"] },
    { id: 3, name: "Stranger", email: "stranger@example.com", apps: ["other"] }
  ]
}

/** The default flags of the cases' server (`defaultFeatures`), smaller than features.yml's 26. */
export const DEFAULT_FEATURES = ["inbox_management", "channel_email"]

/** {@link DEFAULT_FEATURES} as an account renders them (features.yml order). */
export const DEFAULT_FLAGS = { channel_email: true, inbox_management: true }

/** An expected account: its id and name, and any of its other fields. */
export interface AccountFields {
  readonly id: number
  readonly name: string
  readonly [key: string]: Expected
}

/** An account as `_account.json.jbuilder` renders it, in its key order, from the defaults of a new one. */
export const account = (
  { id, name, ...fields }: AccountFields
): AccountFields => ({
  id,
  name,
  locale: "en",
  domain: null,
  support_email: SENDER,
  features: {},
  custom_attributes: {},
  limits: {},
  status: "active",
  ...fields
})

/** Account 1 of the seed, read back (jsonb key order) on a server with {@link DEFAULT_FEATURES}. */
export const acme = account({
  id: 1,
  name: "Acme",
  domain: "acme.test",
  support_email: "support@acme.test",
  features: DEFAULT_FLAGS,
  custom_attributes: { plan: "pro", tier: 1 },
  limits: { agents: 5, inboxes: 10 }
})

/** A user of the seed as `_user.json.jbuilder` renders it. */
export const user = (fields: {
  readonly id: number
  readonly name: string
  readonly email: string
  readonly accounts?: ReadonlyArray<{ readonly id: number; readonly name: string; readonly role: string }>
}): Expected => {
  const memberships = fields.accounts ?? []
  return {
    access_token: TOKEN,
    account_id: memberships[0]?.id ?? null,
    available_name: fields.name,
    avatar_url: "",
    confirmed: true,
    display_name: null,
    message_signature: null,
    email: fields.email,
    id: fields.id,
    name: fields.name,
    provider: "email",
    pubsub_token: TOKEN,
    role: memberships[0]?.role ?? null,
    ui_settings: {},
    uid: fields.email,
    accounts: memberships.map(({ id, name, role }) => ({ id, name, active_at: null, role }))
  }
}

/** `"a"` repeated `n` times. */
export const long = (n: number, char = "a") => char.repeat(n)
