/** Value at quantile `q` (0..1) of the samples, nearest-rank; NaN when there are none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank]!
}

export const median = (samples: readonly number[]): number => quantile(samples, 0.5)

/** Median and spread of one figure over rounds, NaNs (missing rounds) left out. */
export interface Spread {
  median: number
  min: number
  max: number
  rounds: number
}

export function spread(values: readonly number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v))
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, rounds: 0 }
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), rounds: finite.length }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Calls `send(i)` for i = 0, 1, … at `rate` per second for `seconds` (at least once), on
 * schedule; resolves with how many were sent.
 *
 * @example
 * const sent = await paced(20, 2, (i) => pool.emit(i % senders, 'chat-message', `message ${i}`))
 */
export async function paced(rate: number, seconds: number, send: (index: number) => void): Promise<number> {
  const total = Math.max(1, Math.round(rate * seconds))
  const intervalMs = 1000 / rate
  const start = performance.now()
  for (let sent = 0; sent < total; ) {
    const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1)
    // Catch up if a timer fired late, so the offered rate holds on a busy machine.
    for (; sent < due; sent++) send(sent)
    if (sent < total) await sleep(Math.max(0, start + sent * intervalMs - performance.now()))
  }
  return total
}
