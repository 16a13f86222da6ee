import { ServerResponse, type IncomingMessage } from 'node:http'
import type { Server, Socket } from 'socket.io'
import type { ClientAddress } from '../limits/client-address.js'

const NO_HEADERS: Readonly<Record<string, never>> = Object.freeze({})

/** The parts of a Socket.IO socket the release touches, in any namespace. */
type ReleasableSocket = Pick<Socket, 'conn' | 'handshake' | 'request'>

/** Finds the client address of a socket, whether or not its request was released. */
export type SocketAddress = (socket: ReleasableSocket) => string

export interface RequestRelease {
  /** Drops the socket's connection's request; call after every other `connection` listener. */
  release(socket: ReleasableSocket): void
  /**
   * The client address of a socket, also once its connection's request is gone (a dashboard can
   * share a connection with the main namespace and handshake after it).
   */
  addressOf: SocketAddress
}

/**
 * Lets go of the HTTP requests that open each connection once they have served their purpose,
 * as Socket.IO's memory guide advises ("Discard the initial HTTP request"). Each is about a
 * kilobyte and a half (headers, raw header strings, parser state), and engine.io 6 keeps it for
 * the connection's whole life through three references:
 *
 * - the engine socket's `request` (the documented `socket.conn.request`);
 * - `socket.handshake.headers`, the same headers object;
 * - for a WebSocket upgrade, the stand-in response engine.io makes for its middlewares
 *   (`res.req`), which a `close` listener on the TCP socket keeps alive. This one also holds
 *   the upgrade request of a connection that began on long-polling.
 *
 * Nothing reads them after the handshake: the hub's checks run in middlewares, before
 * `connection`, and the client address is kept (a short string) for later namespaces. Every
 * reference dropped here is pinned by `test/integration/request-release.test.ts`, which fails
 * if a Socket.IO upgrade adds a holder or renames one of these.
 *
 * Create it after every other engine middleware is registered.
 *
 * @example
 * const requests = requestRelease(io, clientAddress(config.trustProxy))
 * io.on('connection', (socket) => { …; requests.release(socket) })
 */
export function requestRelease(io: Pick<Server, 'engine'>, clientAddress: ClientAddress): RequestRelease {
  const addresses = new WeakMap<object, string>()
  io.engine.use((_req: IncomingMessage, res: ServerResponse, next: (err?: Error) => void) => {
    next()
    // A polling request gets a real response, which Node lets go of when it ends; an upgrade's
    // stand-in is not used once the middlewares have run (engine.io keeps the request itself).
    if (!(res instanceof ServerResponse)) (res as { req: IncomingMessage | null }).req = null
  })
  return {
    release(socket) {
      const conn = socket.conn as { request: IncomingMessage | null }
      if (conn.request === null) return
      addresses.set(conn, clientAddress(conn.request))
      conn.request = null
      socket.handshake.headers = NO_HEADERS
    },
    addressOf: (socket) => (socket.request ? clientAddress(socket.request) : (addresses.get(socket.conn) ?? socket.handshake.address)),
  }
}
