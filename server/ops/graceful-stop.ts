import { ADMIN_NAMESPACE } from '../../shared/index.js'
import type { HubServer } from '../hub-server.js'
import type { Drain } from './drain.js'

export interface GracefulStopOptions {
  io: HubServer
  drain: Drain
  /** Closes the rest: Socket.IO, the HTTP listener, the modules, then the store (flushed). */
  close: () => Promise<void>
}

/**
 * Stops the hub without losing anything it acknowledged, in this order:
 * 1. draining: `/readyz` answers 503 `shutting_down` and new Socket.IO connections and new
 *    `POST /notify` requests are refused (probes and metrics still answer);
 * 2. the requests already in flight finish (a `202` is only sent once committed);
 * 3. every client is dropped at the transport level (`socket.conn.close()`): it sees a lost
 *    connection and reconnects by itself, to another node or to this one once restarted, and
 *    catches up from the store. A server-side `socket.disconnect()` would instead tell it
 *    the server meant it, and Socket.IO clients do not reconnect after that;
 * 4. the rest is closed and the store flushed.
 *
 * @example
 * await gracefulStop({ io, drain, close: hub.close })
 */
export async function gracefulStop({ io, drain, close }: GracefulStopOptions): Promise<void> {
  drain.start()
  await drain.idle()
  for (const name of ['/', ADMIN_NAMESPACE]) {
    for (const socket of io.of(name).sockets.values()) socket.conn.close()
  }
  await close()
}
