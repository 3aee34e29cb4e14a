/**
 * The command line as people type it, put into the one shape @effect/cli parses without surprises.
 *
 * @effect/cli hands every token a command does not know to that command's positional arguments first, and gives a
 * parent (the global options) only what is left over after them: `users update 1 --json` worked, but
 * `users update --file f --json` tried `--json` as the optional user id ("'--json' is not a integer"). Its errors do
 * not name the argument either. `normalize` walks argv once, with the grammar derived
 * from the command tree: it checks every token (unknown options and commands, missing values, integers, choices,
 * arity) and reports the first problem as one sentence, or returns argv as
 * `[global options] command... [its options] [-- positionals]`: global options first and glued to their value
 * (`--url=x`, so that a value is never taken for a subcommand), positionals after `--` (so that `-1` is not a flag).
 *
 * @internal
 */
import * as Descriptor from "@effect/cli/CommandDescriptor"
import type * as Usage from "@effect/cli/Usage"

/** What an option's value must be; `undefined` for a boolean flag, which takes none. @internal */
export type Value =
  | { readonly _tag: "Text"; readonly placeholder: string }
  | { readonly _tag: "Integer" }
  | { readonly _tag: "Choice"; readonly choices: ReadonlyArray<string> }

/** @internal */
export interface Flag {
  readonly name: string
  readonly value: Value | undefined
  /** Must be given (neither optional, nor with a default, nor repeatable). */
  readonly required: boolean
  readonly repeatable: boolean
}

/** @internal */
export interface Positional {
  readonly name: string
  readonly required: boolean
  readonly repeatable: boolean
}

/** One command of the tree: its options, its positional arguments and its subcommands. @internal */
export interface Grammar {
  readonly name: string
  /** The words that run it after the program's name, e.g. "users update"; the program's name for the root. */
  readonly path: string
  readonly flags: ReadonlyMap<string, Flag>
  readonly positionals: ReadonlyArray<Positional>
  readonly children: ReadonlyMap<string, Grammar>
}

/** @internal */
export type Normalized =
  | { readonly _tag: "Args"; readonly args: ReadonlyArray<string> }
  | { readonly _tag: "Invalid"; readonly message: string }

// =============================================================================
// The grammar, from the command tree
// =============================================================================

// @effect/cli's own options, on every command. All but --log-level mean "do not run" (help, version...): then only
// the command path and they go to @effect/cli, which shows help only when nothing else is there.
const builtIn = (
  name: string,
  value?: Value
): [string, Flag] => [name, { name, value, required: false, repeatable: false }]
const logLevel: Flag = {
  name: "--log-level",
  value: { _tag: "Choice", choices: ["all", "trace", "debug", "info", "warning", "error", "fatal", "none"] },
  required: false,
  repeatable: false
}
const builtIns: ReadonlyMap<string, Flag> = new Map([
  builtIn("--help"),
  builtIn("-h"),
  builtIn("--version"),
  builtIn("--wizard"),
  builtIn("--completions", { _tag: "Choice", choices: ["sh", "bash", "fish", "zsh"] }),
  [logLevel.name, logLevel]
])

const valueOf = (acceptedValues: Usage.Named["acceptedValues"]): Value | undefined => {
  // @effect/cli shows no accepted values exactly for boolean flags; for the others a placeholder or the choices.
  if (acceptedValues._tag === "None") return undefined
  const shown = acceptedValues.value
  if (shown === "integer") return { _tag: "Integer" }
  if (shown.includes(" | ")) return { _tag: "Choice", choices: shown.split(" | ") }
  return { _tag: "Text", placeholder: shown }
}

const fromUsage = (usage: Usage.Usage) => {
  const flags = new Map<string, Flag>()
  const positionals: Array<Positional> = []
  let first = true
  const walk = (usage: Usage.Usage, optional: boolean, repeatable: boolean): void => {
    switch (usage._tag) {
      case "Named": {
        // A Standard command's usage starts with its own name.
        if (first) {
          first = false
          return
        }
        const [name] = usage.names
        if (name === undefined) return
        if (name.startsWith("-")) {
          const flag = { name, value: valueOf(usage.acceptedValues), required: !optional, repeatable }
          for (const alias of usage.names) flags.set(alias, flag)
        } else {
          positionals.push({ name, required: !optional, repeatable })
        }
        return
      }
      case "Optional":
        return walk(usage.usage, true, repeatable)
      case "Repeated":
        return walk(usage.usage, true, true)
      case "Alternation":
        walk(usage.left, true, repeatable)
        return walk(usage.right, true, repeatable)
      case "Concat":
        walk(usage.left, optional, repeatable)
        return walk(usage.right, optional, repeatable)
      case "Empty":
      case "Mixed":
        return
    }
  }
  walk(usage, false, false)
  return { flags, positionals }
}

interface Node {
  readonly _tag: string
  readonly name?: string
  readonly command?: Node
  readonly parent?: Node
  readonly children?: ReadonlyArray<Node>
}

/**
 * The grammar of a command tree, or `undefined` when its shape is not the one known here (a newer @effect/cli):
 * then the command line goes to @effect/cli as typed. Which command has which subcommands is not public in
 * @effect/cli (`getSubcommands` stops one level down); each command's options and arguments come from its public
 * usage.
 *
 * @internal
 */
export const grammarOf = (descriptor: Descriptor.Command<unknown>): Grammar | undefined => {
  // `within` is the path of the parent command: undefined for the root, "" for the root's children (whose paths do
  // not repeat the program's name).
  const walk = (node: Node, within: string | undefined): Grammar | undefined => {
    switch (node._tag) {
      case "Map":
        return node.command === undefined ? undefined : walk(node.command, within)
      case "Standard":
      case "GetUserInput": {
        if (node.name === undefined) return undefined
        const path = within === undefined || within === "" ? node.name : `${within} ${node.name}`
        const usage = Descriptor.getUsage(node as unknown as Descriptor.Command<unknown>)
        return { name: node.name, path, ...fromUsage(usage), children: new Map() }
      }
      case "Subcommands": {
        if (node.parent === undefined || node.children === undefined) return undefined
        const parent = walk(node.parent, within)
        if (parent === undefined) return undefined
        const children = new Map<string, Grammar>()
        for (const child of node.children) {
          const grammar = walk(child, within === undefined ? "" : parent.path)
          if (grammar === undefined) return undefined
          children.set(grammar.name, grammar)
        }
        return { ...parent, children }
      }
      default:
        return undefined
    }
  }
  return walk(descriptor as unknown as Node, undefined)
}

// =============================================================================
// Normalizing argv
// =============================================================================

// What @effect/cli takes as a boolean flag's inline value (`--json=false`).
const booleanValues: ReadonlySet<string> = new Set(["true", "1", "y", "yes", "on", "false", "0", "n", "no", "off"])

/** A token that names an option: `-x`, `--name`, `--name=value`, but not a negative number or `-` alone. */
const isOptionLike = (arg: string) => arg.length > 1 && arg.startsWith("-") && !/^-\d/.test(arg)

const either = (items: ReadonlyArray<string>, word = "or") =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} ${word} ${items[items.length - 1]}`

const describeValue = (value: Value) =>
  value._tag === "Integer" ? "an integer" : value._tag === "Choice" ? either(value.choices) : `a ${value.placeholder}`

const badValue = (flag: Flag, value: string): string | undefined => {
  switch (flag.value?._tag) {
    case "Integer":
      return /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))
        ? undefined
        : `${flag.name} must be an integer, got '${value}'`
    case "Choice":
      return flag.value.choices.includes(value)
        ? undefined
        : `${flag.name} must be ${describeValue(flag.value)}, got '${value}'`
    case "Text":
    case undefined:
      return undefined
  }
}

const editDistance = (a: string, b: string) => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/** The known option the user most likely meant: a close spelling, or one that starts with what was typed. */
const suggest = (typed: string, known: Iterable<string>): string | undefined => {
  let best: string | undefined
  let bestDistance = Infinity
  for (const name of known) {
    if (!name.startsWith("--")) continue
    const distance = name.startsWith(typed) && typed.length >= 4 ? 1 : editDistance(typed, name)
    if (distance < bestDistance) {
      best = name
      bestDistance = distance
    }
  }
  return bestDistance <= 2 ? best : undefined
}

const commandsWith = (grammar: Grammar, flag: string): Array<Grammar> => [
  ...(grammar.flags.has(flag) ? [grammar] : []),
  ...[...grammar.children.values()].flatMap((child) => commandsWith(child, flag))
]

/**
 * The commands that have option `name`, from the group the command line is in: the group of the command typed so
 * far (its own, or its parent's for a leaf), narrowed by the group names typed after the option. So that
 * `users get 1 --name X` names the users commands with a --name, not every resource's. Every command with the
 * option when the group has none.
 */
const ownersOf = (name: string, path: ReadonlyArray<Grammar>, rest: ReadonlyArray<string>): Array<Grammar> => {
  const level = path[path.length - 1]!
  let group = level.children.size > 0 ? level : path[path.length - 2] ?? level
  if (group === level) {
    for (const arg of rest) {
      const child = group.children.get(arg)
      if (child === undefined) continue
      if (child.children.size === 0) break
      group = child
    }
  }
  const within = commandsWith(group, name)
  return within.length > 0 ? within : commandsWith(path[0]!, name)
}

/**
 * Whether `args` need no checking: nothing, or only a request for the root's help or version (what people run
 * first; and start-up is measured on `--help`, so it does not pay for the grammar).
 *
 * @internal
 */
export const isPlain = (args: ReadonlyArray<string>): boolean =>
  args.every((arg) => arg === "--help" || arg === "-h" || arg === "--version")

/**
 * Checks `args` (argv without `node script`) against `root` and reorders them (see the module's comment), or says
 * what is wrong in one sentence that names the argument and the rule. An empty command line is left alone
 * (@effect/cli then shows the help).
 *
 * @internal
 */
export const normalize = (root: Grammar, args: ReadonlyArray<string>): Normalized => {
  if (args.length === 0) return { _tag: "Args", args }
  const program = root.name
  const helpOf = (level: Grammar) => level === root ? `${program} --help` : `${program} ${level.path} --help`
  const where = (level: Grammar) => level === root ? "" : ` for "${level.path}"`
  const invalid = (message: string): Normalized => ({ _tag: "Invalid", message })

  let level = root
  const path: Array<Grammar> = [root]
  // One section per command of the path: [its name, its options...]; the root's holds the global options.
  const sections: Array<Array<string>> = [[]]
  const positionals: Array<string> = []
  const seen = new Map<Flag, string>()
  let requested = false
  const requests: Array<string> = []
  let forced = false

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (!forced && arg === "--") {
      forced = true
      continue
    }
    if (!forced && isOptionLike(arg)) {
      const eq = arg.startsWith("--") ? arg.indexOf("=") : -1
      const name = eq > 0 ? arg.slice(0, eq) : arg
      // A command's own option first (it may shadow a global one), then the global ones, then @effect/cli's.
      const own = level.flags.get(name)
      const global = own === undefined && level !== root ? root.flags.get(name) : undefined
      const flag = own ?? global ?? builtIns.get(name)
      if (flag === undefined) {
        const owners = ownersOf(name, path, args.slice(i + 1)).map((owner) => `"${owner.path}"`)
        if (owners.length > 0) {
          return invalid(
            level.children.size > 0
              ? `${name} is an option of ${either(owners, "and")}: put it after that command`
              : `unknown option ${name}${where(level)}: it is an option of ${either(owners, "and")}`
          )
        }
        const suggestion = suggest(name, [...level.flags.keys(), ...root.flags.keys()])
        return invalid(
          `unknown option ${name}${where(level)}${suggestion === undefined ? "" : `: did you mean ${suggestion}?`} ` +
            `(see ${helpOf(level)})`
        )
      }
      if (flag === logLevel) {
        // Not a request: @effect/cli takes it off the command line and runs the command at that log level.
        const value = eq > 0 ? arg.slice(eq + 1) : args[++i]
        if (value === undefined) return invalid(`${name} needs a value: ${describeValue(flag.value!)}`)
        const problem = badValue(flag, value)
        if (problem !== undefined) return invalid(problem)
        sections[0]!.unshift(name, value)
        continue
      }
      if (flag === builtIns.get(name)) {
        // Help (or version...) of the command typed so far: @effect/cli shows it only when nothing else is there.
        requested = true
        const value = eq > 0 ? arg.slice(eq + 1) : flag.value === undefined ? undefined : args[++i]
        if (flag.value !== undefined) {
          if (value === undefined) return invalid(`${name} needs a value: ${describeValue(flag.value)}`)
          const problem = badValue(flag, value)
          if (problem !== undefined) return invalid(problem)
        }
        requests.push(value === undefined ? name : `${name}=${value}`)
        continue
      }
      const section = global !== undefined ? sections[0]! : sections[sections.length - 1]!
      let value: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined
      if (flag.value === undefined) {
        if (value !== undefined && !booleanValues.has(value)) {
          return invalid(`${name} takes no value (or true/false), got '${value}'`)
        }
      } else if (value === undefined) {
        value = args[++i]
        if (value === undefined) {
          return invalid(`${name} needs a value${flag.value._tag === "Text" ? "" : `: ${describeValue(flag.value)}`}`)
        }
      }
      if (value !== undefined) {
        const problem = badValue(flag, value)
        if (problem !== undefined) return invalid(problem)
      }
      const token = value === undefined ? name : `${name}=${value}`
      if (!flag.repeatable && seen.has(flag)) {
        if (seen.get(flag) === token) continue
        return invalid(`${flag.name} is given twice: pass it once`)
      }
      seen.set(flag, token)
      if (flag.value === undefined) {
        section.push(token)
      } else if (section === sections[0] && /^\S(?:.*\S)?$/.test(value!)) {
        // Glued, so that @effect/cli cannot take the value for a subcommand (a token file named `users`). Not when
        // it would change the value: @effect/cli trims a glued one, and its `--name=value` cannot span lines.
        section.push(token)
      } else {
        section.push(name, value!)
      }
      continue
    }
    if (level.children.size > 0) {
      const child = level.children.get(arg)
      if (child === undefined) {
        return invalid(
          `unknown command '${arg}'${where(level)}: use ${either([...level.children.keys()])} (see ${helpOf(level)})`
        )
      }
      level = child
      path.push(child)
      sections.push([arg])
      continue
    }
    positionals.push(arg)
  }

  if (requested) {
    return { _tag: "Args", args: [...path.slice(1).map((command) => command.name), ...requests] }
  }
  if (level.children.size > 0) {
    return invalid(
      `${level === root ? "missing command" : `"${level.path}" needs a command`}: ` +
        `${either([...level.children.keys()])} (see ${helpOf(level)})`
    )
  }
  for (const command of path) {
    const missing = [...new Set(command.flags.values())].filter((flag) => flag.required && !seen.has(flag))
    if (missing.length > 0) {
      return invalid(
        `"${command.path}" needs ${either(missing.map((flag) => flag.name), "and")} (see ${helpOf(command)})`
      )
    }
  }
  const required = level.positionals.filter((positional) => positional.required)
  if (positionals.length < required.length) {
    return invalid(`"${level.path}" needs ${required[positionals.length]!.name} (see ${helpOf(level)})`)
  }
  const most = level.positionals.some((positional) => positional.repeatable) ? Infinity : level.positionals.length
  if (positionals.length > most) {
    const takes = level.positionals.length === 0
      ? "which takes no argument"
      : `which takes ${level.positionals.map((positional) => positional.name).join(" ")} only`
    return invalid(`unexpected argument '${positionals[most]}'${where(level)}, ${takes}`)
  }
  return {
    _tag: "Args",
    args: [...sections.flat(), ...(positionals.length > 0 ? ["--", ...positionals] : [])]
  }
}
