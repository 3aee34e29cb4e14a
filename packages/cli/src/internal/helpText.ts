import type * as HelpDoc from "@effect/cli/HelpDoc"
import type * as Span from "@effect/cli/HelpDoc/Span"

const spanText = (span: Span.Span): string => {
  switch (span._tag) {
    case "Text":
    case "URI":
      return span.value
    case "Highlight":
    case "Strong":
    case "Weak":
      return spanText(span.value)
    case "Sequence":
      return spanText(span.left) + spanText(span.right)
  }
}

const parts = (doc: HelpDoc.HelpDoc): Array<string> => {
  switch (doc._tag) {
    case "Empty":
      return []
    case "Header":
    case "Paragraph":
      return [spanText(doc.value)]
    case "DescriptionList":
      return doc.definitions.flatMap(([term, description]) => [spanText(term), ...parts(description)])
    case "Enumeration":
      return doc.elements.flatMap(parts)
    case "Sequence":
      return [...parts(doc.left), ...parts(doc.right)]
  }
}

/**
 * A help document (what @effect/cli's parse errors carry) as one line of plain text: no colours, no line breaks.
 *
 * @internal
 */
export const oneLine = (doc: HelpDoc.HelpDoc): string =>
  parts(doc).map((part) => part.replace(/\s+/g, " ").trim()).filter((part) => part !== "").join(" ")
