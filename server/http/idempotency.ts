import type { IncomingHttpHeaders } from 'node:http'
import type { IdempotencyKey } from '../store/store.js'
import { HttpError } from './http-error.js'

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/

/**
 * The request's `Idempotency-Key`, scoped to the API key that sent it (its stable id, see
 * `ApiKeyIdentity`), so two publishers that pick the same key never collide while one publisher
 * retrying with another spelling of its `Authorization` header still finds its first attempt.
 *
 * @example
 * const idempotency = idempotencyKeyOf(req.headers, authenticate(req.headers.authorization).id)
 */
export function idempotencyKeyOf(headers: IncomingHttpHeaders, scope: string): IdempotencyKey | undefined {
  const key = headers['idempotency-key']
  if (key === undefined) return undefined
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new HttpError(400, 'invalid_request', 'Idempotency-Key must be 1–255 visible ASCII characters', [
      { path: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' },
    ])
  }
  return { scope, key }
}
