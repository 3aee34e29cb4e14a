// A SchemaError as a flat list of leaves, each with its path and kind: what Effect 3's ArrayFormatter gave, which
// the payload and provisioning decoders turn into `field:rule` issues.
import type * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"

export interface Leaf {
  readonly path: ReadonlyArray<PropertyKey>
  /** `Missing` (a required key is absent), `Unexpected` (an unknown key), else `Type`. */
  readonly kind: "Missing" | "Unexpected" | "Type"
  readonly message: string
}

const formatter = SchemaIssue.makeFormatterDefault()

const collect = (issue: SchemaIssue.Issue, path: ReadonlyArray<PropertyKey>, out: Array<Leaf>): void => {
  switch (issue._tag) {
    case "Pointer":
      return collect(issue.issue, [...path, ...issue.path], out)
    case "Composite":
      for (const inner of issue.issues) collect(inner, path, out)
      return
    case "Encoding":
      return collect(issue.issue, path, out)
    case "AnyOf":
      if (issue.issues.length > 0) {
        for (const inner of issue.issues) collect(inner, path, out)
        return
      }
  }
  out.push({
    path,
    kind: issue._tag === "MissingKey" ? "Missing" : issue._tag === "UnexpectedKey" ? "Unexpected" : "Type",
    message: formatter(issue)
  })
}

export const leavesOf = (error: Schema.SchemaError): Array<Leaf> => {
  const out: Array<Leaf> = []
  collect(error.issue, [], out)
  return out
}
