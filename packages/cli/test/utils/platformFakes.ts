/**
 * Fakes of the accounts, account users and agent bots services for the in-process CLI tests: account 1 (member: user
 * 1, administrator) and agent bot 1 exist; every call is recorded; `overrides` replace single methods.
 */
import * as Account from "@chatwoot-effect/core/Account"
import * as AccountUser from "@chatwoot-effect/core/AccountUser"
import * as AgentBot from "@chatwoot-effect/core/AgentBot"
import * as PlatformAccounts from "@chatwoot-effect/core/PlatformAccounts"
import * as PlatformAccountUsers from "@chatwoot-effect/core/PlatformAccountUsers"
import * as PlatformAgentBots from "@chatwoot-effect/core/PlatformAgentBots"
import * as PlatformUsersError from "@chatwoot-effect/core/PlatformUsersError"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { Call } from "./harness.js"

/** Account 1 as Chatwoot's JSON, in its key order, with its nulls. */
export const accountOneJson = {
  id: 1,
  name: "Demo Account",
  locale: "en",
  domain: null,
  support_email: "Chatwoot <accounts@chatwoot.com>",
  features: { inbound_emails: true, agent_bots: true, help_center: true },
  custom_attributes: { plan: "free", seats: 3 },
  limits: { agents: 5 },
  status: "active"
}

export const accountOne: Account.Account = Schema.decodeUnknownSync(Account.Account)(accountOneJson)

/** Account 1's member, user 1, as Chatwoot's `as_json`. */
export const memberOneJson = {
  id: 11,
  account_id: 1,
  user_id: 1,
  role: "administrator",
  inviter_id: null,
  created_at: "2025-12-30T11:25:54.123Z",
  updated_at: "2025-12-30T11:25:54.123Z",
  active_at: null,
  availability: "online",
  auto_offline: true,
  custom_role_id: null,
  agent_capacity_policy_id: null
}

export const memberOne: AccountUser.AccountUser = Schema.decodeUnknownSync(AccountUser.AccountUser)(memberOneJson)

/** Bot 1's own access token: a secret that text output shows only with --show-token. */
export const BOT_TOKEN = "BotOneSecretT0ken9xYzQwE"
/** The token of a bot the fake creates. */
export const NEW_BOT_TOKEN = "NewBotSecretT0kenAbCdEf2"

export const botOneJson = {
  id: 1,
  name: "Helper",
  description: "Answers FAQs",
  outgoing_url: "https://bots.example.com/hook",
  account_id: 1,
  access_token: BOT_TOKEN
}

export const botOne: AgentBot.AgentBot = Schema.decodeUnknownSync(AgentBot.AgentBot)(botOneJson)

const notFound = (operation: PlatformUsersError.Operation, resource: PlatformUsersError.ResourceKind, id: number) =>
  Effect.fail(new PlatformUsersError.NotFound({ operation, resource, id }))

export const makeAccounts = (
  calls: Array<Call>,
  overrides: Partial<PlatformAccounts.Service> = {}
): PlatformAccounts.Service =>
  PlatformAccounts.PlatformAccounts.of({
    list: () => {
      calls.push({ operation: "accounts.list" })
      return Effect.succeed([accountOne])
    },
    create: (payload) => {
      calls.push({ operation: "accounts.create", payload })
      return Effect.succeed(
        new Account.Account({
          id: Account.AccountId.make(2),
          name: payload.name,
          locale: payload.locale ?? "en",
          domain: payload.domain ?? null,
          support_email: payload.support_email ?? null,
          features: { ...accountOne.features, ...payload.features },
          custom_attributes: payload.custom_attributes ?? {},
          limits: payload.limits ?? {},
          status: payload.status ?? "active"
        })
      )
    },
    get: (id) => {
      calls.push({ operation: "accounts.get", id })
      return id === 1 ? Effect.succeed(accountOne) : notFound("accounts.get", "account", id)
    },
    update: (id, payload) => {
      calls.push({ operation: "accounts.update", id, payload })
      if (id !== 1) return notFound("accounts.update", "account", id)
      const { features, name, ...rest } = payload
      return Effect.succeed(
        new Account.Account({
          ...accountOne,
          ...rest,
          name: name ?? accountOne.name,
          features: { ...accountOne.features, ...features }
        })
      )
    },
    delete: (id) => {
      calls.push({ operation: "accounts.delete", id })
      return id === 1 ? Effect.void : notFound("accounts.delete", "account", id)
    },
    ...overrides
  })

export const makeAccountUsers = (
  calls: Array<Call>,
  overrides: Partial<PlatformAccountUsers.Service> = {}
): PlatformAccountUsers.Service =>
  PlatformAccountUsers.PlatformAccountUsers.of({
    list: (accountId) => {
      calls.push({ operation: "accountUsers.list", id: accountId })
      return accountId === 1 ? Effect.succeed([memberOne]) : notFound("accountUsers.list", "account", accountId)
    },
    add: (accountId, payload) => {
      calls.push({ operation: "accountUsers.add", id: accountId, payload })
      if (accountId !== 1) return notFound("accountUsers.add", "account", accountId)
      return Effect.succeed(
        new AccountUser.AccountUser({
          ...memberOne,
          id: payload.user_id === 1 ? 11 : 12,
          user_id: payload.user_id,
          role: payload.role ?? (payload.user_id === 1 ? memberOne.role : "agent")
        })
      )
    },
    remove: (accountId, userId) => {
      calls.push({ operation: "accountUsers.remove", id: accountId, payload: { user_id: userId } })
      return accountId === 1 ? Effect.void : notFound("accountUsers.remove", "account", accountId)
    },
    ...overrides
  })

export const makeAgentBots = (
  calls: Array<Call>,
  overrides: Partial<PlatformAgentBots.Service> = {}
): PlatformAgentBots.Service =>
  PlatformAgentBots.PlatformAgentBots.of({
    list: () => {
      calls.push({ operation: "agentBots.list" })
      return Effect.succeed([botOne])
    },
    create: (payload) => {
      calls.push({ operation: "agentBots.create", payload })
      return Effect.succeed(
        new AgentBot.AgentBot({
          id: AgentBot.AgentBotId.make(2),
          name: payload.name ?? null,
          description: payload.description ?? null,
          outgoing_url: payload.outgoing_url ?? null,
          account_id: payload.account_id ?? null,
          access_token: Redacted.make(NEW_BOT_TOKEN)
        })
      )
    },
    get: (id) => {
      calls.push({ operation: "agentBots.get", id })
      return id === 1 ? Effect.succeed(botOne) : notFound("agentBots.get", "agent_bot", id)
    },
    update: (id, payload) => {
      calls.push({ operation: "agentBots.update", id, payload })
      if (id !== 1) return notFound("agentBots.update", "agent_bot", id)
      const { avatar_url: _, ...fields } = payload
      return Effect.succeed(new AgentBot.AgentBot({ ...botOne, ...fields }))
    },
    delete: (id) => {
      calls.push({ operation: "agentBots.delete", id })
      return id === 1 ? Effect.void : notFound("agentBots.delete", "agent_bot", id)
    },
    deleteAvatar: (id) => {
      calls.push({ operation: "agentBots.deleteAvatar", id })
      return id === 1 ? Effect.succeed(botOne) : notFound("agentBots.deleteAvatar", "agent_bot", id)
    },
    ...overrides
  })
