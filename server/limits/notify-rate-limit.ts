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
const bucketOf = (req: Request): string => {
  const key = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1]
  return key ? createHash('sha256').update(key).digest('base64url').slice(0, 22) : `ip:${normaliseIp(req.ip)}`
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
