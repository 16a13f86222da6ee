import { waitForLoadIdle, waitForServerIdle } from './cpu-window.js'
import type { StopProfile } from './cpu-profile.js'
import { LightClientPool } from './light-client.js'
import type { BenchOptions } from './options.js'
import { SERVER_CORE, pinProcess } from './pinning.js'
import { measureFanoutSideBySide, type FanoutLatencyResult } from './scenarios/fanout-latency.js'
import { measureChatCostSideBySide, prepareRoom, type ChatCostResult } from './scenarios/room-chat.js'
import {
  joinFlood,
  measureFloodLatencySideBySide,
  measureFloodRamp,
  type FloodContender,
} from './scenarios/tutorial-flood.js'
import { scenarioProfiler, type FloodRoundResult, type Progress } from './server-round.js'
import { startServer, type RunningServer } from './server-process.js'
import type { FLOOD_SERVERS, ServerUnderTest } from './servers/catalog.js'
import { openCpuMeter, type Contender } from './side-by-side.js'
import { SocketIoClientPool } from './socketio-client-pool.js'

/** The per-delivery figures of one server, measured side by side with the others. */
export interface SideBySideResult {
  fanout: FanoutLatencyResult[]
  chatCost: ChatCostResult
}

type FloodServer = (typeof FLOOD_SERVERS)[number]

/** What the side-by-side round reads from the bench's options. */
export type SideBySideOptions = Pick<
  BenchOptions,
  'fanoutSizes' | 'postsPerSize' | 'chatSenders' | 'chatMessages' | 'connectConcurrency' | 'pin' | 'profileDir'
>

/** What a side-by-side round has opened, so that a failure part-way still closes all of it. */
interface Opened {
  servers: RunningServer[]
  /** Closes the client pools and the CPU meters. */
  closers: (() => void)[]
}

/** Starts every server at once (fresh processes, pinned like the solo rounds), each with a new pool. */
async function startAll<Pool extends { closeAll(): void }, S extends { name: string; launch: ServerUnderTest['launch'] }>(
  servers: readonly S[],
  options: Pick<BenchOptions, 'pin'>,
  pool: (url: string) => Pool,
  opened: Opened,
): Promise<(Contender<Pool> & { server: S })[]> {
  const contenders: (Contender<Pool> & { server: S })[] = []
  for (const server of servers) {
    const running = await startServer(server.launch())
    opened.servers.push(running)
    if (options.pin) pinProcess(running.pid, SERVER_CORE)
    const own = pool(running.url)
    opened.closers.push(() => own.closeAll())
    const cpu = await openCpuMeter(running.inspectorUrl)
    opened.closers.push(cpu.close)
    contenders.push({ name: server.name, server, running, cpu, pool: own })
  }
  return contenders
}

async function closeAll(opened: Opened): Promise<void> {
  for (const close of opened.closers) close()
  await Promise.all(opened.servers.map((s) => s.stop()))
}

/** With `--profile`, one profile per server around a side-by-side scenario. */
async function profiledAll<T>(options: Pick<BenchOptions, 'profileDir'>, round: number, contenders: readonly Contender<unknown>[], scenario: string, work: () => Promise<T>): Promise<T> {
  const stops: StopProfile[] = []
  for (const c of contenders) stops.push(await scenarioProfiler(options, c.running, c.name, round)(scenario))
  try {
    return await work()
  } finally {
    for (const stop of stops) await stop()
  }
}

/** Rethrows a failure as the death of whichever server died, if one did: a dead server's figures mean nothing. */
function explain(err: unknown, { servers }: Opened, what: string): Error {
  const death = servers.map((s) => s.death()).find((d) => d !== undefined)
  return new Error(`${what}: ${death ?? (err as Error).message}`)
}

/**
 * The per-delivery figures of one round, every server side by side: all of them running at
 * once, each with its own connections, taking turns post by post (notification fan-out at each
 * size) and message by message (room chat cost), so that the machine's drift lands on all of
 * them alike (see `takeTurns`). Resolves with one result per server, in `servers` order (two
 * builds of one server may take part: see `npm run bench:paired`).
 */
export async function runSideBySideRound(
  servers: readonly ServerUnderTest[],
  round: number,
  options: SideBySideOptions,
  progress: Progress,
): Promise<SideBySideResult[]> {
  const opened: Opened = { servers: [], closers: [] }
  const say = (line: string): void => progress(`round ${round} side by side: ${line}`)
  try {
    const contenders = await startAll(servers, options, (url) => new LightClientPool(url), opened)
    const fanout = servers.map((): FanoutLatencyResult[] => [])
    for (const size of options.fanoutSizes) {
      for (const { pool, running, server } of contenders) {
        const { failed } = await pool.open(size - pool.size, options.connectConcurrency)
        if (failed > 0) throw new Error(`${server.label}: ${failed} connections failed`)
        await pool.settle(200)
        await waitForServerIdle(running.pid)
      }
      const results = await profiledAll(options, round, contenders, `fanout-${size}`, () =>
        measureFanoutSideBySide(contenders, options.postsPerSize),
      )
      for (const [at, { server }] of contenders.entries()) {
        const r = results[at]!
        fanout[at]!.push(r)
        say(`${server.label} POST→last of ${r.receivers}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.cpuMicrosPerDelivery.toFixed(2)} µs server CPU/delivery`)
      }
    }
    for (const { pool, running, server } of contenders) {
      await prepareRoom(pool, server, options.chatSenders)
      await waitForServerIdle(running.pid)
    }
    const chat = await profiledAll(options, round, contenders, 'room-chat', () =>
      measureChatCostSideBySide(contenders, options.chatSenders, options.chatMessages),
    )
    for (const [at, { server, pool }] of contenders.entries()) {
      say(`${server.label} chat to ${pool.size}: ${chat[at]!.cpuMicrosPerDelivery.toFixed(2)} µs server CPU/delivery`)
    }
    for (const s of opened.servers) if (s.death()) throw new Error(s.death())
    return contenders.map((_, at) => ({ fanout: fanout[at]!, chatCost: chat[at]! }))
  } catch (err) {
    throw explain(err, opened, 'side by side')
  } finally {
    await closeAll(opened)
  }
}

/**
 * One round of the tutorial's chat flood: the hub and the tutorial's server in fresh processes,
 * each with its own real socket.io-client connections, joined; the latency step side by side
 * (messages alternating between the servers), then each server's ramp alone.
 */
export async function runFloodRound(
  servers: readonly FloodServer[],
  round: number,
  options: BenchOptions,
  progress: Progress,
): Promise<FloodRoundResult[]> {
  const opened: Opened = { servers: [], closers: [] }
  const joined: (FloodContender & { server: FloodServer })[] = []
  try {
    const contenders = await startAll(servers, options, (url) => new SocketIoClientPool(url), opened)
    // Both at once: joined one after the other, whichever server joined last measured a worse
    // p99 (up to 2.5×, in either server's favour, warm-up or not), so neither may go first.
    const all = await Promise.allSettled(contenders.map(async (c) => ({ ...(await joinFlood(c, c.server.receiversJoinRoom, options)), server: c.server })))
    for (const settled of all) if (settled.status === 'fulfilled') joined.push(settled.value)
    for (const settled of all) if (settled.status === 'rejected') throw settled.reason
    for (const c of joined) await waitForServerIdle(c.running.pid)
    await waitForLoadIdle()
    // Unmeasured: the first messages after the join storms are slower on either server (the
    // clients are still settling); a short alternating run first puts both in the same state.
    await measureFloodLatencySideBySide(joined, options.floodLatencyRate, options.floodWarmupMessages)
    for (const c of joined) await waitForServerIdle(c.running.pid)
    await waitForLoadIdle()
    const latencies = await profiledAll(options, round, joined, 'flood-latency', () =>
      measureFloodLatencySideBySide(joined, options.floodLatencyRate, options.floodLatencyMessages),
    )
    const results: FloodRoundResult[] = []
    for (const [at, c] of joined.entries()) {
      const ramp = await profiledAll(options, round, [c], 'flood-ramp', () => measureFloodRamp(c, options))
      const latency = latencies[at]!
      const result: FloodRoundResult = {
        server: c.server.name,
        round,
        clients: c.pool.size,
        senders: c.senders,
        failedConnections: c.failedConnections,
        disconnects: c.pool.disconnects,
        latency,
        ...ramp,
        ...c.stopRss(),
        clientBound: c.clientBound,
      }
      progress(
        `round ${round} ${c.server.label} flood: ${result.clients} clients, ${result.senders} senders: p99 ${latency.p99.toFixed(1)} ms ` +
          `(${latency.delivered}/${latency.offered} delivered; load generator: ${latency.loadMajorGcs} full GCs, ${latency.loadMajorGcMs.toFixed(0)} ms), ${result.reached ? '' : '≥ '}${Math.round(result.deliveriesPerSecond)} deliveries/s, ` +
          `RSS +${(result.rssGrowthBytes / 2 ** 20).toFixed(0)} MB (peak ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MB)`,
      )
      results.push(result)
    }
    for (const s of opened.servers) if (s.death()) throw new Error(s.death())
    return results
  } catch (err) {
    throw explain(err, opened, 'flood')
  } finally {
    for (const c of joined) c.stopRss()
    await closeAll(opened)
  }
}
