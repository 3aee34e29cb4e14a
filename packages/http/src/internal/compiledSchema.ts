/**
 * Decoders and encoders compiled from a schema's AST for the values that go through: the same output as
 * `Schema.decodeUnknownEither` / `Schema.encodeEither`, without their per-node `Either`s, issue bookkeeping and
 * closures. Any input the compiled path does not accept goes to Schema's own parser, which gives the result and the
 * exact errors; so the compiled path only has to be right about the inputs it accepts.
 *
 * It mirrors `ParseResult` on the node kinds of Chatwoot's response and payload schemas (classes, structs, `optional`
 * / `optionalWith` property transformations, arrays, refinements (decoding only), declarations, untagged unions). A
 * schema holding any other kind (or a parse-options or decoding-fallback annotation) is not compiled: it goes through
 * Schema alone.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

/** What a compiled node returns for an input it does not accept. */
const rejected: unique symbol = Symbol("rejected")
type Compiled = (input: unknown) => unknown

class Unsupported extends Error {}

const hasOwn = Object.prototype.hasOwnProperty

// The result of a declaration or a transformation: synchronous ones give an `Either`, anything else is left to Schema.
const fromResult = (result: unknown): unknown =>
  Either.isEither(result) && Either.isRight(result) ? result.right : rejected

// Schema tries the members of a union in their order, except that members with a literal property (tagged structs)
// go first, picked by the literal. Unions with no such member are compiled; the others are left to Schema.
const mayHaveLiterals = (ast: AST.AST, decoding: boolean): boolean => {
  switch (ast._tag) {
    case "TypeLiteral":
      return true
    case "TupleType":
      return ast.elements.length > 0
    case "Refinement":
      return mayHaveLiterals(ast.from, decoding)
    case "Transformation":
      return mayHaveLiterals(decoding ? ast.from : ast.to, decoding)
    case "Suspend":
      return true
    case "Declaration":
      return Option.isSome(AST.getSurrogateAnnotation(ast))
    default:
      return false
  }
}

interface Context {
  readonly decoding: boolean
  readonly options: AST.ParseOptions
  readonly memo: Map<AST.AST, Compiled>
}

const compileNode = (ast: AST.AST, context: Context): Compiled => {
  const memo = context.memo
  const known = memo.get(ast)
  if (known !== undefined) return known
  if (Option.isSome(AST.getParseOptionsAnnotation(ast)) || Option.isSome(AST.getDecodingFallbackAnnotation(ast))) {
    throw new Unsupported(ast._tag)
  }
  const compiled = compileUnmemoized(ast, context)
  memo.set(ast, compiled)
  return compiled
}

interface Property {
  readonly name: string
  readonly isOptional: boolean
  readonly type: Compiled
}

const compileProperties = (ast: AST.TypeLiteral, context: Context): ReadonlyArray<Property> => {
  if (ast.indexSignatures.length > 0) throw new Unsupported("TypeLiteral with index signatures")
  return ast.propertySignatures.map((property) => {
    if (typeof property.name !== "string") throw new Unsupported("symbol key")
    return { name: property.name, isOptional: property.isOptional, type: compileNode(property.type, context) }
  })
}

const isRecord = (input: unknown): input is Record<string, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

interface Step {
  readonly from: PropertyKey
  readonly to: PropertyKey
  readonly transform: (o: Option.Option<unknown>) => Option.Option<unknown>
}

// A struct-to-struct property transformation in one pass: the source struct's checks, the steps, then the target
// struct's checks, with the values in arrays rather than in the two intermediate objects Schema builds (and changes
// in place). Only when each step writes a key of its own that no kept key has: then a target key's value comes from
// exactly one place.
const fusedStructs = (
  source: AST.TypeLiteral,
  target: AST.TypeLiteral,
  steps: ReadonlyArray<Step>,
  context: Context
): Compiled | undefined => {
  if (source.propertySignatures.length === 0 || target.propertySignatures.length === 0) return undefined
  const moved = new Set<PropertyKey>(steps.map((step) => step.from))
  const kept = new Set<PropertyKey>(source.propertySignatures.map((p) => p.name).filter((name) => !moved.has(name)))
  const written = steps.map((step) => step.to)
  if (new Set(written).size !== written.length || written.some((name) => kept.has(name))) return undefined
  const sourceProperties = compileProperties(source, context)
  const targetProperties = compileProperties(target, context)
  const sourceIndex = new Map(sourceProperties.map((property, index) => [property.name as PropertyKey, index]))
  const stepSources = steps.map((step) => sourceIndex.get(step.from) ?? -1)
  // Where each target key's value comes from: a step (index >= 0), a kept source key (-2 - its index), or nowhere.
  const origins = targetProperties.map((property) => {
    const step = written.indexOf(property.name)
    if (step >= 0) return step
    const index = kept.has(property.name) ? sourceIndex.get(property.name) : undefined
    return index === undefined ? undefined : -2 - index
  })
  return (input) => {
    if (!isRecord(input)) return rejected
    const values = new Array<unknown>(sourceProperties.length)
    const present = new Array<boolean>(sourceProperties.length)
    for (let i = 0; i < sourceProperties.length; i++) {
      const property = sourceProperties[i]!
      const has = hasOwn.call(input, property.name)
      // A required key that is missing is decoded as `undefined` (not `exact`), as Schema does.
      present[i] = has || !property.isOptional
      if (!present[i]) continue
      const value = property.type(input[property.name])
      if (value === rejected) return rejected
      values[i] = value
    }
    const results = new Array<Option.Option<unknown>>(steps.length)
    for (let j = 0; j < steps.length; j++) {
      const index = stepSources[j]!
      results[j] = steps[j]!.transform(index >= 0 && present[index] ? Option.some(values[index]) : Option.none())
    }
    const output: Record<string, unknown> = {}
    for (let k = 0; k < targetProperties.length; k++) {
      const property = targetProperties[k]!
      const origin = origins[k]
      let has = false
      let value: unknown = undefined
      if (origin !== undefined && origin >= 0) {
        const result = results[origin]!
        has = Option.isSome(result)
        if (has) value = (result as Option.Some<unknown>).value
      } else if (origin !== undefined) {
        has = present[-2 - origin]!
        value = values[-2 - origin]
      }
      if (!has && property.isOptional) continue
      const decoded = property.type(value)
      if (decoded === rejected) return rejected
      output[property.name] = decoded
    }
    return output
  }
}

const compileUnmemoized = (ast: AST.AST, context: Context): Compiled => {
  const { decoding, options } = context
  switch (ast._tag) {
    case "StringKeyword":
      return (input) => typeof input === "string" ? input : rejected
    case "NumberKeyword":
      return (input) => typeof input === "number" ? input : rejected
    case "BooleanKeyword":
      return (input) => typeof input === "boolean" ? input : rejected
    case "UndefinedKeyword":
      return (input) => input === undefined ? input : rejected
    case "UnknownKeyword":
    case "AnyKeyword":
      return (input) => input
    case "Literal": {
      const literal = ast.literal
      return (input) => input === literal ? input : rejected
    }
    case "Refinement": {
      // Encoding checks the refined type, then encodes what it refines: not mirrored.
      if (!decoding) throw new Unsupported("Refinement (encoding)")
      const from = compileNode(ast.from, context)
      return (input) => {
        const value = from(input)
        return value !== rejected && Option.isNone(ast.filter(value, options, ast)) ? value : rejected
      }
    }
    case "Declaration": {
      const parse = decoding ? ast.decodeUnknown(...ast.typeParameters) : ast.encodeUnknown(...ast.typeParameters)
      return (input) => fromResult(parse(input, options, ast))
    }
    case "Union": {
      if (ast.types.some((member) => mayHaveLiterals(member, decoding))) throw new Unsupported("tagged Union")
      const members = ast.types.map((member) => compileNode(member, context))
      return (input) => {
        for (const member of members) {
          const value = member(input)
          if (value !== rejected) return value
        }
        return rejected
      }
    }
    case "TupleType": {
      // Arrays only: `Schema.Array(item)`.
      if (ast.elements.length > 0 || ast.rest.length !== 1) throw new Unsupported("TupleType")
      const item = compileNode(ast.rest[0]!.type, context)
      return (input) => {
        if (!Array.isArray(input)) return rejected
        const output = new Array(input.length)
        for (let i = 0; i < input.length; i++) {
          const value = item(input[i])
          if (value === rejected) return rejected
          output[i] = value
        }
        return output
      }
    }
    case "TypeLiteral": {
      if (ast.indexSignatures.length > 0) throw new Unsupported("TypeLiteral with index signatures")
      if (ast.propertySignatures.length === 0) {
        return (input) => input !== null && input !== undefined ? input : rejected
      }
      const properties = compileProperties(ast, context)
      return (input) => {
        if (typeof input !== "object" || input === null || Array.isArray(input)) return rejected
        const record = input as Record<string, unknown>
        const output: Record<string, unknown> = {}
        for (const property of properties) {
          const present = hasOwn.call(record, property.name)
          // A required key that is missing is decoded as `undefined` (not `exact`), as Schema does.
          if (!present && property.isOptional) continue
          const value = property.type(record[property.name])
          if (value === rejected) return rejected
          output[property.name] = value
        }
        return output
      }
    }
    case "Transformation": {
      // Decoding goes from -> to; encoding to -> from, with the transformation's `encode`.
      const sourceAST = decoding ? ast.from : ast.to
      const targetAST = decoding ? ast.to : ast.from
      const source = compileNode(sourceAST, context)
      const target = compileNode(targetAST, context)
      const transformation = ast.transformation
      switch (transformation._tag) {
        case "ComposeTransformation":
          return (input) => {
            const value = source(input)
            return value === rejected ? rejected : target(value)
          }
        case "FinalTransformation": {
          const transform = decoding ? transformation.decode : transformation.encode
          return (input) => {
            const value = source(input)
            if (value === rejected) return rejected
            const transformed = fromResult(transform(value, options, ast, input))
            return transformed === rejected ? rejected : target(transformed)
          }
        }
        case "TypeLiteralTransformation": {
          const steps = transformation.propertySignatureTransformations.map((step) =>
            decoding
              ? { from: step.from, to: step.to, transform: step.decode }
              : { from: step.to, to: step.from, transform: step.encode }
          )
          if (AST.isTypeLiteral(sourceAST) && AST.isTypeLiteral(targetAST)) {
            const fused = fusedStructs(sourceAST, targetAST, steps, context)
            if (fused !== undefined) return fused
          }
          // Otherwise as Schema does it: the source's output changed in place.
          return (input) => {
            const value = source(input)
            if (value === rejected) return rejected
            const record = value as Record<PropertyKey, unknown>
            for (const step of steps) {
              const out = step.transform(
                hasOwn.call(record, step.from) ? Option.some(record[step.from]) : Option.none()
              )
              delete record[step.from]
              if (Option.isSome(out)) record[step.to] = out.value
            }
            return target(record)
          }
        }
      }
    }
  }
  // Suspend, Enums, TemplateLiteral, symbols, objects...
  throw new Unsupported(ast._tag)
}

/**
 * The compiled path alone (decoding, or encoding with `direction: "encode"`), or `undefined` when the schema holds a
 * node kind it does not handle. It returns `undefined` for an input it does not accept (which Schema may still
 * accept).
 *
 * @internal
 */
export const compile = <A, I>(
  schema: Schema.Schema<A, I, never>,
  options: AST.ParseOptions = {},
  direction: "decode" | "encode" = "decode"
): ((input: unknown) => A | I | undefined) | undefined => {
  // Excess-property handling, exactness and key order other than Schema's defaults change what structs give.
  if (
    (options.onExcessProperty !== undefined && options.onExcessProperty !== "ignore") || options.exact === true ||
    options.propertyOrder === "original"
  ) return undefined
  let compiled: Compiled
  try {
    compiled = compileNode(schema.ast, { decoding: direction === "decode", options, memo: new Map() })
  } catch (error) {
    if (error instanceof Unsupported) return undefined
    throw error
  }
  return (input) => {
    const value = compiled(input)
    return value === rejected ? undefined : value as A | I
  }
}

// The compiled path, and Schema's own parser for whatever it does not accept.
const withFallback = <I, O>(
  fast: ((input: unknown) => unknown) | undefined,
  full: (input: I) => Either.Either<O, ParseResult.ParseError>
): (input: I) => Either.Either<O, ParseResult.ParseError> => {
  if (fast === undefined) return full
  return (input) => {
    const value = fast(input)
    return value === undefined ? full(input) : Either.right(value as O)
  }
}

/**
 * `Schema.decodeUnknownEither(schema, options)`, through the compiled path first.
 *
 * @internal
 */
export const decodeUnknownEither = <A, I>(
  schema: Schema.Schema<A, I, never>,
  options: AST.ParseOptions = {}
): (input: unknown) => Either.Either<A, ParseResult.ParseError> =>
  withFallback(compile(schema, options, "decode"), Schema.decodeUnknownEither(schema, options))

/**
 * `Schema.encodeEither(schema, options)`, through the compiled path first.
 *
 * @internal
 */
export const encodeEither = <A, I>(
  schema: Schema.Schema<A, I, never>,
  options: AST.ParseOptions = {}
): (value: A) => Either.Either<I, ParseResult.ParseError> =>
  withFallback(compile(schema, options, "encode"), Schema.encodeEither(schema, options))
