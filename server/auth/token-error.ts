/**
 * Why a token was refused. Stable strings: they reach clients as `connect_error.data.code` and in
 * `refresh-token` acknowledgements, so a client can tell "log in again" (`token_expired`) from
 * "this deployment is misconfigured" (`token_audience`, `token_issuer`).
 */
export const TOKEN_ERROR_CODES = [
  'token_missing',
  'token_invalid',
  'token_expired',
  'token_audience',
  'token_issuer',
] as const
export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number]

/**
 * A refused token. `message` is safe to send to the client and to log: it never contains the
 * token, the key or a claim value, only which check failed.
 */
export class TokenError extends Error {
  override name = 'TokenError'
  constructor(
    readonly code: TokenErrorCode,
    message: string,
  ) {
    super(message)
  }

  /** The `{code, message}` pair sent to clients (`connect_error.data`, acks). */
  toJSON(): { code: TokenErrorCode; message: string } {
    return { code: this.code, message: this.message }
  }
}
