import type { StopProfile } from '../cpu-profile.js'
import { openCpuWindow, waitForServerIdle } from '../cpu-window.js'
import type { BenchOptions } from '../options.js'
import { processRssBytes } from '../proc-stats.js'
import { floodMessage, type SocketIoClientPool } from '../socketio-client-pool.js'
import { paced, quantile } from '../stats.js'

// As in the room chat scenario: receivers share one name, so joining is not an N² storm where a
// server announces each join to everyone. Only the hub needs receivers to join (its chat is
// per room); the tutorial server sends every message to every connection anyway.
const RECEIVER_NAME = 'flood-listener'
const DRAIN_TIMEOUT_MS = 20_000
const STEP_GRACE_MS = 500
const KEPT_UP = 0.95
const RSS_SAMPLE_MS = 100

export interface FloodStep {
  /** Offered chat messages per second, over all senders. */
  rate: number
  /** Deliveries expected: messages × receivers. */
  offered: number
  inTime: number
  perSecond: number
  p99: number
  clientLoad: number
}

export interface TutorialFloodResult {
  clients: number
  senders: number
  failedConnections: number
  /** Connections the server closed during the run (e.g. a slow-consumer guard). */
  disconnects: number
  /** The fixed-rate step every server should keep up with: latency is read there. */
  latency: { rate: number; offered: number; delivered: number; p50: number; p99: number }
  /** The best deliveries per second of the ramp. */
  deliveriesPerSecond: number
  /** False when the ramp never fell behind: the figure is then a lower bound. */
  reached: boolean
  steps: FloodStep[]
  /** Highest resident set size of the server over the run (connections, flood and all). */
  peakRssBytes: number
  /** What the run added to the server's RSS: the peak minus the RSS before the first connection. */
  rssGrowthBytes: number
  clientBound: boolean
}

const JOIN_PROBES = 20
const PROBE_TIMEOUT_MS = 2_000

/**
 * Waits until joining is over: a message from the first sender must reach every connection.
 * Until a server has handled every join (on the hub, a receiver gets room messages only once
 * its join is handled), a probe reaches fewer; the join work must not overlap a measured step.
 */
async function untilEveryoneReceives(pool: SocketIoClientPool, sequence: number): Promise<number> {
  for (let probe = 0; probe < JOIN_PROBES; probe++) {
    const before = pool.delivered
    pool.emit(0, 'chat-message', floodMessage(sequence + probe, performance.now()))
    if (Number.isFinite(await pool.waitForDelivered(before + pool.size, PROBE_TIMEOUT_MS))) return probe + 1
  }
  throw new Error(`joining did not finish: after ${JOIN_PROBES} probes, a message still did not reach every connection`)
}

/** Posts `rate` messages per second for `seconds`, round-robin over the senders, each carrying its send time. */
function offer(pool: SocketIoClientPool, senders: number, rate: number, seconds: number, from: number): Promise<number> {
  return paced(rate, seconds, (i) => pool.emit(i % senders, 'chat-message', floodMessage(from + i, performance.now())))
}

/**
 * The comparison users make first: the tutorial's chat with many real socket.io-client
 * connections, some of them posting, every message to everyone. A fixed-rate step gives the
 * latency (send → each arrival, p50/p99 over every delivery); a ramp of offered rates, each
 * step stopping the ramp once fewer than 95% of deliveries arrive in time, gives the best
 * deliveries per second.
 */
export async function measureTutorialFlood(
  pool: SocketIoClientPool,
  serverPid: number,
  receiversJoinRoom: boolean,
  options: Pick<BenchOptions, 'floodClients' | 'floodSenders' | 'floodLatencyRate' | 'floodRates' | 'floodStepSeconds' | 'connectConcurrency'>,
  /** Called as each measured step starts (`flood-latency`, `flood-ramp`), e.g. to profile it. */
  onScenario: (name: string) => Promise<StopProfile>,
): Promise<TutorialFloodResult> {
  const startRssBytes = processRssBytes(serverPid)
  let peakRssBytes = startRssBytes
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, processRssBytes(serverPid))), RSS_SAMPLE_MS)
  try {
    const failedConnections = await pool.open(options.floodClients, options.connectConcurrency)
    const senders = Math.min(options.floodSenders, pool.size)
    for (let i = 0; i < pool.size; i++) {
      if (i < senders) pool.emit(i, 'join', `flood-sender-${i}`)
      else if (receiversJoinRoom) pool.emit(i, 'join', RECEIVER_NAME)
    }
    let sequence = await untilEveryoneReceives(pool, 0)
    await waitForServerIdle(serverPid)
    let clientBound = false

    let stopProfile = await onScenario('flood-latency')
    pool.resetLatencies()
    const before = pool.delivered
    const window = openCpuWindow(serverPid)
    const messages = await offer(pool, senders, options.floodLatencyRate, options.floodStepSeconds, sequence)
    sequence += messages
    const expected = messages * pool.size
    await pool.waitForDelivered(before + expected, DRAIN_TIMEOUT_MS)
    clientBound ||= window.close().clientBound
    await stopProfile()
    const latency = {
      rate: options.floodLatencyRate,
      offered: expected,
      delivered: pool.delivered - before,
      p50: quantile(pool.latencies, 0.5),
      p99: quantile(pool.latencies, 0.99),
    }
    await waitForServerIdle(serverPid)

    stopProfile = await onScenario('flood-ramp')
    const steps: FloodStep[] = []
    let reached = false
    for (const rate of options.floodRates) {
      pool.resetLatencies()
      const start = pool.delivered
      const step = openCpuWindow(serverPid)
      const sent = await offer(pool, senders, rate, options.floodStepSeconds, sequence)
      sequence += sent
      const offered = sent * pool.size
      await pool.waitForDelivered(start + offered, STEP_GRACE_MS)
      const cpu = step.close()
      const inTime = pool.delivered - start
      steps.push({
        rate,
        offered,
        inTime,
        perSecond: inTime / (cpu.wallMicros / 1e6),
        p99: quantile(pool.latencies, 0.99),
        clientLoad: cpu.clientLoad,
      })
      clientBound ||= cpu.clientBound
      if (inTime < KEPT_UP * offered) {
        reached = true
        // Let the backlog drain so the server stops on an idle state.
        await pool.waitForDelivered(start + offered, DRAIN_TIMEOUT_MS)
        break
      }
    }
    await stopProfile()
    return {
      clients: pool.size,
      senders,
      failedConnections,
      disconnects: pool.disconnects,
      latency,
      deliveriesPerSecond: Math.max(...steps.map((s) => s.perSecond)),
      reached,
      steps,
      peakRssBytes,
      rssGrowthBytes: peakRssBytes - startRssBytes,
      clientBound,
    }
  } finally {
    clearInterval(sampler)
  }
}
