/**
 * The error of a body longer than `ChatwootHttpClient`'s maximum, apart from the client so that `PlatformUsersHttp`
 * can recognise it without loading undici (the CLI loads undici at its first request only).
 *
 * @internal
 */

/** @internal */
export class BodyTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the body is larger than ${maxBytes} bytes: reading stopped there`)
    this.name = "BodyTooLarge"
  }
}
