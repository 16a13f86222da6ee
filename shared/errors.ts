/**
 * Error codes shared by the HTTP API (`{error: {code, message}}`) and socket acks
 * (`{ok: false, error: {code, message}}`). Stable strings: clients may switch on them.
 */
export const ERROR_CODES = [
  'unauthorized',
  'forbidden',
  'invalid_json',
  'invalid_request',
  'payload_too_large',
  'unsupported_media_type',
  'not_found',
  'not_joined',
  'rate_limited',
  'timeout',
  'offline',
  'token_missing',
  'token_invalid',
  'token_expired',
  'token_audience',
  'token_issuer',
  'user_targets_disabled',
  'internal',
  'shutting_down',
  'unavailable',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ErrorBody {
  code: ErrorCode
  message: string
  /** Per-field problems, for validation errors: `[{path: 'title', message: '…'}]`. */
  details?: FieldProblem[]
}

export interface FieldProblem {
  path: string
  message: string
}

/** The JSON body of every HTTP error answer. */
export interface ErrorResponse {
  error: ErrorBody
}
