import { timingSafeEqual, createHash } from 'node:crypto'
import { HttpError } from './http-error.js'

// Comparing fixed-length digests keeps the check constant-time whatever the key lengths.
const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/** Which configured key a request proved it holds. */
export interface ApiKeyIdentity {
  /**
   * A stable id of the key: the same for every spelling of the `Authorization` header, across
   * restarts and reorderings of `TIDINGS_API_KEY`, and different for each key. It scopes the
   * key's rate limit and idempotency keys; being a digest prefix, it can sit in a database or a
   * shared limiter store without exposing the key.
   */
  id: string
}

/** The key in an `Authorization: Bearer <key>` header, or undefined when it has another shape. */
export function bearerKeyOf(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] || undefined
}

/**
 * Checks `Authorization: Bearer <key>` against `keys`: returns which key it is, or throws the
 * `401 unauthorized` to answer.
 *
 * @example
 * const authenticate = apiKeyChecker(['s3cret-key-of-16+chars'])
 * const { id } = authenticate(req.headers.authorization)
 */
export function apiKeyChecker(keys: readonly string[]): (header: string | undefined) => ApiKeyIdentity {
  const known = keys.map((key) => {
    const hash = digest(key)
    return { hash, identity: { id: hash.toString('base64url').slice(0, 16) } }
  })
  return (header) => {
    if (!header) throw new HttpError(401, 'unauthorized', 'missing "Authorization: Bearer <key>" header')
    const key = bearerKeyOf(header)
    const given = key === undefined ? undefined : digest(key)
    // Every key is compared, so the time taken does not say which one matched.
    let match: ApiKeyIdentity | undefined
    if (given) for (const { hash, identity } of known) if (timingSafeEqual(hash, given)) match = identity
    if (!match) throw new HttpError(401, 'unauthorized', 'the API key is not valid')
    return match
  }
}
