import type { HubServer } from '../hub-server.js'

/** How long to wait before looking again at a connection that still has much to send. */
const RECHECK_MS = 5

/**
 * Pacing for long sends to one local connection (a catch-up of thousands of notifications):
 * the sender waits for room before each further page, so that a client reading slower than the
 * hub writes is not cut off as a slow consumer, and the hub's memory holds a page, not the whole
 * backlog.
 */
export interface Outbox {
  /** Resolves once the connection has less than the low-water mark waiting (or is gone). */
  whenRoom(socketId: string): Promise<void>
}

/**
 * @example
 * const outbox = createOutbox(io, protection.bufferedBytes, config.limits.maxBufferedBytes / 4)
 * await outbox.whenRoom(socket.id)
 */
export function createOutbox(
  io: HubServer,
  bufferedBytes: (socket: NonNullable<ReturnType<HubServer['sockets']['sockets']['get']>>) => number,
  lowWaterBytes: number,
): Outbox {
  return {
    whenRoom: (socketId) =>
      new Promise((resolve) => {
        const check = (): void => {
          const socket = io.sockets.sockets.get(socketId)
          if (socket === undefined || !socket.connected || bufferedBytes(socket) < lowWaterBytes) resolve()
          else setTimeout(check, RECHECK_MS)
        }
        // At least one turn of the event loop, so other clients are served between pages.
        setImmediate(check)
      }),
  }
}
