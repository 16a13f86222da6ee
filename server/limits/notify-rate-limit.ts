import { createHash } from 'node:crypto'
import { consume, memoryStore, type ConsumeResult, type LimiterStore } from './store.js'

export interface NotifyRateLimitOptions {
  /**
   * Notifications one API key may publish per window. Default 120 per 60 s: two a second on
   * average, with bursts of 120 for a deploy pipeline or a per-user fan-out; more than that
   * reaching people is spam, and a publisher that needs more raises it deliberately.
   */
  points?: number
  /** Window length in seconds. Default 60. */
  durationSec?: number
  store?: LimiterStore
}

// The bucket key is a digest: with a shared store the raw API key would otherwise sit in Redis.
const digestOf = (key: string): string => createHash('sha256').update(key).digest('base64url').slice(0, 22)

// Digests of keys seen, so a publisher's key is hashed once, not on every request. Only
// accepted keys get here (the limiter is asked after the key check), so the cache stays as
// small as the configured key list; the cap is a guard should it be asked earlier.
const MAX_CACHED_DIGESTS = 1000

function bucketFinder(): (apiKey: string) => string {
  const digests = new Map<string, string>()
  return (key) => {
    let digest = digests.get(key)
    if (digest === undefined) {
      digest = digestOf(key)
      if (digests.size < MAX_CACHED_DIGESTS) digests.set(key, digest)
    }
    return digest
  }
}

export interface NotifyRateLimit {
  /** The budget per window, for the `RateLimit-Limit` header. */
  readonly points: number
  /** Counts one notification for `apiKey`; never rejects (a broken store allows). */
  take(apiKey: string): Promise<ConsumeResult>
}

/**
 * Limits `POST /notify` per API key. Ask it after the key check, so requests with made-up keys
 * cannot create buckets. The caller answers with the `RateLimit-*` headers on every answer
 * ({@link setRateLimitHeaders}) and a refusal with `429 rate_limited` and `Retry-After`.
 *
 * @example
 * const rate = notifyRateLimit({ points: 120, durationSec: 60 })
 * const { allowed, state } = await rate.take(apiKey)
 */
export function notifyRateLimit({ points = 120, durationSec = 60, store = memoryStore }: NotifyRateLimitOptions = {}): NotifyRateLimit {
  const limiter = store({ points, duration: durationSec, keyPrefix: 'tidings:notify' })
  const bucketOf = bucketFinder()
  return { points, take: (apiKey) => consume(limiter, bucketOf(apiKey)) }
}
