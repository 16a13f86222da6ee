import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { ErrorCode, ErrorResponse, FieldProblem } from '../../shared/index.js'
import type { Logger } from '../logger.js'
import { StoreUnavailableError } from '../store/store-unavailable.js'

/** An error the HTTP layer answers with `{error: {code, message, details?}}` and `status`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message)
  }
}

// body-parser's own error types, mapped to what a publisher can act on.
const BODY_PARSER_ERRORS: Record<string, [number, ErrorCode, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'the request body is not valid JSON'],
  'entity.too.large': [413, 'payload_too_large', 'the request body is larger than the limit'],
  'encoding.unsupported': [415, 'unsupported_media_type', 'the request body encoding is not supported'],
  'charset.unsupported': [415, 'unsupported_media_type', 'the request body charset is not supported'],
  'request.aborted': [400, 'invalid_request', 'the request was aborted before its body was read'],
}

function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err
  if (err instanceof StoreUnavailableError) {
    return new HttpError(503, 'unavailable', 'the hub cannot reach its store right now; nothing was accepted, retry shortly')
  }
  const { type, status, expose } = (err ?? {}) as { type?: unknown; status?: unknown; expose?: unknown }
  const known = typeof type === 'string' ? BODY_PARSER_ERRORS[type] : undefined
  if (known) return new HttpError(...known)
  // Other client errors from the body parser (a corrupt gzip stream, say) have no `type`.
  if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(status, 'invalid_request', 'the request body could not be decoded')
  }
  return undefined
}

/** What to answer for `err`: its status and JSON body; `unexpected` errors deserve a log line. */
export function errorAnswer(err: unknown): { status: number; body: ErrorResponse; unexpected: boolean } {
  const known = toHttpError(err)
  const error = known ?? new HttpError(500, 'internal', 'the hub could not process this request')
  const body: ErrorResponse = { error: { code: error.code, message: error.message } }
  if (error.details) body.error.details = error.details
  return { status: error.status, body, unexpected: known === undefined }
}

/** Answers every error as JSON; unexpected ones are logged and never expose a stack. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const { status, body, unexpected } = errorAnswer(err)
    if (unexpected) log.error({ err, method: req.method, path: req.path }, 'request failed')
    res.status(status).json(body)
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`))
}
