import type { LightClientPool } from '../light-client.js'
import { postNotify } from '../notify-request.js'
import { quantile, sleep } from '../stats.js'
import { CLIENT_BOUND_LOAD, openCpuWindow } from '../cpu-window.js'

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
// Lets the server finish the previous post's writes so each sample starts from idle.
const GAP_MS = 20

/** Posts `posts` notifications one after another, timing each until every connection has it. */
export async function measureFanoutLatency(
  pool: LightClientPool,
  baseUrl: string,
  serverPid: number,
  posts: number,
): Promise<FanoutLatencyResult> {
  const receivers = pool.size
  const start = pool.counts.notification
  // The gaps between posts are idle: CPU time, unlike wall time, does not count them.
  const window = openCpuWindow(serverPid)
  const samples: number[] = []
  let busyMicros = 0
  let cpuMicros = 0
  for (let i = 0; i < posts; i++) {
    const target = pool.counts.notification + receivers
    const cpu0 = process.cpuUsage()
    const sent = performance.now()
    const lastArrival = pool.waitForCount('notification', target, DELIVERY_TIMEOUT_MS)
    const status = await postNotify(baseUrl, `bench fan-out ${i}`)
    const arrived = await lastArrival
    const cpu = process.cpuUsage(cpu0)
    busyMicros += (performance.now() - sent) * 1000
    cpuMicros += cpu.user + cpu.system
    if (status === 202 && Number.isFinite(arrived)) samples.push(arrived - sent)
    await sleep(GAP_MS)
  }
  await pool.settle(100, 2_000)
  const serverCpuMicros = window.close().serverCpuMicros
  const delivered = pool.counts.notification - start
  return {
    receivers,
    p50: quantile(samples, 0.5),
    p99: quantile(samples, 0.99),
    samples,
    expected: posts * receivers,
    delivered,
    cpuMicrosPerDelivery: serverCpuMicros / delivered,
    clientBound: cpuMicros / busyMicros >= CLIENT_BOUND_LOAD,
  }
}
