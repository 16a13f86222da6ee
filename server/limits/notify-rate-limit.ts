import { createHash } from 'node:crypto'
import type { Request, RequestHandler } from 'express'
import type { ErrorResponse } from '../../shared/index.js'
import { setRateLimitHeaders } from './rate-limit-headers.js'
import { consume, memoryStore, normaliseIp, type LimiterStore } from './store.js'

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
// accepted keys get here (the limiter is mounted after the key check), so the cache stays as
// small as the configured key list; the cap is a guard should it be mounted elsewhere.
const MAX_CACHED_DIGESTS = 1000

function bucketFinder(): (req: Request) => string {
  const digests = new Map<string, string>()
  return (req) => {
    const key = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1]
    if (!key) return `ip:${normaliseIp(req.ip)}`
    let digest = digests.get(key)
    if (digest === undefined) {
      digest = digestOf(key)
      if (digests.size < MAX_CACHED_DIGESTS) digests.set(key, digest)
    }
    return digest
  }
}

/**
 * Limits `POST /notify` per API key. Mount it after the key check, so requests with made-up keys
 * cannot create buckets. Every answer carries `RateLimit-*` headers; a refusal is
 * `429 {error: {code: 'rate_limited', message}}` with `Retry-After`.
 *
 * @example
 * router.post('/notify', requireApiKey(keys), notifyRateLimit({ points: 120, durationSec: 60 }), …)
 */
export function notifyRateLimit({ points = 120, durationSec = 60, store = memoryStore }: NotifyRateLimitOptions = {}): RequestHandler {
  const limiter = store({ points, duration: durationSec, keyPrefix: 'tidings:notify' })
  const bucketOf = bucketFinder()
  return (req, res, next) => {
    consume(limiter, bucketOf(req)).then(({ allowed, state }) => {
      if (state) setRateLimitHeaders(res, points, state, !allowed)
      if (allowed) return next()
      const body: ErrorResponse = {
        error: { code: 'rate_limited', message: `too many notifications for this API key; retry after ${res.get('Retry-After')} s` },
      }
      res.status(429).json(body)
    }, next)
  }
}
