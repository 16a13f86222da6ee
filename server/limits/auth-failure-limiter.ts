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

export interface AuthFailureLimiter {
  /** Whether `ip` is blocked now, and for how many more seconds. */
  check(ip: string): Promise<{ blocked: boolean; retryAfterSec: number }>
  /** Counts one failed authentication for `ip` (e.g. a refused socket token). */
  recordFailure(ip: string): Promise<void>
}

const CLEAR = { blocked: false, retryAfterSec: 0 }

/** Addresses with a failure in the current window, as far as this process can tell. */
interface RecentFailures {
  add(ip: string): void
  /** False only when `ip` certainly has no failure counted now. */
  has(ip: string): boolean
}

// Sweep expired entries once the map is this large, so addresses that never return are dropped.
const SWEEP_AT = 10_000

/**
 * With the in-process store every failure passes through this process, so an address never
 * seen failing needs no counter lookup: the usual request (a publisher with a good key) then
 * skips an asynchronous store call. Each entry outlives its counter's window (it is refreshed
 * on every failure, the window is not), so the shortcut never skips a blocked address.
 */
function recentFailures(windowMs: number): RecentFailures {
  const until = new Map<string, number>()
  return {
    add(ip) {
      const now = Date.now()
      if (until.size >= SWEEP_AT) for (const [key, end] of until) if (end <= now) until.delete(key)
      until.set(ip, now + windowMs)
    },
    has(ip) {
      const end = until.get(ip)
      if (end === undefined) return false
      if (end > Date.now()) return true
      until.delete(ip)
      return false
    },
  }
}

/**
 * Refuses clients that keep failing authentication, by address. `POST /notify` asks `check`
 * before the key check (answering `429 rate_limited` with `Retry-After` while the address is
 * blocked, whatever key it sends now) and counts each of its 401s with `recordFailure`; the
 * socket handshake shares the same budget.
 *
 * @example
 * const authFailures = authFailureLimiter({ points: 10, durationSec: 300 })
 * if ((await authFailures.check(ip)).blocked) refuse()
 */
export function authFailureLimiter({
  points = 10,
  durationSec = 300,
  store = memoryStore,
}: AuthFailureLimiterOptions = {}): AuthFailureLimiter {
  const limiter = store({ points, duration: durationSec, keyPrefix: 'tidings:auth-failures' })
  const recent = store === memoryStore ? recentFailures(durationSec * 1000) : undefined

  const check = async (ip: string) => {
    if (recent !== undefined && !recent.has(normaliseIp(ip))) return CLEAR
    const state = await limiter.get(normaliseIp(ip)).catch(() => null)
    if (!state || state.consumedPoints < points) return { blocked: false, retryAfterSec: 0 }
    return { blocked: true, retryAfterSec: Math.max(1, Math.ceil(state.msBeforeNext / 1000)) }
  }
  const recordFailure = async (ip: string) => {
    recent?.add(normaliseIp(ip))
    // penalty() counts without refusing: the refusal is check()'s job.
    await limiter.penalty(normaliseIp(ip), 1).catch(() => undefined)
  }
  return { check, recordFailure }
}
