import { CLIENT_BOUND_LOAD } from './cpu-window.js'
import { openInspector } from './inspector-session.js'
import type { RunningServer } from './server-process.js'

/**
 * A server's own CPU clock (user + system, all threads, microseconds), read through its V8
 * inspector: `/proc/<pid>/stat` counts in 10 ms ticks, coarser than one post's whole cost.
 */
export interface CpuMeter {
  read(): Promise<number>
  close(): void
}

const CPU_EXPRESSION = '(() => { const u = process.cpuUsage(); return u.user + u.system })()'

export async function openCpuMeter(inspectorUrl: string): Promise<CpuMeter> {
  const session = await openInspector(inspectorUrl)
  return {
    read: async () => (await session.call<{ result: { value: number } }>('Runtime.evaluate', { expression: CPU_EXPRESSION, returnByValue: true })).result.value,
    close: session.close,
  }
}

/**
 * One server of a side-by-side measurement: its process, its CPU meter and its own connections.
 * Every server of the measurement is running at once; only one is given work at a time.
 */
export interface Contender<Pool> {
  name: string
  running: RunningServer
  cpu: CpuMeter
  pool: Pool
}

/** What one contender's turns cost it, summed over all of them. */
export interface TurnsCost {
  serverCpuMicros: number
  /** The load generator was near a full core during the turns: the figure may be client-bound. */
  clientBound: boolean
}

// Lets a server finish one turn's writes and callbacks before it is charged, and before the next
// turn anywhere: what trails the last delivery counts for the server that caused it.
const SETTLE_MS = 20

/**
 * Gives every contender the same work in turns: unit `i` goes to each contender, and the order
 * rotates with `i`, so no server always follows the same one. Drift in the machine's load (other
 * processes, a neighbour's burst) then lands on every server alike, which sequential rounds
 * cannot promise on a shared machine: their medians move by more than the differences measured.
 *
 * Each turn is charged the server's CPU from its start until 20 ms after `turn` resolves (one
 * inspector evaluation per reading, the same for every server). Resolves with each contender's
 * summed cost, in `contenders` order.
 *
 * @example
 * const [hub, plain] = await takeTurns([hubContender, plainContender], 30, (c, i) => postAndWait(c, i))
 */
export async function takeTurns<C extends Contender<unknown>>(
  contenders: readonly C[],
  units: number,
  turn: (contender: C, unit: number) => Promise<void>,
): Promise<TurnsCost[]> {
  const sums = contenders.map(() => ({ server: 0, client: 0, wall: 0 }))
  for (let unit = 0; unit < units; unit++) {
    for (let k = 0; k < contenders.length; k++) {
      const at = (unit + k) % contenders.length
      const contender = contenders[at]!
      const server0 = await contender.cpu.read()
      const client0 = process.cpuUsage()
      const wall0 = performance.now()
      await turn(contender, unit)
      const client = process.cpuUsage(client0)
      const sum = sums[at]!
      sum.client += client.user + client.system
      sum.wall += (performance.now() - wall0) * 1000
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
      sum.server += (await contender.cpu.read()) - server0
    }
  }
  return sums.map((sum) => ({ serverCpuMicros: sum.server, clientBound: sum.client / sum.wall >= CLIENT_BOUND_LOAD }))
}
