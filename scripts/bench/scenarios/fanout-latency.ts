import { CLIENT_BOUND_LOAD } from '../cpu-window.js'
import type { LightClientPool } from '../light-client.js'
import { postNotify } from '../notify-request.js'
import { alternate, costOf, type Contender } from '../side-by-side.js'
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
// Lets a server finish one post's writes before it is charged, and before the next post anywhere.
const SETTLE_MS = 20

interface Tally {
  samples: number[]
  serverCpuMicros: number
  clientCpuMicros: number
  wallMicros: number
  start: number
}

/**
 * Notification fan-out on every contender side by side: `posts` rounds of one `POST /notify`
 * per server in turn (see `alternate`), each timed until every connection of that server has it.
 * Per server: latency to the last receiver, and server CPU per delivery over its own posts.
 */
export async function measureFanoutSideBySide(
  contenders: readonly Contender<LightClientPool>[],
  posts: number,
): Promise<FanoutLatencyResult[]> {
  const tallies = new Map<Contender<LightClientPool>, Tally>(
    contenders.map((c) => [c, { samples: [], serverCpuMicros: 0, clientCpuMicros: 0, wallMicros: 0, start: c.pool.counts.notification }]),
  )
  await alternate(contenders, posts, async (contender, i) => {
    const { pool, running, cpu } = contender
    const tally = tallies.get(contender)!
    const cost = await costOf(cpu, SETTLE_MS, async () => {
      const sent = performance.now()
      const lastArrival = pool.waitForCount('notification', pool.counts.notification + pool.size, DELIVERY_TIMEOUT_MS)
      const status = await postNotify(running.url, `bench fan-out ${i}`)
      const arrived = await lastArrival
      if (status === 202 && Number.isFinite(arrived)) tally.samples.push(arrived - sent)
    })
    tally.serverCpuMicros += cost.serverCpuMicros
    tally.clientCpuMicros += cost.clientCpuMicros
    tally.wallMicros += cost.wallMicros
  })
  return contenders.map((contender) => {
    const { pool } = contender
    const tally = tallies.get(contender)!
    const delivered = pool.counts.notification - tally.start
    return {
      receivers: pool.size,
      p50: quantile(tally.samples, 0.5),
      p99: quantile(tally.samples, 0.99),
      samples: tally.samples,
      expected: posts * pool.size,
      delivered,
      cpuMicrosPerDelivery: tally.serverCpuMicros / delivered,
      clientBound: tally.clientCpuMicros / tally.wallMicros >= CLIENT_BOUND_LOAD,
    }
  })
}
