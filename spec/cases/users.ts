import type { Case, Expected, Operation } from "./Case.js"
import { invalidToken, nonPermissible, notFound } from "./errors.js"

// Chatwoot's users_controller_spec (docs/BEHAVIOUR.md §6): `create(:user, email: 'dev+testing@chatwoot.com',
// custom_attributes: { test: 'test' })`, a platform app, and the permissible row only where the spec creates one.
// The spec's "no header" cases (#1, 5, 9, 13, 17, 21) send no header at all, which a typed service cannot do: they
// stay raw HTTP in each edition's emulator tests.
/** The platform app's token and the user's email of users_controller_spec (its raw-HTTP cases use them too). */
export const APP = "SpecPlatformAppToken0001"
export const EMAIL = "dev+testing@chatwoot.com"
const TOKEN: Expected = { $matches: "^[1-9A-HJ-NP-Za-km-z]{24}$" }

/** The spec's seed: user 1, permissible to the app only when `permitted`, and any other users. */
export const seed = (
  permitted: boolean,
  extraUsers: ReadonlyArray<{ readonly [key: string]: string | number }> = []
) => ({
  apps: [{ name: "app", token: APP }],
  users: [
    {
      id: 1,
      name: "Dev",
      email: EMAIL,
      password: "Password1!",
      custom_attributes: { test: "test" },
      apps: permitted ? ["app"] : []
    },
    ...extraUsers
  ]
})

/** A user as `_user.json.jbuilder` renders it, in its key order, with its server-chosen tokens. */
const user = (fields: {
  readonly id: number
  readonly name: string
  readonly email: string
  readonly display_name?: string | null
  readonly custom_attributes?: { readonly [key: string]: Expected }
}): Expected => ({
  access_token: TOKEN,
  account_id: null,
  available_name: fields.display_name ?? fields.name,
  avatar_url: "",
  confirmed: true,
  display_name: fields.display_name ?? null,
  message_signature: null,
  email: fields.email,
  id: fields.id,
  name: fields.name,
  provider: "email",
  pubsub_token: TOKEN,
  ...(fields.custom_attributes === undefined ? {} : { custom_attributes: fields.custom_attributes }),
  role: null,
  ui_settings: {},
  uid: fields.email,
  accounts: []
})

const routes = {
  show: { name: "GET /users/:id", operation: "get", call: { service: "users", method: "get", args: [1] } },
  login: {
    name: "GET /users/:id/login",
    operation: "loginUrl",
    call: { service: "users", method: "loginUrl", args: [1] }
  },
  token: {
    name: "POST /users/:id/token",
    operation: "token",
    call: { service: "users", method: "token", args: [1] }
  },
  create: {
    name: "POST /users",
    operation: "create",
    call: {
      service: "users",
      method: "create",
      args: [{ name: "test", email: "test@test.com", password: "Password1!" }]
    }
  },
  update: {
    name: "PATCH /users/:id",
    operation: "update",
    call: { service: "users", method: "update", args: [1, { name: "test" }] }
  },
  destroy: {
    name: "DELETE /users/:id",
    operation: "delete",
    call: { service: "users", method: "delete", args: [1] }
  }
} satisfies { readonly [key: string]: { readonly name: string; readonly operation: string; readonly call: Operation } }

type Route = (typeof routes)[keyof typeof routes]

const dev = user({ id: 1, name: "Dev", email: EMAIL, custom_attributes: { test: "test" } })

const onUser = (route: Route) => route.operation !== "create"

/** `#n`: the token "invalid": Unauthorized InvalidToken, naming the user on member routes; nothing changes. */
const invalidHeader = (n: number, route: Route): Case => ({
  name: `#${n} ${route.name}: header "invalid" gives 401 InvalidToken; nothing changes`,
  source: "users_controller_spec (BEHAVIOUR.md §6)",
  seed: seed(true),
  token: "invalid",
  steps: [
    {
      call: route.call,
      sent: 1,
      unchanged: true,
      expect: invalidToken(route.operation, onUser(route) ? { resource: "user", id: 1 } : undefined)
    },
    { as: APP, call: routes.show.call, expect: { succeeds: dev } }
  ]
})

/** `#n`: a valid token without the permissible row: Unauthorized NonPermissibleResource on the user. */
const noPermission = (n: number, route: Route): Case => ({
  name: `#${n} ${route.name}: a valid token without permission gives 401 NonPermissibleResource`,
  source: "users_controller_spec (BEHAVIOUR.md §6)",
  seed: seed(false),
  token: APP,
  steps: [{ call: route.call, sent: 1, unchanged: true, expect: nonPermissible(route.operation, "user", 1) }]
})

/** The users cases: Chatwoot's request spec over the typed service. */
export const users: ReadonlyArray<Case> = [
  invalidHeader(2, routes.show),
  noPermission(3, routes.show),
  {
    name: "#4 GET /users/:id: valid token and permission gives the user",
    source: "users_controller_spec (BEHAVIOUR.md §6)",
    seed: seed(true),
    token: APP,
    steps: [
      {
        call: routes.show.call,
        expect: { succeeds: user({ id: 1, name: "Dev", email: EMAIL, custom_attributes: { test: "test" } }) }
      }
    ]
  },
  invalidHeader(6, routes.login),
  noPermission(7, routes.login),
  {
    name: "#8 GET /users/:id/login: valid token and permission gives the SSO link",
    source: "users_controller_spec (BEHAVIOUR.md §6)",
    seed: seed(true),
    server: { frontendUrl: "https://chat.example.com" },
    token: APP,
    steps: [
      {
        call: routes.login.call,
        expect: {
          succeeds: {
            url: {
              $matches:
                "^https://chat\\.example\\.com/app/login\\?email=dev%2Btesting%40chatwoot\\.com&sso_auth_token=[^&]+$"
            }
          }
        }
      }
    ]
  },
  invalidHeader(10, routes.token),
  noPermission(11, routes.token),
  {
    name: "#12 POST /users/:id/token: valid token and permission gives the user's access token",
    source: "users_controller_spec (BEHAVIOUR.md §6)",
    seed: seed(true),
    token: APP,
    steps: [
      {
        call: routes.token.call,
        expect: {
          succeeds: {
            access_token: TOKEN,
            expiry: null,
            user: { id: 1, name: "Dev", display_name: null, email: EMAIL, pubsub_token: TOKEN }
          }
        }
      }
    ]
  },
  invalidHeader(14, routes.create),
  {
    name: "#15 POST /users: a valid token creates the user and claims it",
    source: "users_controller_spec (BEHAVIOUR.md §6)",
    seed: seed(false),
    token: APP,
    steps: [
      {
        call: {
          service: "users",
          method: "create",
          args: [{
            name: "test",
            display_name: "displaytest",
            email: "test@test.com",
            password: "Password1!",
            custom_attributes: { test: "test_create" }
          }]
        },
        expect: {
          succeeds: user({
            id: 2,
            name: "test",
            display_name: "displaytest",
            email: "test@test.com",
            custom_attributes: { test: "test_create" }
          })
        }
      },
      // The permissible row: the app now manages the new user, still not the spec's user.
      {
        call: { service: "users", method: "get", args: [2] },
        expect: {
          succeeds: user({
            id: 2,
            name: "test",
            display_name: "displaytest",
            email: "test@test.com",
            custom_attributes: { test: "test_create" }
          })
        }
      },
      {
        call: routes.show.call,
        sent: 1,
        unchanged: true,
        expect: nonPermissible("get", "user", 1)
      }
    ]
  },
  {
    name: "#16 POST /users: an existing email gives that user unchanged and claims it",
    source: "users_controller_spec (BEHAVIOUR.md §6)",
    seed: seed(false, [{ id: 2, name: "old test", email: "test@test.com", password: "Password1!" }]),
    token: APP,
    steps: [
      {
        call: routes.create.call,
        expect: { succeeds: user({ id: 2, name: "old test", email: "test@test.com" }) }
      },
      {
        call: { service: "users", method: "get", args: [2] },
        expect: { succeeds: user({ id: 2, name: "old test", email: "test@test.com" }) }
      }
    ]
  },
  invalidHeader(18, routes.update),
  noPermission(19, routes.update),
  {
    name: "#20 PATCH /users/:id: valid token and permission updates the user",
    source: "users_controller_spec (BEHAVIOUR.md §6)",
    seed: seed(true),
    token: APP,
    steps: [
      {
        call: {
          service: "users",
          method: "update",
          args: [1, { name: "test123", email: "newtestemail@test.com", custom_attributes: { test: "test_update" } }]
        },
        expect: {
          succeeds: user({
            id: 1,
            name: "test123",
            email: "newtestemail@test.com",
            custom_attributes: { test: "test_update" }
          })
        }
      }
    ]
  },
  invalidHeader(22, routes.destroy),
  noPermission(23, routes.destroy),
  {
    name: "#24 DELETE /users/:id: valid token and permission deletes the user; then NotFound",
    source: "users_controller_spec (BEHAVIOUR.md §6)",
    seed: seed(true),
    token: APP,
    steps: [
      { call: routes.destroy.call, expect: { succeeds: null } },
      {
        call: routes.show.call,
        sent: 1,
        unchanged: true,
        expect: notFound("get", "user", 1)
      }
    ]
  }
]
