import { ServerResponse, type IncomingMessage } from 'node:http'

/** The parts of engine.io's server this touches (engine.io 6). */
interface Engine {
  use(middleware: (req: IncomingMessage, res: unknown, next: (err?: Error) => void) => void): unknown
}
interface ReleasableSocket {
  conn: unknown
  handshake: { headers: unknown }
}

const NO_HEADERS: Readonly<Record<string, never>> = Object.freeze({})

/**
 * Lets go of the HTTP request that opened each connection once the connection is established,
 * as Socket.IO's memory guide advises. The request (its headers, raw header strings, parser
 * state) is about a kilobyte and a half per connection, held for the connection's whole life
 * by three references: the engine socket's `request`, `socket.handshake.headers`, and, for a
 * WebSocket upgrade, the stand-in response engine.io 6 makes for its middlewares (kept alive by
 * a `close` listener on the TCP socket). Nothing reads them after the handshake: the address and
 * auth stay in `socket.handshake`.
 *
 * Register the returned listener after every other `connection` listener that reads the request.
 *
 * @example
 * const release = handshakeRelease(io.engine)
 * io.on('connection', release)
 */
export function handshakeRelease(engine: Engine): (socket: ReleasableSocket) => void {
  const upgradeResponses = new WeakMap<IncomingMessage, { req: unknown }>()
  engine.use((req, res, next) => {
    // Polling requests get a real response, which Node releases when it ends.
    if (!(res instanceof ServerResponse) && typeof res === 'object' && res !== null && 'req' in res) {
      upgradeResponses.set(req, res as { req: unknown })
    }
    next()
  })
  return (socket) => {
    const conn = socket.conn as { request: IncomingMessage | null }
    const request = conn.request
    if (request) {
      const response = upgradeResponses.get(request)
      if (response) response.req = null
      upgradeResponses.delete(request)
    }
    conn.request = null
    socket.handshake.headers = NO_HEADERS
  }
}
