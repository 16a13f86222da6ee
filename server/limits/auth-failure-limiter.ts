import { consume, memoryStore, normaliseIp, type LimiterStore } from './store.js'

export interface AuthFailureLimiterOptions {
  /**
   * Failed authentications one address may cause per window before its further failures are
   * answered with 429 instead of 401. Default 30: enough for an operator fixing a typo in a key
   * a few times, too few to try keys, and it keeps a broken script from filling the logs.
   */
  points?: number
  /** Window length in seconds. Default 300. */
  durationSec?: number
  /** Separates budgets that count different things, e.g. `http` and `handshake`. */
  name: string
  store?: LimiterStore
}

/** What to answer a failed authentication. */
export type FailureVerdict = { limited: false } | { limited: true; retryAfterSec: number }

export interface AuthFailureLimiter {
  /**
   * Counts one failed authentication for `address` and says whether the address is now over
   * its budget (answer 429 with `Retry-After`) or not (answer the failure itself). Never
   * rejects: a broken counter must not take the hub down.
   */
  recordFailure(address: string): Promise<FailureVerdict>
}

/**
 * Counts failed authentications per client address. The credential is always checked first and
 * only failures are counted, so a valid key or token is never refused because others behind the
 * same address (a NAT, a proxy) failed; past the budget, an address's further failures are
 * answered with 429 rather than 401. Each channel (`POST /notify`, socket handshakes) gets its
 * own limiter, so one cannot exhaust the other's budget.
 *
 * @example
 * const failures = authFailureLimiter({ name: 'http', points: 30, durationSec: 300 })
 * const verdict = await failures.recordFailure(address)
 * if (verdict.limited) answer429(verdict.retryAfterSec)
 */
export function authFailureLimiter({
  points = 30,
  durationSec = 300,
  name,
  store = memoryStore,
}: AuthFailureLimiterOptions): AuthFailureLimiter {
  const limiter = store({ points, duration: durationSec, keyPrefix: `tidings:auth-failures:${name}` })
  return {
    recordFailure: async (address) => {
      const { allowed, state } = await consume(limiter, normaliseIp(address))
      if (allowed || state === undefined) return { limited: false }
      return { limited: true, retryAfterSec: Math.max(1, Math.ceil(state.msBeforeNext / 1000)) }
    },
  }
}
