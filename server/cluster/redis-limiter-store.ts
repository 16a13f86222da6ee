import type { Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible'
import type { LimiterStore } from '../limits/store.js'

/**
 * A {@link LimiterStore} whose counters live in Redis, so a budget (notify rate per key, failed
 * authentications per address) holds across every node. While Redis is unreachable each node
 * falls back to counting in memory (rate-limiter-flexible's insurance limiter) rather than
 * refusing or waving everything through; counts return to Redis by themselves when it is back.
 *
 * @example
 * const store = redisLimiterStore(redis)
 * notifyRateLimit({ points: 120, durationSec: 60, store })
 */
export function redisLimiterStore(redis: Redis): LimiterStore {
  return (spec) =>
    new RateLimiterRedis({
      ...spec,
      storeClient: redis,
      // Fail fast while disconnected; the insurance limiter answers instead.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(spec),
    })
}
