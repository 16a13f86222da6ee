import type { RequestHandler } from 'express'
import type { ErrorResponse } from '../../shared/index.js'
import { memoryStore, normaliseIp, type LimiterStore } from './store.js'

export interface AuthFailureLimiterOptions {
  /**
   * Failed authentications (HTTP 401s) one address may cause per window before it is refused
   * outright. Default 10: enough for an operator fixing a typo in a key a few times, far too few
   * to enumerate anything (keys are 16+ random characters anyway; the limit mostly keeps a
   * misbehaving script from filling the logs).
   */
  points?: number
  /** Window length in seconds; a blocked address waits out the rest of it. Default 300. */
  durationSec?: number
  store?: LimiterStore
}

export interface AuthFailureLimiter extends RequestHandler {
  /** Whether `ip` is blocked now, and for how many more seconds. */
  check(ip: string): Promise<{ blocked: boolean; retryAfterSec: number }>
  /** Counts one failed authentication for `ip` (e.g. a refused socket token). */
  recordFailure(ip: string): Promise<void>
}

/**
 * Refuses clients that keep failing authentication, by address. As Express middleware mounted
 * before the key check it answers `429 {error: {code: 'rate_limited'}}` with `Retry-After` while
 * the address is blocked (whatever key it sends now), and counts every 401 answered after it.
 * `check` and `recordFailure` let the socket handshake share the same budget.
 *
 * @example
 * const authFailures = authFailureLimiter({ points: 10, durationSec: 300 })
 * router.post('/notify', authFailures, requireApiKey(keys), …)
 */
export function authFailureLimiter({
  points = 10,
  durationSec = 300,
  store = memoryStore,
}: AuthFailureLimiterOptions = {}): AuthFailureLimiter {
  const limiter = store({ points, duration: durationSec, keyPrefix: 'tidings:auth-failures' })

  const check = async (ip: string) => {
    const state = await limiter.get(normaliseIp(ip)).catch(() => null)
    if (!state || state.consumedPoints < points) return { blocked: false, retryAfterSec: 0 }
    return { blocked: true, retryAfterSec: Math.max(1, Math.ceil(state.msBeforeNext / 1000)) }
  }
  const recordFailure = async (ip: string) => {
    // penalty() counts without refusing: the refusal is check()'s job.
    await limiter.penalty(normaliseIp(ip), 1).catch(() => undefined)
  }

  const middleware: RequestHandler = (req, res, next) => {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown'
    check(ip).then(({ blocked, retryAfterSec }) => {
      if (blocked) {
        res.set('Retry-After', String(retryAfterSec))
        const body: ErrorResponse = {
          error: { code: 'rate_limited', message: `too many failed authentications; retry after ${retryAfterSec} s` },
        }
        return void res.status(429).json(body)
      }
      res.once('finish', () => {
        if (res.statusCode === 401) void recordFailure(ip)
      })
      next()
    }, next)
  }
  return Object.assign(middleware, { check, recordFailure })
}
