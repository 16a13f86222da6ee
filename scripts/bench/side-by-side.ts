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

/** CPU over one unit of work on one server, from /proc (server) and `process.cpuUsage` (load). */
export interface WorkCost {
  serverCpuMicros: number
  clientCpuMicros: number
  wallMicros: number
}

/**
 * Gives every contender the same work in turns: unit `i` goes to each contender, and the order
 * rotates with `i`, so no server always follows the same one. Drift in the machine's load (other
 * processes, a neighbour's burst) then lands on every server alike, which sequential rounds
 * cannot promise on a shared machine: their medians move by more than the differences measured.
 *
 * @example
 * await alternate(contenders, 30, async (c, i) => { await postAndWait(c, i) })
 */
export async function alternate<C>(contenders: readonly C[], units: number, work: (contender: C, unit: number) => Promise<void>): Promise<void> {
  for (let unit = 0; unit < units; unit++) {
    for (let k = 0; k < contenders.length; k++) await work(contenders[(unit + k) % contenders.length]!, unit)
  }
}

/**
 * Runs `work` on one server and measures its CPU from the start of the work until `settleMs`
 * after it resolves, so the writes and callbacks that trail the last delivery are counted too
 * (and never charged to the next server's turn). Each reading costs the server one inspector
 * evaluation, the same for every server.
 */
export async function costOf(cpu: CpuMeter, settleMs: number, work: () => Promise<void>): Promise<WorkCost> {
  const server0 = await cpu.read()
  const client0 = process.cpuUsage()
  const wall0 = performance.now()
  await work()
  const client = process.cpuUsage(client0)
  const wallMicros = (performance.now() - wall0) * 1000
  await new Promise((resolve) => setTimeout(resolve, settleMs))
  return { serverCpuMicros: (await cpu.read()) - server0, clientCpuMicros: client.user + client.system, wallMicros }
}
