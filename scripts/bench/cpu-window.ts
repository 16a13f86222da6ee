import { PerformanceObserver, constants } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { processCpuMicros } from './proc-stats.js'

/** Above this share of one core, the load generator may be what limits a figure. */
export const CLIENT_BOUND_LOAD = 0.85

export interface CpuWindow {
  wallMicros: number
  serverCpuMicros: number
  clientCpuMicros: number
  /** Load generator CPU / wall time: 1.0 means its core was saturated. */
  clientLoad: number
  clientBound: boolean
}

/**
 * Opens a measurement window over the server's CPU (from /proc, all its threads) and this
 * process's CPU (the load generator's); `close()` returns both deltas.
 */
export function openCpuWindow(serverPid: number): { close(): CpuWindow } {
  const wall0 = performance.now()
  const client0 = process.cpuUsage()
  const server0 = processCpuMicros(serverPid)
  return {
    close() {
      const client = process.cpuUsage(client0)
      const wallMicros = (performance.now() - wall0) * 1000
      const clientCpuMicros = client.user + client.system
      const clientLoad = clientCpuMicros / wallMicros
      return {
        wallMicros,
        serverCpuMicros: processCpuMicros(serverPid) - server0,
        clientCpuMicros,
        clientLoad,
        clientBound: clientLoad >= CLIENT_BOUND_LOAD,
      }
    },
  }
}

const IDLE_SHARE = 0.1
const IDLE_SLICE_MS = 100
const IDLE_MAX_MS = 5_000

/** Waits until `cpuMicros` grows by less than a tenth of a core over 100 ms (at most 5 s). */
async function untilIdle(cpuMicros: () => number): Promise<void> {
  const deadline = Date.now() + IDLE_MAX_MS
  while (Date.now() < deadline) {
    const before = cpuMicros()
    await new Promise((resolve) => setTimeout(resolve, IDLE_SLICE_MS))
    if (cpuMicros() - before < IDLE_SHARE * IDLE_SLICE_MS * 1000) return
  }
}

/**
 * Waits until the server is idle, so one scenario's leftovers (closing sockets, draining
 * buffers) do not land in the next one's figures.
 */
export const waitForServerIdle = (serverPid: number): Promise<void> => untilIdle(() => processCpuMicros(serverPid))

/**
 * Waits until this process (the load generator) is idle: a server can be idle while its clients
 * still parse a backlog it has already written, and that backlog must not delay the first
 * messages of a measured step.
 */
export const waitForLoadIdle = (): Promise<void> =>
  untilIdle(() => {
    const { user, system } = process.cpuUsage()
    return user + system
  })

// The load generator's own full collection, without needing `--expose-gc` on its command line.
let collectGarbage: (() => void) | undefined
const fullGc = (): void => {
  if (collectGarbage === undefined) {
    setFlagsFromString('--expose-gc')
    collectGarbage = runInNewContext('gc') as () => void
  }
  collectGarbage()
}

/**
 * Forces a full GC in this process (the load generator) and then watches its major GCs until
 * `stop()`: a latency step starts from a collected heap, so a pause of the clients' own heap is
 * less likely to land on one server's messages, and the pauses that still happen are reported.
 */
export function watchLoadGc(): { stop(): { majorGcs: number; majorGcMs: number } } {
  fullGc()
  let majorGcs = 0
  let majorGcMs = 0
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue
      majorGcs++
      majorGcMs += entry.duration
    }
  })
  observer.observe({ entryTypes: ['gc'] })
  return {
    stop() {
      observer.disconnect()
      return { majorGcs, majorGcMs }
    },
  }
}
