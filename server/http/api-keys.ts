import { timingSafeEqual, createHash } from 'node:crypto'
import type { RequestHandler } from 'express'
import { HttpError } from './http-error.js'

// Comparing fixed-length digests keeps the check constant-time whatever the key lengths.
const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/**
 * Accepts requests whose `Authorization: Bearer <key>` is one of `keys`.
 *
 * @example
 * app.post('/notify', requireApiKey(['s3cret-key-of-16+chars']), handler)
 */
export function requireApiKey(keys: readonly string[]): RequestHandler {
  const digests = keys.map(digest)
  return (req, _res, next) => {
    const header = req.get('authorization')
    if (!header) {
      return next(new HttpError(401, 'unauthorized', 'missing "Authorization: Bearer <key>" header'))
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    const given = match?.[1] ? digest(match[1]) : undefined
    if (!given || !digests.some((d) => timingSafeEqual(d, given))) {
      return next(new HttpError(401, 'unauthorized', 'the API key is not valid'))
    }
    next()
  }
}
