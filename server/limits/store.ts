import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'

/** What a limiter is built from: the same three numbers for every rate-limiter-flexible store. */
export interface LimiterSpec {
  points: number
  /** Window length in seconds. */
  duration: number
  /** Separates the limiters' keys when they share a store (Redis). */
  keyPrefix: string
}

/**
 * Builds the counter behind a limiter. The default keeps counts in this process
 * (`RateLimiterMemory`); a cluster swaps in a shared store without touching the limiters:
 *
 * @example
 * const store: LimiterStore = (spec) => new RateLimiterRedis({ ...spec, storeClient: redis })
 * eventRateLimiter({ store })
 */
export type LimiterStore = (spec: LimiterSpec) => RateLimiterAbstract

export const memoryStore: LimiterStore = (spec) => new RateLimiterMemory(spec)

/** The outcome of a consume: either allowed or refused, both with the counter's state. */
export interface ConsumeResult {
  allowed: boolean
  /** The counter's state; undefined when the store failed (the limiter then allows). */
  state?: RateLimiterRes
}

/**
 * `consume` that resolves instead of rejecting. A refusal from rate-limiter-flexible is a
 * rejected `RateLimiterRes`; any other rejection is a store failure (e.g. Redis unreachable),
 * and the limiters then let the request through: a broken counter must not take the hub down.
 */
export async function consume(limiter: RateLimiterAbstract, key: string, points = 1): Promise<ConsumeResult> {
  try {
    return { allowed: true, state: await limiter.consume(key, points) }
  } catch (outcome) {
    if (outcome instanceof RateLimiterRes) return { allowed: false, state: outcome }
    return { allowed: true }
  }
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client; without this it gets two budgets. */
export function normaliseIp(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown'
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address
}
