/**
 * How the live clients read their settings from text (environment variables, a config file): the words that turn
 * a setting off, the retry count, the token header's name, and what an invalid value is told. Each edition wraps
 * these in its own `Config`.
 *
 * @since 0.1.0
 */
import type { TokenHeader } from "./Wire.js"
import { tokenHeaders } from "./Wire.js"

/**
 * A setting's text read: its value, or why it is not one.
 *
 * @since 0.1.0
 * @category Models
 */
export type Parsed<A> =
  | { readonly _tag: "Valid"; readonly value: A }
  | { readonly _tag: "Invalid"; readonly message: string }

/**
 * The words (trimmed, any case) that turn retries or the timeout off.
 *
 * @since 0.1.0
 * @category Constants
 */
export const disabledWords: ReadonlyArray<string> = ["off", "false", "no", "none", "disabled"]

const normalized = (raw: string) => raw.trim().toLowerCase()

/**
 * A retry count: an integer `n >= 0`; `0` and the {@link disabledWords} turn retries off (`false`).
 *
 * @since 0.1.0
 * @category Parsing
 */
export const parseRetries = (raw: string): Parsed<{ readonly retries: number } | false> => {
  const text = normalized(raw)
  if (disabledWords.includes(text)) return { _tag: "Valid", value: false }
  if (!/^\d+$/.test(text)) return { _tag: "Invalid", message: `Expected a retry count (0, 1, 2...) or "off"` }
  const retries = Number(text)
  return { _tag: "Valid", value: retries === 0 ? false : { retries } }
}

/**
 * A timeout's text: `false` for none (`0` or one of the {@link disabledWords}), else the text trimmed and lowercased,
 * for the edition's `Duration` to read (on failure, {@link invalidTimeoutMessage}).
 *
 * @since 0.1.0
 * @category Parsing
 */
export const timeoutText = (raw: string): string | false => {
  const text = normalized(raw)
  return disabledWords.includes(text) || text === "0" ? false : text
}

/**
 * What an unreadable timeout is told.
 *
 * @since 0.1.0
 * @category Parsing
 */
export const invalidTimeoutMessage = `Expected a duration such as "30 seconds" or "off"`

/**
 * The token header's name, in any case: one of {@link tokenHeaders}, as Chatwoot reads no other.
 *
 * @since 0.1.0
 * @category Parsing
 */
export const parseTokenHeader = (raw: string): Parsed<TokenHeader> => {
  const text = normalized(raw)
  return (tokenHeaders as ReadonlyArray<string>).includes(text)
    ? { _tag: "Valid", value: text as TokenHeader }
    : {
      _tag: "Invalid",
      message: "Expected api-access-token (the default) or api_access_token, the header names Chatwoot reads"
    }
}
