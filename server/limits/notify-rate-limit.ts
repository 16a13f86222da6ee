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

export interface NotifyRateLimit {
  /** The budget per window, for the `RateLimit-Limit` header. */
  readonly points: number
  /**
   * Counts one notification for the key with this id (`ApiKeyIdentity.id`: never the key itself,
   * which would otherwise sit in a shared store); never rejects (a broken store allows).
   */
  take(keyId: string): Promise<ConsumeResult>
}

/**
 * Limits `POST /notify` per API key. Ask it after the key check, so requests with made-up keys
 * cannot create buckets. The caller answers with the `RateLimit-*` headers on every answer
 * ({@link setRateLimitHeaders}) and a refusal with `429 rate_limited` and `Retry-After`.
 *
 * @example
 * const rate = notifyRateLimit({ points: 120, durationSec: 60 })
 * const { allowed, state } = await rate.take(authenticate(req.headers.authorization).id)
 */
export function notifyRateLimit({ points = 120, durationSec = 60, store = memoryStore }: NotifyRateLimitOptions = {}): NotifyRateLimit {
  const limiter = store({ points, duration: durationSec, keyPrefix: 'tidings:notify' })
  return { points, take: (keyId) => consume(limiter, keyId) }
}
