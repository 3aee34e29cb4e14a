/**
 * Reads a response body as text, up to a maximum size: a misconfigured base URL or a broken proxy can answer with an
 * endless or huge body, which must not be buffered whole.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Stream from "effect/Stream"

/**
 * The body is larger than the maximum: reading stopped there and the connection was let go.
 *
 * @internal
 */
export class TooLarge {
  readonly _tag = "TooLarge"
  constructor(readonly status: number, readonly maxBytes: number) {}
}

const decoder = new TextDecoder()

/**
 * The body as UTF-8 text, or `TooLarge` as soon as more than `maxBytes` arrived (or were announced).
 *
 * @internal
 */
export const text = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number
): Effect.Effect<string, HttpClientError.HttpClientError | TooLarge> => {
  const declared = Number(response.headers["content-length"])
  // A declared length is enforced by the transport (HTTP framing): the whole-body read is bounded by it.
  if (Number.isSafeInteger(declared) && declared >= 0 && declared <= maxBytes) return response.text
  return Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let total = 0
    // Ending the stream early (the failure below) aborts the request, which releases the connection.
    return Stream.runForEach(response.stream, (chunk) => {
      total += chunk.length
      if (total > maxBytes || declared > maxBytes) return Effect.fail(new TooLarge(response.status, maxBytes))
      chunks.push(chunk)
      return Effect.void
    }).pipe(
      Effect.map(() => {
        if (chunks.length === 1) return decoder.decode(chunks[0])
        const bytes = new Uint8Array(total)
        let offset = 0
        for (const chunk of chunks) {
          bytes.set(chunk, offset)
          offset += chunk.length
        }
        return decoder.decode(bytes)
      })
    )
  })
}
