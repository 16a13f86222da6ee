/**
 * Payloads of the same shape as the hub's, for the baseline servers: a fan-out or chat frame
 * then has about the same size everywhere, so per-delivery costs compare like for like.
 */

import { formatSequenceId } from '../../../shared/sequence-id.js'

let sequence = 0

/** Same format and sort order as the hub's ids: a sequence number as 16 decimal digits. */
export function nextBaselineId(): string {
  return formatSequenceId(++sequence)
}

export interface BaselineNotification {
  id: string
  title: string
  body: string
  level: string
  timestamp: string
}

/** The `notification` event built from a `POST /notify` body, as the hub builds it. */
export function notificationFrom(request: unknown): BaselineNotification | undefined {
  if (request === null || typeof request !== 'object') return undefined
  const { title, body = '', level = 'info' } = request as Record<string, unknown>
  if (typeof title !== 'string' || typeof body !== 'string' || typeof level !== 'string') return undefined
  return { id: nextBaselineId(), title, body, level, timestamp: new Date().toISOString() }
}

/** The baselines check the same header as the hub, so that cost is in all three. */
export const authorized = (header: string | undefined): boolean =>
  header === `Bearer ${process.env.BENCH_API_KEY ?? ''}`

/** The hub's start-up log line, which the bench waits for. */
export function announceListening(port: number): void {
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port })}\n`)
}
