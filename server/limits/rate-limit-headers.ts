import type { ServerResponse } from 'node:http'
import type { RateLimiterRes } from 'rate-limiter-flexible'

/** Whole seconds until the window resets, rounded up so a client that waits that long is not refused again. */
export const resetSecondsOf = (state: RateLimiterRes): number => Math.max(1, Math.ceil(state.msBeforeNext / 1000))

/**
 * Sets the IETF draft rate-limit headers (draft-ietf-httpapi-ratelimit-headers, the separate
 * `RateLimit-Limit` / `-Remaining` / `-Reset` fields that common clients read) and, on a refusal,
 * `Retry-After`. Reset and Retry-After are whole seconds (see {@link resetSecondsOf}).
 */
export function setRateLimitHeaders(
  res: Pick<ServerResponse, 'setHeader'>,
  limit: number,
  state: RateLimiterRes,
  refused: boolean,
): void {
  const resetSec = resetSecondsOf(state)
  res.setHeader('RateLimit-Limit', String(limit))
  res.setHeader('RateLimit-Remaining', String(Math.max(0, state.remainingPoints)))
  res.setHeader('RateLimit-Reset', String(resetSec))
  if (refused) res.setHeader('Retry-After', String(resetSec))
}
