import type { IncomingMessage } from 'node:http'
import { normaliseIp } from './store.js'

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

/** The engine.io events the limiter listens to (`io.engine`). */
export interface EngineLike {
  on(event: 'connection', listener: (socket: EngineSocketLike) => void): unknown
  on(event: 'connection_error', listener: (err: { req: IncomingMessage }) => void): unknown
}
export interface EngineSocketLike {
  request: IncomingMessage
  once(event: 'close', listener: () => void): unknown
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
 * Caps concurrent connections per client address. Counted in this process, not in a shared
 * store, on purpose: connections belong to a process, and a count kept in Redis would keep the
 * slots of a crashed process forever.
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
  const counts = new Map<string, number>()
  const pending = new WeakMap<IncomingMessage, () => void>()

  const take = (ip: string): (() => void) => {
    counts.set(ip, (counts.get(ip) ?? 0) + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (counts.get(ip) ?? 1) - 1
      if (left <= 0) counts.delete(ip)
      else counts.set(ip, left)
    }
  }

  return {
    allowRequest(req, callback) {
      const ip = normaliseIp(ipOf(req))
      if ((counts.get(ip) ?? 0) >= perIp) return callback('too many connections from this address', false)
      const release = take(ip)
      pending.set(req, release)
      // A handshake that dies before engine.io makes a socket must not keep its slot.
      req.socket.once('close', () => {
        if (pending.get(req) === release) release()
      })
      callback(null, true)
    },
    attach(engine) {
      engine.on('connection', (socket) => {
        const release = pending.get(socket.request)
        if (!release) return
        pending.delete(socket.request)
        socket.once('close', release)
      })
      engine.on('connection_error', ({ req }) => {
        const release = pending.get(req)
        pending.delete(req)
        release?.()
      })
    },
    count: (ip) => counts.get(normaliseIp(ip)) ?? 0,
  }
}
