import { waitForServerIdle } from './cpu-window.js'
import { readMemoryAfterGc } from './inspector-memory.js'
import { LightClientPool } from './light-client.js'
import type { BenchOptions } from './options.js'
import { SERVER_CORE, pinProcess } from './pinning.js'
import { connectionsPerSecond, growConnections, type ConnectionRateResult } from './scenarios/connection-rate.js'
import type { FanoutLatencyResult } from './scenarios/fanout-latency.js'
import { measureIdleMemory, type IdleMemoryResult } from './scenarios/idle-memory.js'
import { measureNotifyThroughput, type NotifyThroughputResult } from './scenarios/notify-throughput.js'
import { measureChatSaturation, prepareRoom, type ChatCostResult, type SaturationResult } from './scenarios/room-chat.js'
import { startCpuProfile, type StopProfile } from './cpu-profile.js'
import { startServer, type RunningServer } from './server-process.js'
import type { FloodServerName, ServerName, ServerUnderTest } from './servers/catalog.js'
import type { TutorialFloodResult } from './scenarios/tutorial-flood.js'
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
  /** Measured side by side with the other servers (`runSideBySideRound`); empty if that failed. */
  fanout: FanoutLatencyResult[]
  idleMemory: IdleMemoryResult
  /** Measured side by side with the other servers; missing if that failed. */
  chatCost?: ChatCostResult
  saturation: SaturationResult
  notify: NotifyThroughputResult
}

export type Progress = (line: string) => void

/** Starts a profile of one scenario; resolves with the function that ends it. */
export type ScenarioProfiler = (scenario: string) => Promise<StopProfile>

/**
 * With `--profile`, one `.cpuprofile` per server, round and scenario under the run's profile
 * folder (`.bench/profiles/<run>/<server>-r<round>-<scenario>.cpuprofile`); otherwise nothing.
 */
export function scenarioProfiler(options: Pick<BenchOptions, 'profileDir'>, running: RunningServer, server: string, round: number): ScenarioProfiler {
  const dir = options.profileDir
  if (dir === undefined) return async () => async () => undefined
  return (scenario) => startCpuProfile(running.inspectorUrl, `${dir}/${server}-r${round}-${scenario}.cpuprofile`)
}

/** Runs `work` inside a profile of `scenario` (when profiling). */
export async function profiled<T>(profile: ScenarioProfiler, scenario: string, work: () => Promise<T>): Promise<T> {
  const stop = await profile(scenario)
  try {
    return await work()
  } finally {
    await stop()
  }
}

/** What one server's own round measures; the per-delivery figures come from the side-by-side round. */
export type SoloRoundResult = Omit<RoundResult, 'fanout' | 'chatCost'>

/**
 * One server, one round, in a fresh process, alone: correctness check, then connections grown to
 * each fan-out size (timing the growth, reading idle memory at the largest), room chat
 * saturation with every connection, and last `POST /notify` with all sockets closed.
 */
export async function runServerRound(
  server: ServerUnderTest,
  round: number,
  options: BenchOptions,
  progress: Progress,
): Promise<SoloRoundResult> {
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
    }

    await prepareRoom(pool, server, options.chatSenders)
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
      idleMemory: idleMemory!,
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
  (r.chatCost === undefined || r.chatCost.delivered === r.chatCost.offered)

/** The tutorial's chat flood on one server, in a fresh process. */
export interface FloodRoundResult extends TutorialFloodResult {
  server: FloodServerName
  round: number
}

/** True when the flood's fixed-rate step reached every connection and none was dropped. */
export const floodDelivered = (r: FloodRoundResult): boolean =>
  r.failedConnections === 0 && r.disconnects === 0 && r.latency.delivered === r.latency.offered
