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
import { startServer } from './server-process.js'
import type { ServerName, ServerUnderTest } from './servers/catalog.js'
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
  const profiling = options.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`]
  const running = await startServer(server.launch(), profiling)
  if (options.pin) pinProcess(running.pid, SERVER_CORE)
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
      const growth = await growConnections(pool, size, options.connectConcurrency, running.pid)
      connections.push(growth)
      say(`${pool.size} connected (${growth.failed} failed), ${Math.round(growth.connected / growth.seconds)} conn/s`)
      await pool.settle(200)
      await waitForServerIdle(running.pid)
      if (size === largest) {
        idleMemory = await measureIdleMemory(running.inspectorUrl, empty, pool.size)
        say(`idle ${kb(idleMemory.heapPerConnection)} KB heap, ${kb(idleMemory.rssPerConnection)} KB RSS per connection`)
      }
      const latency = await measureFanoutLatency(pool, running.url, options.postsPerSize)
      fanout.push(latency)
      say(`POST→last of ${latency.receivers}: p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms`)
    }

    await prepareRoom(pool, server, options.chatSenders)
    await waitForServerIdle(running.pid)
    const chatCost = await measureChatCost(pool, running.pid, options.chatSenders, options.chatRate, options.chatSeconds)
    say(`chat ${options.chatRate} msg/s to ${pool.size}: ${chatCost.cpuMicrosPerDelivery.toFixed(2)} µs server CPU/delivery`)
    await waitForServerIdle(running.pid)
    const saturation = await measureChatSaturation(
      pool,
      running.pid,
      options.chatSenders,
      options.saturationRates,
      options.saturationStepSeconds,
    )
    say(`chat saturation ${saturation.reached ? '' : '≥ '}${Math.round(saturation.deliveriesPerSecond)} deliveries/s`)

    pool.closeAll()
    // The server tears the sockets down before the HTTP figure starts.
    await waitForServerIdle(running.pid)
    const notify = await measureNotifyThroughput(
      running.url,
      running.pid,
      options.notifySeconds,
      options.notifyConnections,
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
