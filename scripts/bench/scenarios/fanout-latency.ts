import type { LightClientPool } from '../light-client.js'
import { postNotify } from '../notify-request.js'
import { takeTurns, type Contender } from '../side-by-side.js'
import { quantile } from '../stats.js'

export interface FanoutLatencyResult {
  receivers: number
  /** Milliseconds from sending `POST /notify` to the last receiver getting the notification. */
  p50: number
  p99: number
  samples: number[]
  expected: number
  delivered: number
  /** Server CPU (user + system) over all the posts, per delivered notification, in microseconds. */
  cpuMicrosPerDelivery: number
  clientBound: boolean
}

const DELIVERY_TIMEOUT_MS = 10_000

/**
 * Notification fan-out on every contender side by side: `posts` rounds of one `POST /notify`
 * per server in turn (see `takeTurns`), each timed until every connection of that server has it.
 * Per server: latency to the last receiver, and server CPU per delivery over its own posts.
 */
export async function measureFanoutSideBySide(
  contenders: readonly Contender<LightClientPool>[],
  posts: number,
): Promise<FanoutLatencyResult[]> {
  const samples = new Map(contenders.map((c) => [c, [] as number[]]))
  const starts = contenders.map((c) => c.pool.counts.notification)
  const costs = await takeTurns(contenders, posts, async (contender, i) => {
    const { pool, running } = contender
    const sent = performance.now()
    const lastArrival = pool.waitForCount('notification', pool.counts.notification + pool.size, DELIVERY_TIMEOUT_MS)
    const status = await postNotify(running.url, `bench fan-out ${i}`)
    const arrived = await lastArrival
    if (status === 202 && Number.isFinite(arrived)) samples.get(contender)!.push(arrived - sent)
  })
  return contenders.map((contender, at) => {
    const { pool } = contender
    const mine = samples.get(contender)!
    const delivered = pool.counts.notification - starts[at]!
    return {
      receivers: pool.size,
      p50: quantile(mine, 0.5),
      p99: quantile(mine, 0.99),
      samples: mine,
      expected: posts * pool.size,
      delivered,
      cpuMicrosPerDelivery: costs[at]!.serverCpuMicros / delivered,
      clientBound: costs[at]!.clientBound,
    }
  })
}
