/**
 * The secret-hygiene harvester: collects every text a run produces (errors in every rendering, log lines, span
 * names, attributes, events and exits, CLI output, journal files) and looks for the secrets in it, raw and in the
 * encodings an echo or a serializer would give them (JSON string, Rails' \u003c escapes, percent and form encoding,
 * HTML escapes, base64).
 */
import { assert } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import * as NodeUtil from "node:util"

/** The platform token the runs use. */
export const TOKEN = "SecretTokenHarvest4242xyz"
/** A token of another platform app, which has no permission on the seeded users (401 Non permissible resource). */
export const OTHER_TOKEN = "OtherAppTokenHarvest7777q"
/** A token no app has (401 Invalid access_token): what was sent is a secret too. */
export const WRONG_TOKEN = "WrongTokenHarvest1313abc"

/** Valid passwords; the second carries every character an encoding changes. */
export const PASSWORD = "Harvest-Pa55word!"
export const PASSWORD_ESCAPED = "Harvest-N3w<Pa55>&\"'\\/q"
export const PASSWORD_SPACED = "Harvest Sp4ce+pw%"
/** Breaks Chatwoot's policy by two characters outside every class (Chatwoot's 422 lists them). */
export const PASSWORD_INVALID = "Harvest-Pa55word!\u20ac\u1e9e"
/** The invalid characters alone: quoting them quotes part of the password. */
export const INVALID_CHARACTERS = "\u20ac\u1e9e"

export interface Secret {
  readonly label: string
  readonly value: string
}

export const secrets: ReadonlyArray<Secret> = [
  { label: "TOKEN", value: TOKEN },
  { label: "OTHER_TOKEN", value: OTHER_TOKEN },
  { label: "WRONG_TOKEN", value: WRONG_TOKEN },
  { label: "PASSWORD", value: PASSWORD },
  { label: "PASSWORD_ESCAPED", value: PASSWORD_ESCAPED },
  { label: "PASSWORD_SPACED", value: PASSWORD_SPACED },
  { label: "PASSWORD_INVALID", value: PASSWORD_INVALID },
  { label: "INVALID_CHARACTERS", value: INVALID_CHARACTERS }
]

const html = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(
    /'/g,
    "&#39;"
  )

/** The forms a secret takes once echoed or serialized. */
export const encodings: ReadonlyArray<readonly [string, (secret: string) => string]> = [
  ["raw", (secret) => secret],
  ["JSON string", (secret) => JSON.stringify(secret).slice(1, -1)],
  [
    "JSON string, ASCII only",
    (secret) =>
      JSON.stringify(secret).slice(1, -1).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
  ],
  [
    "Rails JSON",
    (secret) =>
      JSON.stringify(secret).slice(1, -1).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026")
  ],
  ["percent-encoded", (secret) => encodeURIComponent(secret)],
  ["form-encoded", (secret) => new URLSearchParams({ s: secret }).toString().slice(2)],
  ["HTML-escaped", html],
  ["util.inspect", (secret) => NodeUtil.inspect(secret).slice(1, -1)],
  ["base64", (secret) => Buffer.from(secret).toString("base64")]
]

export interface Item {
  /** Where the text came from, e.g. `log 3` or `update 422: Cause.pretty`. */
  readonly source: string
  readonly text: string
}

export interface Leak {
  readonly source: string
  readonly secret: string
  readonly encoding: string
  readonly excerpt: string
}

/** Every occurrence of a secret, in any encoding, in the harvested texts. */
export const findLeaks = (items: ReadonlyArray<Item>, among: ReadonlyArray<Secret> = secrets): Array<Leak> => {
  const leaks: Array<Leak> = []
  for (const item of items) {
    for (const secret of among) {
      for (const [encoding, encode] of encodings) {
        const needle = encode(secret.value)
        const at = item.text.indexOf(needle)
        if (at >= 0) {
          leaks.push({
            source: item.source,
            secret: secret.label,
            encoding,
            excerpt: item.text.slice(Math.max(0, at - 60), at + needle.length + 60)
          })
          break
        }
      }
    }
  }
  return leaks
}

/** Fails with every leak found, or when nothing was harvested (a harvest of nothing proves nothing). */
export const assertNoLeak = (items: ReadonlyArray<Item>, minimum = 1): void => {
  assert.isAtLeast(items.length, minimum, "harvested too little")
  const leaks = findLeaks(items)
  assert.deepStrictEqual(leaks, [], `secrets leaked:\n${leaks.map((l) => JSON.stringify(l)).join("\n")}`)
}

const inspect = (value: unknown) => NodeUtil.inspect(value, { depth: Infinity, showHidden: true, getters: true })

const safeJson = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? "undefined"
  } catch (error) {
    return `<not JSON: ${String(error)}>`
  }
}

/** An error as a string in every way a program or a person renders it. */
export const renderError = (source: string, error: unknown): Array<Item> => {
  const items: Array<Item> = [
    { source: `${source}: String`, text: String(error) },
    { source: `${source}: JSON.stringify`, text: safeJson(error) },
    { source: `${source}: util.inspect`, text: inspect(error) },
    { source: `${source}: Cause.pretty`, text: Cause.pretty(Cause.fail(error), { renderErrorCause: true }) },
    { source: `${source}: Cause.pretty (die)`, text: Cause.pretty(Cause.die(error), { renderErrorCause: true }) }
  ]
  if (error instanceof Error) {
    items.push({ source: `${source}: message`, text: error.message })
    items.push({ source: `${source}: stack`, text: error.stack ?? "" })
  }
  return items
}

/** An exit: its value or every rendering of its cause. */
export const renderExit = (source: string, exit: Exit.Exit<unknown, unknown>): Array<Item> =>
  Exit.isSuccess(exit)
    ? [
      { source: `${source}: value`, text: inspect(exit.value) },
      { source: `${source}: JSON`, text: safeJson(exit.value) }
    ]
    : [
      { source: `${source}: Cause.pretty`, text: Cause.pretty(exit.cause, { renderErrorCause: true }) },
      { source: `${source}: cause inspect`, text: inspect(exit.cause) },
      ...Cause.failures(exit.cause).pipe((chunk) =>
        Array.from(chunk).flatMap((error, i) => renderError(`${source}: failure ${i}`, error))
      ),
      ...Array.from(Cause.defects(exit.cause)).flatMap((defect, i) => renderError(`${source}: defect ${i}`, defect))
    ]

/** A recorder of everything logged and every span started, for one test. */
export interface Recorder {
  readonly logs: Array<string>
  readonly spans: Array<Tracer.Span>
  /** Logs everything (`LogLevel.All`) into `logs` and traces every span into `spans`. */
  readonly layer: Layer.Layer<never>
  /** Applies the layer to an effect: logger, minimum level and tracer. */
  readonly record: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** The logs and the spans (names, attributes, events, links, exits) as items. */
  readonly items: () => Array<Item>
}

/** A fresh recorder over the current tracer (the native one unless a test set another). */
export const makeRecorder: Effect.Effect<Recorder> = Effect.map(Effect.tracer, (base) => {
  const logs: Array<string> = []
  const spans: Array<Tracer.Span> = []
  const logger = Logger.make((options) => {
    logs.push(Logger.logfmtLogger.log(options))
    logs.push(safeJson(Logger.structuredLogger.log(options)))
    logs.push(inspect(options.message))
    if (!Cause.isEmpty(options.cause)) logs.push(Cause.pretty(options.cause, { renderErrorCause: true }))
  })
  const tracer = Tracer.make({
    span: (...args) => {
      const span = base.span(...args)
      spans.push(span)
      return span
    },
    context: base.context
  })
  const layer = Layer.mergeAll(
    Logger.replace(Logger.defaultLogger, logger),
    Logger.minimumLogLevel(LogLevel.All),
    Layer.setTracer(tracer)
  )
  const record = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      Effect.withTracer(tracer),
      Logger.withMinimumLogLevel(LogLevel.All),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger))
    )
  const items = (): Array<Item> => [
    ...logs.map((text, i) => ({ source: `log ${i}`, text })),
    ...spans.flatMap((span, i) => spanItems(`span ${i} ${span.name}`, span))
  ]
  return { logs, spans, layer, record, items }
})

const spanItems = (source: string, span: Tracer.Span): Array<Item> => {
  const items: Array<Item> = [{ source, text: span.name }]
  for (const [key, value] of span.attributes) {
    items.push({ source: `${source} attribute`, text: `${key}=${String(value)} ${safeJson(value)}` })
  }
  const events = (span as { readonly events?: ReadonlyArray<readonly [string, bigint, Record<string, unknown>]> })
    .events ?? []
  for (const [name, , attributes] of events) {
    items.push({ source: `${source} event`, text: `${name} ${inspect(attributes)}` })
  }
  for (const link of span.links) items.push({ source: `${source} link`, text: inspect(link.attributes) })
  if (span.status._tag === "Ended") items.push(...spanExitItems(source, span.name, span.status.exit))
  items.push({ source: `${source} parent`, text: Option.match(span.parent, { onNone: () => "", onSome: String }) })
  return items
}

/**
 * How a span's end is exported: OpenTelemetry exporters send `Cause.pretty` as the status message and each of
 * `Cause.prettyErrors` as an exception (message and stack), never the exit's value. Our own spans (not the
 * platform's `http.client` / `http.server` ones, whose exits hold the raw request by design) are held to more: every
 * rendering of their value or error.
 */
const spanExitItems = (source: string, name: string, exit: Exit.Exit<unknown, unknown>): Array<Item> => {
  if (Exit.isSuccess(exit)) return name.startsWith("http.") ? [] : renderExit(`${source} exit`, exit)
  const exported: Array<Item> = [
    { source: `${source} exit: Cause.pretty`, text: Cause.pretty(exit.cause, { renderErrorCause: true }) },
    ...Cause.prettyErrors(exit.cause).map((error, i) => ({
      source: `${source} exit: exception ${i}`,
      text: `${error.name}: ${error.message}\n${error.stack ?? ""}\n${safeJson(error.span)}`
    }))
  ]
  return name.startsWith("http.") ? exported : [...exported, ...renderExit(`${source} exit`, exit)]
}

/** The `http.request.header.*` attributes of every HTTP client span. */
export const requestHeaderAttributes = (spans: ReadonlyArray<Tracer.Span>): Array<readonly [string, unknown]> =>
  spans.filter((span) => span.name.startsWith("http.client")).flatMap((span) =>
    Array.from(span.attributes).filter(([key]) => key.startsWith("http.request.header."))
  )
