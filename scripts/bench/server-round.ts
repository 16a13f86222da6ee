import { waitForServerIdle } from './cpu-window.js'
import { readMemoryAfterGc } from './inspector-memory.js'
import { LightClientPool } from './light-client.js'
import type { BenchOptions } from './options.js'
import { SERVER_CORE, pinProcess } from './pinning.js'
import { connectionsPerSecond, growConnections, type ConnectionRateResult } from './scenarios/connection-rate.js'
import { measureFanoutLatency, type FanoutLatencyResult } from './scenarios/fanout-latency.js'
import { measureIdleMemory, type IdleMemoryResult } from './scenarios/idle-memory.js'
import { measureNotifyThroughput, type NotifyThroughputResult } from './scenarios/notify-throughput.js'
import {
  measureChatCost,
  measureChatSaturation,
  prepareRoom,
  type ChatCostResult,
  type SaturationResult,
} from './scenarios/room-chat.js'
import { startCpuProfile, type StopProfile } from './cpu-profile.js'
import { startServer, type RunningServer } from './server-process.js'
import type { FLOOD_SERVERS, FloodServerName, ServerName, ServerUnderTest } from './servers/catalog.js'
import { SocketIoClientPool } from './socketio-client-pool.js'
import { measureTutorialFlood, type TutorialFloodResult } from './scenarios/tutorial-flood.js'
import { checkWithSocketIoClient } from './smoke-check.js'
import { sleep } from './stats.js'

/** Everything measured on one server in one round. */
export interface RoundResult {
  server: ServerName
  round: number
  /** socket.io-client check problems; empty when the server speaks the protocol. */
  correctness: string[]
  connections: ConnectionRateResult[]
  connectionsPerSecond: number
  fanout: FanoutLatencyResult[]
  idleMemory: IdleMemoryResult
  chatCost: ChatCostResult
  saturation: SaturationResult
  notify: NotifyThroughputResult
}

export type Progress = (line: string) => void

/** Starts a profile of one scenario; resolves with the function that ends it. */
type ScenarioProfiler = (scenario: string) => Promise<StopProfile>

/**
 * With `--profile`, one `.cpuprofile` per server, round and scenario under the run's profile
 * folder (`.bench/profiles/<run>/<server>-r<round>-<scenario>.cpuprofile`); otherwise nothing.
 */
function scenarioProfiler(options: BenchOptions, running: RunningServer, server: string, round: number): ScenarioProfiler {
  const dir = options.profileDir
  if (dir === undefined) return async () => async () => undefined
  return (scenario) => startCpuProfile(running.inspectorUrl, `${dir}/${server}-r${round}-${scenario}.cpuprofile`)
}

/** Runs `work` inside a profile of `scenario` (when profiling). */
async function profiled<T>(profile: ScenarioProfiler, scenario: string, work: () => Promise<T>): Promise<T> {
  const stop = await profile(scenario)
  try {
    return await work()
  } finally {
    await stop()
  }
}

/**
 * One server, one round, in a fresh process: correctness check, then connections grown to each
 * fan-out size (timing the growth, reading idle memory at the largest), fan-out latency at each
 * size, room chat cost and saturation with every connection, and last `POST /notify` with all
 * sockets closed.
 */
export async function runServerRound(
  server: ServerUnderTest,
  round: number,
  options: BenchOptions,
  progress: Progress,
): Promise<RoundResult> {
  const running = await startServer(server.launch())
  if (options.pin) pinProcess(running.pid, SERVER_CORE)
  const profile = scenarioProfiler(options, running, server.name, round)
  const pool = new LightClientPool(running.url)
  const say = (line: string): void => progress(`round ${round} ${server.label}: ${line}`)
  try {
    const correctness = await checkWithSocketIoClient(running.url)
    say(correctness.length === 0 ? 'socket.io-client check passed' : `socket.io-client check FAILED: ${correctness.join('; ')}`)
    await sleep(200)
    const empty = await readMemoryAfterGc(running.inspectorUrl)

    const connections: ConnectionRateResult[] = []
    const fanout: FanoutLatencyResult[] = []
    let idleMemory: IdleMemoryResult | undefined
    const largest = Math.max(...options.fanoutSizes)
    for (const size of options.fanoutSizes) {
      const growth = await profiled(profile, `connect-${size}`, () =>
        growConnections(pool, size, options.connectConcurrency, running.pid),
      )
      connections.push(growth)
      say(`${pool.size} connected (${growth.failed} failed), ${Math.round(growth.connected / growth.seconds)} conn/s`)
      await pool.settle(200)
      await waitForServerIdle(running.pid)
      if (size === largest) {
        idleMemory = await measureIdleMemory(running.inspectorUrl, empty, pool.size)
        say(`idle ${kb(idleMemory.heapPerConnection)} KB heap, ${kb(idleMemory.rssPerConnection)} KB RSS per connection`)
      }
      const latency = await profiled(profile, `fanout-${size}`, () =>
        measureFanoutLatency(pool, running.url, running.pid, options.postsPerSize),
      )
      fanout.push(latency)
      say(
        `POST→last of ${latency.receivers}: p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, ` +
          `${latency.cpuMicrosPerDelivery.toFixed(2)} µs server CPU/delivery`,
      )
    }

    await prepareRoom(pool, server, options.chatSenders)
    await waitForServerIdle(running.pid)
    const chatCost = await profiled(profile, 'room-chat', () =>
      measureChatCost(pool, running.pid, options.chatSenders, options.chatRate, options.chatSeconds),
    )
    say(`chat ${options.chatRate} msg/s to ${pool.size}: ${chatCost.cpuMicrosPerDelivery.toFixed(2)} µs server CPU/delivery`)
    await waitForServerIdle(running.pid)
    const saturation = await profiled(profile, 'chat-saturation', () =>
      measureChatSaturation(pool, running.pid, options.chatSenders, options.saturationRates, options.saturationStepSeconds),
    )
    say(`chat saturation ${saturation.reached ? '' : '≥ '}${Math.round(saturation.deliveriesPerSecond)} deliveries/s`)

    pool.closeAll()
    // The server tears the sockets down before the HTTP figure starts.
    await waitForServerIdle(running.pid)
    const notify = await profiled(profile, 'notify-http', () =>
      measureNotifyThroughput(running.url, running.pid, options.notifySeconds, options.notifyConnections),
    )
    say(`POST /notify ${Math.round(notify.requestsPerSecond)} req/s`)

    if (running.death()) throw new Error(running.death())
    return {
      server: server.name,
      round,
      correctness,
      connections,
      connectionsPerSecond: connectionsPerSecond(connections),
      fanout,
      idleMemory: idleMemory!,
      chatCost,
      saturation,
      notify,
    }
  } catch (err) {
    // A figure read from a dead process is meaningless: say why it died instead.
    throw new Error(`${server.label}: ${running.death() ?? (err as Error).message}`)
  } finally {
    pool.closeAll()
    await running.stop()
  }
}

const kb = (bytes: number): string => (bytes / 1024).toFixed(2)

/** True when every message the round sent reached every connection it was meant for. */
export const allDelivered = (r: RoundResult): boolean =>
  r.correctness.length === 0 &&
  r.connections.every((c) => c.failed === 0) &&
  r.fanout.every((f) => f.delivered === f.expected) &&
  r.chatCost.delivered === r.chatCost.offered

/** The tutorial's chat flood on one server, in a fresh process. */
export interface FloodRoundResult extends TutorialFloodResult {
  server: FloodServerName
  round: number
}

/**
 * One server, one round of the tutorial's chat flood: a fresh process, real socket.io-client
 * connections opened and joined, the fixed-rate latency step, then the ramp (see
 * `measureTutorialFlood`).
 */
export async function runFloodRound(
  server: (typeof FLOOD_SERVERS)[number],
  round: number,
  options: BenchOptions,
  progress: Progress,
): Promise<FloodRoundResult> {
  const running = await startServer(server.launch())
  if (options.pin) pinProcess(running.pid, SERVER_CORE)
  const profile = scenarioProfiler(options, running, server.name, round)
  const pool = new SocketIoClientPool(running.url)
  const say = (line: string): void => progress(`round ${round} ${server.label} flood: ${line}`)
  try {
    const result = await measureTutorialFlood(pool, running.pid, server.receiversJoinRoom, options, profile)
    say(
      `${result.clients} clients, ${result.senders} senders: p99 ${result.latency.p99.toFixed(1)} ms at ` +
        `${result.latency.rate} msg/s (${result.latency.delivered}/${result.latency.offered} delivered), ` +
        `${result.reached ? '' : '≥ '}${Math.round(result.deliveriesPerSecond)} deliveries/s, ` +
        `RSS +${(result.rssGrowthBytes / 2 ** 20).toFixed(0)} MB (peak ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MB)`,
    )
    if (running.death()) throw new Error(running.death())
    return { server: server.name, round, ...result }
  } catch (err) {
    throw new Error(`${server.label} flood: ${running.death() ?? (err as Error).message}`)
  } finally {
    pool.closeAll()
    await running.stop()
  }
}

/** True when the flood's fixed-rate step reached every connection and none was dropped. */
export const floodDelivered = (r: FloodRoundResult): boolean =>
  r.failedConnections === 0 && r.disconnects === 0 && r.latency.delivered === r.latency.offered
