import type { Case, Step } from "./Case.js"
import { clientValidation, invalidToken, nonPermissible, notFound, serverValidation } from "./errors.js"
import type { Issue } from "./errors.js"
import {
  account,
  acme,
  APP,
  DEFAULT_FEATURES,
  DEFAULT_FLAGS,
  long,
  OTHER,
  seed,
  SENDER,
  THIRD,
  user
} from "./platform.js"

const server = { defaultFeatures: DEFAULT_FEATURES }
const source = "PLATFORM.md §3"

const get = (id: number) => ({ service: "accounts", method: "get", args: [id] }) as const
const list = { service: "accounts", method: "list", args: [] } as const
const create = (payload: { readonly [key: string]: unknown }) =>
  ({ service: "accounts", method: "create", args: [payload] }) as never
const update = (id: number, payload: { readonly [key: string]: unknown }) =>
  ({ service: "accounts", method: "update", args: [id, payload] }) as never
const remove = (id: number) => ({ service: "accounts", method: "delete", args: [id] }) as const

const theirs = account({ id: 2, name: "Theirs", features: DEFAULT_FLAGS })
const legacy = account({ id: 3, name: "Legacy", features: DEFAULT_FLAGS, limits: { users: 3 } })

const rejectedCreate = (payload: { readonly [key: string]: unknown }, issues: ReadonlyArray<Issue>): Step => ({
  call: create(payload),
  raw: true,
  sent: 0,
  unchanged: true,
  expect: clientValidation("accounts.create", issues)
})

const rejectedUpdate = (
  id: number,
  payload: { readonly [key: string]: unknown },
  issues: ReadonlyArray<Issue>
): Step => ({
  call: update(id, payload),
  raw: true,
  sent: 0,
  unchanged: true,
  expect: clientValidation("accounts.update", issues)
})

/** The accounts cases. */
export const accounts: ReadonlyArray<Case> = [
  {
    name: "an invalid token is InvalidToken on every route, checked before the account is looked up; nothing changes",
    source: "PLATFORM.md §3.8 1-2, 7-8, 10-11, 14-15, 18-19",
    seed,
    server,
    token: "invalid",
    steps: [
      { call: list, sent: 1, unchanged: true, expect: invalidToken("accounts.list") },
      { call: create({ name: "Test Account" }), sent: 1, unchanged: true, expect: invalidToken("accounts.create") },
      { call: get(1), sent: 1, unchanged: true, expect: invalidToken("accounts.get", { resource: "account", id: 1 }) },
      {
        call: update(1, { name: "x" }),
        sent: 1,
        unchanged: true,
        expect: invalidToken("accounts.update", { resource: "account", id: 1 })
      },
      {
        call: remove(1),
        sent: 1,
        unchanged: true,
        expect: invalidToken("accounts.delete", { resource: "account", id: 1 })
      },
      {
        call: get(99),
        sent: 1,
        unchanged: true,
        expect: invalidToken("accounts.get", { resource: "account", id: 99 })
      },
      {
        call: remove(2),
        sent: 1,
        unchanged: true,
        expect: invalidToken("accounts.delete", { resource: "account", id: 2 })
      },
      { as: APP, call: list, expect: { succeeds: [acme, legacy] } }
    ]
  },
  {
    name: "without permission: NonPermissibleResource on the account; nothing changes, the owner still manages it",
    source: "PLATFORM.md §3.8 12, 16, 20",
    seed,
    server,
    token: APP,
    steps: [
      { call: get(2), sent: 1, unchanged: true, expect: nonPermissible("accounts.get", "account", 2) },
      {
        call: update(2, { name: "Mine now" }),
        sent: 1,
        unchanged: true,
        expect: nonPermissible("accounts.update", "account", 2)
      },
      { call: remove(2), sent: 1, unchanged: true, expect: nonPermissible("accounts.delete", "account", 2) },
      { as: OTHER, call: get(2), expect: { succeeds: theirs } }
    ]
  },
  {
    name: "404: NotFound naming the account, before the permission check, for any app",
    source,
    seed,
    server,
    token: APP,
    steps: [
      { call: get(99), sent: 1, unchanged: true, expect: notFound("accounts.get", "account", 99) },
      { call: update(99, { name: "x" }), sent: 1, unchanged: true, expect: notFound("accounts.update", "account", 99) },
      { as: OTHER, call: remove(99), sent: 1, unchanged: true, expect: notFound("accounts.delete", "account", 99) },
      { as: OTHER, call: get(99), sent: 1, unchanged: true, expect: notFound("accounts.get", "account", 99) }
    ]
  },
  {
    name: "create gives the 9 fields with their defaults, and the app's permission on the new account",
    source: "PLATFORM.md §3.8 3",
    seed,
    server: { defaultFeatures: [] },
    token: APP,
    steps: [
      { call: create({ name: "Test Account" }), expect: { succeeds: account({ id: 4, name: "Test Account" }) } },
      { call: get(4), expect: { succeeds: account({ id: 4, name: "Test Account" }) } },
      // No member comes with a new account.
      { call: { service: "accountUsers", method: "list", args: [4] }, expect: { succeeds: [] } },
      {
        call: list,
        expect: {
          succeeds: [
            account({ ...acme, features: {} }),
            account({ id: 3, name: "Legacy", limits: { users: 3 } }),
            account({ id: 4, name: "Test Account" })
          ]
        }
      },
      { as: OTHER, call: get(4), sent: 1, unchanged: true, expect: nonPermissible("accounts.get", "account", 4) }
    ]
  },
  {
    name: "with defaults [agent_management], create with locale es",
    source: "PLATFORM.md §3.8 4",
    seed,
    server: { defaultFeatures: ["agent_management"] },
    token: APP,
    steps: [{
      call: create({ name: "Test Account", locale: "es" }),
      expect: { succeeds: account({ id: 4, name: "Test Account", locale: "es", features: { agent_management: true } }) }
    }]
  },
  {
    name: "feature flags by name, applied on top of the defaults, rendered in features.yml order",
    source: "PLATFORM.md §3.8 5",
    seed,
    server: { defaultFeatures: ["inbox_management", "disable_branding"] },
    token: APP,
    steps: [{
      call: create({ name: "Test Account", features: { ip_lookup: true, help_center: true, disable_branding: false } }),
      expect: {
        succeeds: account({
          id: 4,
          name: "Test Account",
          features: { ip_lookup: true, help_center: true, inbox_management: true }
        })
      }
    }]
  },
  {
    name: "limits and custom_attributes echo the order sent; reads give jsonb order",
    source: "PLATFORM.md §3.8 6",
    seed,
    server: { defaultFeatures: [] },
    token: APP,
    steps: [
      {
        call: create({
          name: "Test Account",
          limits: { inboxes: 10, agents: 5 },
          custom_attributes: { zeta: { b: 1, a: 2 }, id: "x" }
        }),
        expect: {
          succeeds: account({
            id: 4,
            name: "Test Account",
            custom_attributes: { zeta: { b: 1, a: 2 }, id: "x" },
            limits: { inboxes: 10, agents: 5 }
          })
        }
      },
      {
        call: get(4),
        expect: {
          succeeds: account({
            id: 4,
            name: "Test Account",
            custom_attributes: { id: "x", zeta: { a: 2, b: 1 } },
            limits: { agents: 5, inboxes: 10 }
          })
        }
      }
    ]
  },
  {
    name: "list gives exactly this app's accounts; [] for an app with none",
    source: "PLATFORM.md §3.8 9",
    seed,
    server: { defaultFeatures: [] },
    token: THIRD,
    steps: [
      { call: list, expect: { succeeds: [] } },
      { call: create({ name: "A" }), expect: { succeeds: account({ id: 4, name: "A" }) } },
      { call: create({ name: "B" }), expect: { succeeds: account({ id: 5, name: "B" }) } },
      { call: list, expect: { succeeds: [account({ id: 4, name: "A" }), account({ id: 5, name: "B" })] } },
      { as: OTHER, call: list, expect: { succeeds: [account({ id: 2, name: "Theirs" })] } }
    ]
  },
  {
    name: "get renders the stored account",
    source: "PLATFORM.md §3.8 13",
    seed,
    server,
    token: APP,
    steps: [{ call: get(1), expect: { succeeds: acme } }]
  },
  {
    name: "update sets the name, applies flags on the stored ones, sets limits",
    source: "PLATFORM.md §3.8 17",
    seed,
    server: { defaultFeatures: ["inbox_management", "channel_facebook"] },
    token: APP,
    steps: [
      {
        call: update(1, {
          name: "New Name",
          features: { ip_lookup: true, help_center: true, channel_facebook: false },
          limits: { agents: 5, inboxes: 10 }
        }),
        expect: {
          succeeds: {
            ...acme,
            name: "New Name",
            features: { ip_lookup: true, help_center: true, inbox_management: true },
            // The answer to an update renders limits in the order of the stored hash's keys.
            limits: { inboxes: 10, agents: 5 }
          }
        }
      },
      {
        call: get(1),
        expect: {
          succeeds: {
            ...acme,
            name: "New Name",
            features: { ip_lookup: true, help_center: true, inbox_management: true },
            limits: { agents: 5, inboxes: 10 }
          }
        }
      }
    ]
  },
  {
    name: "update replaces custom_attributes and limits whole when sent, keeps them when absent",
    source,
    seed,
    server,
    token: APP,
    steps: [
      {
        call: update(1, { custom_attributes: { only: true } }),
        expect: { succeeds: { ...acme, custom_attributes: { only: true } } }
      },
      {
        call: update(1, { name: "Renamed" }),
        expect: { succeeds: { ...acme, name: "Renamed", custom_attributes: { only: true } } }
      },
      {
        call: update(1, { limits: {} }),
        expect: { succeeds: { ...acme, name: "Renamed", custom_attributes: { only: true }, limits: {} } }
      },
      {
        call: get(1),
        expect: { succeeds: { ...acme, name: "Renamed", custom_attributes: { only: true }, limits: {} } }
      }
    ]
  },
  {
    name:
      "update: status, locale, domain and support_email; a blank support_email shows the sender; suspended stays manageable",
    source,
    seed,
    server,
    token: APP,
    steps: [
      {
        call: update(1, { status: "suspended", locale: "pt_BR", domain: null, support_email: "" }),
        expect: { succeeds: { ...acme, locale: "pt_BR", domain: null, support_email: SENDER, status: "suspended" } }
      },
      {
        call: update(1, { name: "Still mine" }),
        expect: {
          succeeds: {
            ...acme,
            name: "Still mine",
            locale: "pt_BR",
            domain: null,
            support_email: SENDER,
            status: "suspended"
          }
        }
      },
      {
        call: update(1, {}),
        expect: {
          succeeds: {
            ...acme,
            name: "Still mine",
            locale: "pt_BR",
            domain: null,
            support_email: SENDER,
            status: "suspended"
          }
        }
      }
    ]
  },
  {
    name: "support_email: null when the installation has no sender",
    source,
    seed,
    server: { ...server, supportEmailFallback: null },
    token: APP,
    steps: [
      {
        call: create({ name: "x" }),
        expect: { succeeds: account({ id: 4, name: "x", support_email: null, features: DEFAULT_FLAGS }) }
      },
      { call: get(1), expect: { succeeds: acme } }
    ]
  },
  {
    name: "an immediate delete: then NotFound, out of the list, memberships gone, users kept",
    source: "PLATFORM.md §3.8 21, §3.7",
    seed,
    server,
    token: APP,
    steps: [
      {
        call: { service: "users", method: "get", args: [1] },
        expect: {
          succeeds: user({
            id: 1,
            name: "Dev",
            email: "dev@example.com",
            accounts: [{ id: 1, name: "Acme", role: "agent" }]
          })
        }
      },
      { call: remove(1), expect: { succeeds: null } },
      { call: get(1), sent: 1, unchanged: true, expect: notFound("accounts.get", "account", 1) },
      { call: remove(1), sent: 1, unchanged: true, expect: notFound("accounts.delete", "account", 1) },
      { call: list, expect: { succeeds: [legacy] } },
      {
        call: { service: "accountUsers", method: "list", args: [1] },
        sent: 1,
        unchanged: true,
        expect: notFound("accountUsers.list", "account", 1)
      },
      {
        call: { service: "users", method: "get", args: [1] },
        expect: { succeeds: user({ id: 1, name: "Dev", email: "dev@example.com" }) }
      }
    ]
  },
  {
    name: "deferred delete: get and delete succeed until the job runs",
    source: "PLATFORM.md §3.7",
    seed,
    server: { ...server, accountDelete: "deferred" },
    token: APP,
    steps: [
      { call: remove(1), expect: { succeeds: null } },
      { call: get(1), expect: { succeeds: acme } },
      { call: remove(1), expect: { succeeds: null } },
      { call: list, expect: { succeeds: [acme, legacy] } },
      {
        call: { service: "users", method: "get", args: [1] },
        expect: {
          succeeds: user({
            id: 1,
            name: "Dev",
            email: "dev@example.com",
            accounts: [{ id: 1, name: "Acme", role: "agent" }]
          })
        }
      }
    ]
  },
  {
    name: "server 422: a stored limits key outside the four (EE mode) fails every update; valid limits replace it",
    source: "PLATFORM.md §3",
    seed,
    server,
    token: APP,
    steps: [
      {
        call: update(3, { name: "Renamed" }),
        sent: 1,
        unchanged: true,
        expect: serverValidation("accounts.update", ["limits"], "Limits : Invalid data")
      },
      { call: get(3), expect: { succeeds: legacy } },
      {
        call: update(3, { name: "Renamed", limits: { agents: 2 } }),
        expect: { succeeds: { ...legacy, name: "Renamed", limits: { agents: 2 } } }
      }
    ]
  },
  {
    name: "without EE mode the stored limits keys are not checked",
    source,
    seed,
    server: { ...server, eeMode: false },
    token: APP,
    steps: [{ call: update(3, { name: "Renamed" }), expect: { succeeds: { ...legacy, name: "Renamed" } } }]
  },
  {
    name: "every client-side rule of create fails with Validation before sending; the boundaries pass",
    source: "PLATFORM.md §8.3",
    seed,
    server,
    token: APP,
    steps: [
      rejectedCreate({}, [["name", "required", "name is required"]]),
      rejectedCreate({ name: "" }, [["name", "blank", "name can't be blank"]]),
      rejectedCreate({ name: " \t\n" }, [["name", "blank", "name can't be blank"]]),
      rejectedCreate({ name: long(256) }, [["name", "max_length", "name is too long (maximum is 255 characters)"]]),
      rejectedCreate({ name: 7 }, [["name", "type", "name must be a string"]]),
      rejectedCreate({ name: "Valid", status: "1" }, [[
        "status",
        "one_of",
        "status must be \"active\" or \"suspended\""
      ]]),
      rejectedCreate({ name: "Valid", status: null }, [[
        "status",
        "one_of",
        "status must be \"active\" or \"suspended\""
      ]]),
      rejectedCreate({ name: "Valid", locale: "pt-BR" }, [[
        "locale",
        "one_of",
        "locale must be one of Chatwoot's 39 enabled locale codes (such as en or pt_BR, never pt-BR)"
      ]]),
      rejectedCreate({ name: "Valid", support_email: `${long(89)}@example.com` }, [[
        "support_email",
        "max_length",
        "support_email is too long (maximum is 100 characters)"
      ]]),
      rejectedCreate({ name: "Valid", domain: long(101) }, [[
        "domain",
        "max_length",
        "domain is too long (maximum is 100 characters)"
      ]]),
      rejectedCreate({ name: "Valid", features: { nope: true } }, [[
        "features",
        "unknown_key",
        "\"nope\" is not one of Chatwoot's 59 feature flags"
      ]]),
      rejectedCreate({ name: "Valid", features: { flags: true } }, [[
        "features",
        "unknown_key",
        "\"flags\" is not one of Chatwoot's 59 feature flags"
      ]]),
      rejectedCreate({ name: "Valid", features: { feature_ip_lookup: true } }, [[
        "features",
        "unknown_key",
        "\"feature_ip_lookup\" is not one of Chatwoot's 59 feature flags"
      ]]),
      rejectedCreate({ name: "Valid", features: { ip_lookup: "false" } }, [[
        "features",
        "boolean",
        "the value of \"ip_lookup\" must be true or false (a JSON boolean, not a string or a number)"
      ]]),
      rejectedCreate({ name: "Valid", features: { ip_lookup: 0 } }, [[
        "features",
        "boolean",
        "the value of \"ip_lookup\" must be true or false (a JSON boolean, not a string or a number)"
      ]]),
      rejectedCreate({ name: "Valid", features: [] }, [[
        "features",
        "json_object",
        "features must be a JSON object (not null, an array or a string)"
      ]]),
      rejectedCreate({ name: "Valid", limits: { users: 1 } }, [[
        "limits",
        "unknown_key",
        "\"users\" is not a limit (expected inboxes, agents, captain_responses, captain_documents)"
      ]]),
      rejectedCreate({ name: "Valid", limits: { agents: -1 } }, [[
        "limits",
        "non_negative_integer",
        "the value of \"agents\" must be a non-negative integer"
      ]]),
      rejectedCreate({ name: "Valid", limits: { agents: 1.5 } }, [[
        "limits",
        "non_negative_integer",
        "the value of \"agents\" must be a non-negative integer"
      ]]),
      rejectedCreate({ name: "Valid", limits: { agents: "5" } }, [[
        "limits",
        "non_negative_integer",
        "the value of \"agents\" must be a non-negative integer"
      ]]),
      rejectedCreate({ name: "Valid", limits: null }, [[
        "limits",
        "json_object",
        "limits must be a JSON object (not null, an array or a string)"
      ]]),
      rejectedCreate({ name: "Valid", custom_attributes: [] }, [[
        "custom_attributes",
        "json_object",
        "custom_attributes must be a JSON object (not null, an array or a string)"
      ]]),
      rejectedCreate({ name: "Valid", custom_attributes: "x" }, [[
        "custom_attributes",
        "json_object",
        "custom_attributes must be a JSON object (not null, an array or a string)"
      ]]),
      rejectedCreate(
        { name: "", locale: "pt-BR", domain: long(101), support_email: long(101), status: "1" },
        [
          ["name", "blank", "name can't be blank"],
          [
            "locale",
            "one_of",
            "locale must be one of Chatwoot's 39 enabled locale codes (such as en or pt_BR, never pt-BR)"
          ],
          ["domain", "max_length", "domain is too long (maximum is 100 characters)"],
          ["support_email", "max_length", "support_email is too long (maximum is 100 characters)"],
          ["status", "one_of", "status must be \"active\" or \"suspended\""]
        ]
      ),
      { call: list, expect: { succeeds: [acme, legacy] } },
      {
        call: create({ name: long(255), domain: long(100), support_email: long(100), limits: { agents: 0 } }),
        expect: {
          succeeds: account({
            id: 4,
            name: long(255),
            domain: long(100),
            support_email: long(100),
            features: DEFAULT_FLAGS,
            limits: { agents: 0 }
          })
        }
      }
    ]
  },
  {
    name: "the update rules, checked before the account is looked up",
    source: "PLATFORM.md §8.3",
    seed,
    server,
    token: APP,
    steps: [
      rejectedUpdate(1, { name: "" }, [["name", "blank", "name can't be blank"]]),
      rejectedUpdate(1, { name: null }, [["name", "type", "name must be a string"]]),
      rejectedUpdate(1, { status: "1" }, [["status", "one_of", "status must be \"active\" or \"suspended\""]]),
      rejectedUpdate(1, { locale: "pt-BR" }, [[
        "locale",
        "one_of",
        "locale must be one of Chatwoot's 39 enabled locale codes (such as en or pt_BR, never pt-BR)"
      ]]),
      rejectedUpdate(1, { support_email: long(101) }, [[
        "support_email",
        "max_length",
        "support_email is too long (maximum is 100 characters)"
      ]]),
      rejectedUpdate(1, { domain: long(101) }, [[
        "domain",
        "max_length",
        "domain is too long (maximum is 100 characters)"
      ]]),
      rejectedUpdate(1, { features: { ip_lookup: "true" } }, [[
        "features",
        "boolean",
        "the value of \"ip_lookup\" must be true or false (a JSON boolean, not a string or a number)"
      ]]),
      rejectedUpdate(1, { limits: { captain_responses: -3 } }, [[
        "limits",
        "non_negative_integer",
        "the value of \"captain_responses\" must be a non-negative integer"
      ]]),
      rejectedUpdate(99, { status: "1" }, [["status", "one_of", "status must be \"active\" or \"suspended\""]]),
      { call: get(1), expect: { succeeds: acme } }
    ]
  }
]
