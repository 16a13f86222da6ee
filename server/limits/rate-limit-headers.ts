import type { Response } from 'express'
import type { RateLimiterRes } from 'rate-limiter-flexible'

/**
 * Sets the IETF draft rate-limit headers (draft-ietf-httpapi-ratelimit-headers, the separate
 * `RateLimit-Limit` / `-Remaining` / `-Reset` fields that common clients read) and, on a refusal,
 * `Retry-After`. Reset and Retry-After are whole seconds, rounded up so a client that waits
 * exactly that long is not refused again.
 */
export function setRateLimitHeaders(res: Response, limit: number, state: RateLimiterRes, refused: boolean): void {
  const resetSec = Math.max(1, Math.ceil(state.msBeforeNext / 1000))
  res.set('RateLimit-Limit', String(limit))
  res.set('RateLimit-Remaining', String(Math.max(0, state.remainingPoints)))
  res.set('RateLimit-Reset', String(resetSec))
  if (refused) res.set('Retry-After', String(resetSec))
}
