import { openCpuWindow, waitForServerIdle, watchLoadGc } from '../cpu-window.js'
import type { BenchOptions } from '../options.js'
import { processRssBytes } from '../proc-stats.js'
import type { Contender } from '../side-by-side.js'
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
  /** The fixed-rate step every server should keep up with, side by side: latency is read there. */
  latency: {
    rate: number
    offered: number
    delivered: number
    p50: number
    p99: number
    /** Full GCs of the load generator during the step (shared by both servers), and their total pause. */
    loadMajorGcs: number
    loadMajorGcMs: number
  }
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

/** A flood server with its clients connected and joined, ready for the measured steps. */
export interface FloodContender extends Contender<SocketIoClientPool> {
  senders: number
  failedConnections: number
  /** The next message's sequence number on this server. */
  sequence: number
  clientBound: boolean
  /** Stops the RSS sampler; resolves with the peak and the growth over the start. */
  stopRss(): { peakRssBytes: number; rssGrowthBytes: number }
}

/**
 * Opens the flood's real socket.io-client connections to one server and joins them (senders
 * under their own names, receivers under one shared name where the server needs a join), then
 * waits until a message reaches every connection and the server is idle. Samples the server's
 * RSS from before the first connection until `stopRss`.
 */
export async function joinFlood(
  contender: Contender<SocketIoClientPool>,
  receiversJoinRoom: boolean,
  options: Pick<BenchOptions, 'floodClients' | 'floodSenders' | 'connectConcurrency'>,
): Promise<FloodContender> {
  const { pool, running } = contender
  const startRssBytes = processRssBytes(running.pid)
  let peakRssBytes = startRssBytes
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, processRssBytes(running.pid))), RSS_SAMPLE_MS)
  const stopRss = (): { peakRssBytes: number; rssGrowthBytes: number } => {
    clearInterval(sampler)
    return { peakRssBytes, rssGrowthBytes: peakRssBytes - startRssBytes }
  }
  try {
    const failedConnections = await pool.open(options.floodClients, options.connectConcurrency)
    const senders = Math.min(options.floodSenders, pool.size)
    for (let i = 0; i < pool.size; i++) {
      if (i < senders) pool.emit(i, 'join', `flood-sender-${i}`)
      else if (receiversJoinRoom) pool.emit(i, 'join', RECEIVER_NAME)
    }
    const sequence = await untilEveryoneReceives(pool, 0)
    await waitForServerIdle(running.pid)
    return { ...contender, senders, failedConnections, sequence, clientBound: false, stopRss }
  } catch (err) {
    stopRss()
    throw err
  }
}

export type FloodLatency = TutorialFloodResult['latency']

/**
 * The flood's latency step, every server side by side: `rate` messages per second in all, the
 * servers taking turns message by message, `messagesEach` per server; each message carries its
 * send time, and every arrival is timed. Per server: p50 and p99 over all its arrivals.
 */
export async function measureFloodLatencySideBySide(
  contenders: readonly FloodContender[],
  rate: number,
  messagesEach: number,
): Promise<FloodLatency[]> {
  const starts = contenders.map((c) => {
    c.pool.resetLatencies()
    return c.pool.delivered
  })
  const windows = contenders.map((c) => openCpuWindow(c.running.pid))
  const gc = watchLoadGc()
  const sent = contenders.map(() => 0)
  await paced(rate, (messagesEach * contenders.length) / rate, (i) => {
    const at = i % contenders.length
    const c = contenders[at]!
    const n = sent[at]!++
    c.pool.emit(n % c.senders, 'chat-message', floodMessage(c.sequence++, performance.now()))
  })
  const done = await Promise.all(
    contenders.map(async (c, at) => {
      const offered = sent[at]! * c.pool.size
      await c.pool.waitForDelivered(starts[at]! + offered, DRAIN_TIMEOUT_MS)
      c.clientBound ||= windows[at]!.close().clientBound
      return { rate, offered, delivered: c.pool.delivered - starts[at]!, p50: quantile(c.pool.latencies, 0.5), p99: quantile(c.pool.latencies, 0.99) }
    }),
  )
  const { majorGcs, majorGcMs } = gc.stop()
  return done.map((latency) => ({ ...latency, loadMajorGcs: majorGcs, loadMajorGcMs: majorGcMs }))
}

/**
 * The flood's ramp on one server (the others idle): offered rates step up until fewer than 95%
 * of deliveries arrive in time; the best deliveries per second.
 */
export async function measureFloodRamp(
  contender: FloodContender,
  options: Pick<BenchOptions, 'floodRates' | 'floodStepSeconds'>,
): Promise<Pick<TutorialFloodResult, 'deliveriesPerSecond' | 'reached' | 'steps'>> {
  const { pool, running, senders } = contender
  await waitForServerIdle(running.pid)
  const steps: FloodStep[] = []
  let reached = false
  for (const rate of options.floodRates) {
    pool.resetLatencies()
    const start = pool.delivered
    const step = openCpuWindow(running.pid)
    const sent = await offer(pool, senders, rate, options.floodStepSeconds, contender.sequence)
    contender.sequence += sent
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
    contender.clientBound ||= cpu.clientBound
    if (inTime < KEPT_UP * offered) {
      reached = true
      // Let the backlog drain so the server stops on an idle state.
      await pool.waitForDelivered(start + offered, DRAIN_TIMEOUT_MS)
      break
    }
  }
  return { deliveriesPerSecond: Math.max(...steps.map((s) => s.perSecond)), reached, steps }
}
