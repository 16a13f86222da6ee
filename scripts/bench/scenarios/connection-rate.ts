import { openCpuWindow } from '../cpu-window.js'
import type { LightClientPool } from '../light-client.js'

export interface ConnectionRateResult {
  connected: number
  failed: number
  seconds: number
  clientBound: boolean
}

/**
 * Opens connections up to `total` and times it: handshake (HTTP upgrade, Engine.IO open,
 * Socket.IO connect) with a bounded number in flight, as a burst of page loads would be.
 */
export async function growConnections(
  pool: LightClientPool,
  total: number,
  concurrency: number,
  serverPid: number,
): Promise<ConnectionRateResult> {
  const window = openCpuWindow(serverPid)
  const { connected, failed } = await pool.open(Math.max(0, total - pool.size), concurrency)
  const cpu = window.close()
  return { connected, failed, seconds: cpu.wallMicros / 1e6, clientBound: cpu.clientBound }
}

/** Connections per second over one or more growth steps. */
export const connectionsPerSecond = (steps: ConnectionRateResult[]): number =>
  steps.reduce((sum, s) => sum + s.connected, 0) / steps.reduce((sum, s) => sum + s.seconds, 0)
