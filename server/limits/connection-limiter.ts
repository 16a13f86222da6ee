import type { IncomingMessage } from 'node:http'
import { handshakeSlots, type EngineLike } from './handshake-slots.js'
import { normaliseIp } from './store.js'

export type { EngineLike } from './handshake-slots.js'

export interface ConnectionLimiterOptions {
  /**
   * Open connections allowed from one address. Default 50: an office behind one NAT address with
   * a few tabs per person stays well under it, while one host can no longer take a large share
   * of the hub's file descriptors (1024 by default on many systems).
   */
  perIp?: number
  /**
   * The client's address. Default: the TCP peer. Behind a reverse proxy, pass a function that
   * reads the proxy's header, and only then: the header is forgeable when clients reach the hub
   * directly.
   */
  ipOf?: (req: IncomingMessage) => string | undefined
}

export interface ConnectionLimiter {
  /**
   * Engine.IO's `allowRequest`: runs once per new connection's handshake (never for its later
   * polling requests) and holds a slot for it, or refuses with 403 when the address is full.
   */
  allowRequest(req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void
  /** Releases each slot when its connection closes; call once with `io.engine`. */
  attach(engine: EngineLike): void
  /** Open (or opening) connections from `ip`. */
  count(ip: string): number
}

/**
 * Caps concurrent connections per client address, counted in this process (a cluster counts
 * across nodes with `clusterConnectionLimiter`, whose per-node counts expire with heartbeats so a
 * crashed node's slots do not stay taken).
 *
 * A slot is taken in `allowRequest`, before the engine has a socket, so simultaneous handshakes
 * cannot all slip through; it is released when the connection closes, or when the handshake
 * fails or its TCP connection closes before a connection was made.
 *
 * @example
 * const connections = connectionLimiter({ perIp: 50 })
 * const io = new Server(http, { allowRequest: connections.allowRequest })
 * connections.attach(io.engine)
 */
export function connectionLimiter({
  perIp = 50,
  ipOf = (req) => req.socket.remoteAddress,
}: ConnectionLimiterOptions = {}): ConnectionLimiter {
  const slots = handshakeSlots()
  return {
    allowRequest(req, callback) {
      const ip = normaliseIp(ipOf(req))
      if (slots.count(ip) >= perIp) return callback('too many connections from this address', false)
      slots.take(req, ip)
      callback(null, true)
    },
    attach: slots.attach,
    count: (ip) => slots.count(normaliseIp(ip)),
  }
}
