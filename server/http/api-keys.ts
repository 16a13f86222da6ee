import { timingSafeEqual, createHash } from 'node:crypto'
import { HttpError } from './http-error.js'

// Comparing fixed-length digests keeps the check constant-time whatever the key lengths.
const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/** The key in an `Authorization: Bearer <key>` header, or undefined when it has another shape. */
export function bearerKeyOf(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] || undefined
}

/**
 * Checks `Authorization: Bearer <key>` against `keys`: returns the accepted key, or throws the
 * `401 unauthorized` to answer.
 *
 * @example
 * const authenticate = apiKeyChecker(['s3cret-key-of-16+chars'])
 * const key = authenticate(req.headers.authorization)
 */
export function apiKeyChecker(keys: readonly string[]): (header: string | undefined) => string {
  const digests = keys.map(digest)
  return (header) => {
    if (!header) throw new HttpError(401, 'unauthorized', 'missing "Authorization: Bearer <key>" header')
    const key = bearerKeyOf(header)
    const given = key === undefined ? undefined : digest(key)
    if (!given || !digests.some((d) => timingSafeEqual(d, given))) {
      throw new HttpError(401, 'unauthorized', 'the API key is not valid')
    }
    return key!
  }
}
