import type { Case, Expected, Step } from "./Case.js"
import { clientValidation, invalidToken, nonPermissible, notFound, serverValidation } from "./errors.js"
import type { Issue } from "./errors.js"
import { APP, DEFAULT_FEATURES, OTHER, seed, TIMESTAMP, user } from "./platform.js"

const server = { defaultFeatures: DEFAULT_FEATURES }
const source = "PLATFORM.md §4"

const list = (accountId: number) => ({ service: "accountUsers", method: "list", args: [accountId] }) as const
const add = (accountId: number, payload: { readonly [key: string]: unknown }) =>
  ({ service: "accountUsers", method: "add", args: [accountId, payload] }) as never
const remove = (accountId: number, userId: unknown) =>
  ({ service: "accountUsers", method: "remove", args: [accountId, userId] }) as never
const getUser = (id: number) => ({ service: "users", method: "get", args: [id] }) as const

/** An `account_users` row as the Platform API renders it: the 12 fields, in their order. */
const member = (id: number, accountId: number, userId: number, role: string): Expected => ({
  id,
  account_id: accountId,
  user_id: userId,
  role,
  inviter_id: null,
  created_at: TIMESTAMP,
  updated_at: TIMESTAMP,
  active_at: null,
  availability: "online",
  auto_offline: true,
  custom_role_id: null,
  agent_capacity_policy_id: null
})

const dev = (accounts: ReadonlyArray<{ readonly id: number; readonly name: string; readonly role: string }>) =>
  user({ id: 1, name: "Dev", email: "dev@example.com", accounts })
const ada = (accounts: ReadonlyArray<{ readonly id: number; readonly name: string; readonly role: string }>) =>
  user({ id: 2, name: "Ada", email: "ada@example.com", accounts })

const rejectedAdd = (
  accountId: number,
  payload: { readonly [key: string]: unknown },
  issues: ReadonlyArray<Issue>
): Step => ({
  call: add(accountId, payload),
  raw: true,
  sent: 0,
  unchanged: true,
  expect: clientValidation("accountUsers.add", issues)
})

const rejectedRemove = (userId: unknown, issues: ReadonlyArray<Issue>): Step => ({
  call: remove(1, userId),
  raw: true,
  sent: 0,
  unchanged: true,
  expect: clientValidation("accountUsers.remove", issues)
})

/** The account users cases. */
export const accountUsers: ReadonlyArray<Case> = [
  {
    name: "an invalid token is InvalidToken, naming the account; nothing changes",
    source: "PLATFORM.md §4.4 1, 3, 6",
    seed,
    server,
    token: "invalid",
    steps: [
      {
        call: list(1),
        sent: 1,
        unchanged: true,
        expect: invalidToken("accountUsers.list", { resource: "account", id: 1 })
      },
      {
        call: add(1, { user_id: 2, role: "administrator" }),
        sent: 1,
        unchanged: true,
        expect: invalidToken("accountUsers.add", { resource: "account", id: 1 })
      },
      {
        call: remove(1, 1),
        sent: 1,
        unchanged: true,
        expect: invalidToken("accountUsers.remove", { resource: "account", id: 1 })
      },
      { as: APP, call: list(1), expect: { succeeds: [member(1, 1, 1, "agent")] } }
    ]
  },
  {
    name: "without permission on the account: NonPermissibleResource naming the account; nothing changes",
    source,
    seed,
    server,
    token: APP,
    steps: [
      { call: list(2), sent: 1, unchanged: true, expect: nonPermissible("accountUsers.list", "account", 2) },
      {
        call: add(2, { user_id: 2 }),
        sent: 1,
        unchanged: true,
        expect: nonPermissible("accountUsers.add", "account", 2)
      },
      { call: remove(2, 3), sent: 1, unchanged: true, expect: nonPermissible("accountUsers.remove", "account", 2) },
      { as: OTHER, call: list(2), expect: { succeeds: [] } }
    ]
  },
  {
    name: "404: NotFound naming the account (not the user), before the permission check",
    source,
    seed,
    server,
    token: APP,
    steps: [
      { call: list(99), sent: 1, unchanged: true, expect: notFound("accountUsers.list", "account", 99) },
      { call: add(99, { user_id: 2 }), sent: 1, unchanged: true, expect: notFound("accountUsers.add", "account", 99) },
      { call: remove(99, 1), sent: 1, unchanged: true, expect: notFound("accountUsers.remove", "account", 99) },
      {
        as: OTHER,
        call: add(99, { user_id: 3 }),
        sent: 1,
        unchanged: true,
        expect: notFound("accountUsers.add", "account", 99)
      }
    ]
  },
  {
    name: "list gives every member as the 12-field record; [] for an account without members",
    source: "PLATFORM.md §4.4 2",
    seed,
    server,
    token: APP,
    steps: [
      { call: list(1), expect: { succeeds: [member(1, 1, 1, "agent")] } },
      { call: list(3), expect: { succeeds: [] } }
    ]
  },
  {
    name:
      "the upsert: a new member; an existing one's role changed when sent, kept when omitted; a new one is an agent",
    source: "PLATFORM.md §4.4 4-5",
    seed,
    server,
    token: APP,
    steps: [
      { call: add(1, { user_id: 2, role: "administrator" }), expect: { succeeds: member(2, 1, 2, "administrator") } },
      { call: add(1, { user_id: 1, role: "administrator" }), expect: { succeeds: member(1, 1, 1, "administrator") } },
      { call: add(1, { user_id: 1 }), expect: { succeeds: member(1, 1, 1, "administrator") } },
      { call: add(1, { user_id: 1, role: "agent" }), expect: { succeeds: member(1, 1, 1, "agent") } },
      { call: add(3, { user_id: 2 }), expect: { succeeds: member(3, 3, 2, "agent") } },
      { call: list(1), expect: { succeeds: [member(1, 1, 1, "agent"), member(2, 1, 2, "administrator")] } }
    ]
  },
  {
    name: "the user is never permission-checked: another app's user can be added",
    source,
    seed,
    server,
    token: APP,
    steps: [
      { call: add(1, { user_id: 3 }), expect: { succeeds: member(2, 1, 3, "agent") } },
      {
        as: OTHER,
        call: getUser(3),
        expect: {
          succeeds: user({
            id: 3,
            name: "Stranger",
            email: "stranger@example.com",
            accounts: [{ id: 1, name: "Acme", role: "agent" }]
          })
        }
      }
    ]
  },
  {
    name: "a membership shows in users.get (account_id, role, accounts[]) and is gone after remove",
    source,
    seed,
    server,
    token: APP,
    steps: [
      { call: getUser(2), expect: { succeeds: ada([]) } },
      { call: add(1, { user_id: 2, role: "administrator" }), expect: { succeeds: member(2, 1, 2, "administrator") } },
      { call: getUser(2), expect: { succeeds: ada([{ id: 1, name: "Acme", role: "administrator" }]) } },
      { call: remove(1, 2), expect: { succeeds: null } },
      { call: getUser(2), expect: { succeeds: ada([]) } }
    ]
  },
  {
    name: "remove takes the member off the account; the user stays",
    source: "PLATFORM.md §4.4 7",
    seed,
    server,
    token: APP,
    steps: [
      { call: remove(1, 1), expect: { succeeds: null } },
      { call: list(1), expect: { succeeds: [] } },
      { call: getUser(1), expect: { succeeds: dev([]) } }
    ]
  },
  {
    name: "removing a non-member or an unknown user succeeds and changes nothing",
    source,
    seed,
    server,
    token: APP,
    steps: [
      { call: remove(1, 2), sent: 1, unchanged: true, expect: { succeeds: null } },
      { call: remove(1, 999), sent: 1, unchanged: true, expect: { succeeds: null } },
      { call: remove(3, 1), sent: 1, unchanged: true, expect: { succeeds: null } },
      { call: list(1), expect: { succeeds: [member(1, 1, 1, "agent")] } },
      { call: getUser(1), expect: { succeeds: dev([{ id: 1, name: "Acme", role: "agent" }]) } }
    ]
  },
  {
    name: "server 422: an unknown user is Validation `User must exist`; nothing changes",
    source,
    seed,
    server,
    token: APP,
    steps: [
      {
        call: add(1, { user_id: 999 }),
        sent: 1,
        unchanged: true,
        expect: serverValidation("accountUsers.add", ["user"], "User must exist")
      },
      { call: list(1), expect: { succeeds: [member(1, 1, 1, "agent")] } }
    ]
  },
  {
    name: "role and user_id are checked before sending, also before the account is looked up",
    source: "PLATFORM.md §8.3",
    seed,
    server,
    token: APP,
    steps: [
      rejectedAdd(1, { user_id: 2, role: "admin" }, [[
        "role",
        "one_of",
        "role must be \"agent\" or \"administrator\""
      ]]),
      rejectedAdd(1, { user_id: 2, role: "" }, [["role", "one_of", "role must be \"agent\" or \"administrator\""]]),
      rejectedAdd(1, { user_id: 2, role: null }, [["role", "one_of", "role must be \"agent\" or \"administrator\""]]),
      rejectedAdd(1, { user_id: 0 }, [["user_id", "positive_integer", "user_id must be a positive integer"]]),
      rejectedAdd(1, { user_id: -1 }, [["user_id", "positive_integer", "user_id must be a positive integer"]]),
      rejectedAdd(1, { user_id: 1.5 }, [["user_id", "positive_integer", "user_id must be a positive integer"]]),
      rejectedAdd(1, { user_id: "2" }, [["user_id", "positive_integer", "user_id must be a positive integer"]]),
      rejectedAdd(1, {}, [["user_id", "required", "user_id is required"]]),
      rejectedAdd(1, { user_id: 0, role: "admin" }, [[
        "user_id",
        "positive_integer",
        "user_id must be a positive integer"
      ], ["role", "one_of", "role must be \"agent\" or \"administrator\""]]),
      rejectedAdd(99, { user_id: 0 }, [["user_id", "positive_integer", "user_id must be a positive integer"]]),
      rejectedRemove(0, [["user_id", "positive_integer", "user_id must be a positive integer"]]),
      rejectedRemove(-4, [["user_id", "positive_integer", "user_id must be a positive integer"]]),
      rejectedRemove(2.5, [["user_id", "positive_integer", "user_id must be a positive integer"]]),
      rejectedRemove(null, [["user_id", "positive_integer", "user_id must be a positive integer"]]),
      // No user id at all (a JavaScript caller's `remove(1)`): the arguments stop after the account id.
      {
        call: { service: "accountUsers", method: "remove", args: [1] } as never,
        raw: true,
        sent: 0,
        unchanged: true,
        expect: clientValidation("accountUsers.remove", [["user_id", "required", "user_id is required"]])
      },
      { call: list(1), expect: { succeeds: [member(1, 1, 1, "agent")] } }
    ]
  }
]
