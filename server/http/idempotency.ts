import { createHash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import type { IdempotencyKey } from '../store/store.js'
import { HttpError } from './http-error.js'

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/

/**
 * The request's `Idempotency-Key`, scoped to the API key that sent it so two publishers that
 * pick the same key never collide. The API key itself is never stored, only a digest prefix.
 */
export function idempotencyKeyOf(headers: IncomingHttpHeaders): IdempotencyKey | undefined {
  const key = headers['idempotency-key']
  if (key === undefined) return undefined
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new HttpError(400, 'invalid_request', 'Idempotency-Key must be 1–255 visible ASCII characters', [
      { path: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' },
    ])
  }
  const bearer = headers.authorization ?? ''
  const scope = createHash('sha256').update(bearer).digest('base64url').slice(0, 16)
  return { scope, key }
}
