import type { IncomingMessage } from 'node:http'

/** The engine.io events the slots listen to (`io.engine`). */
export interface EngineLike {
  on(event: 'connection', listener: (socket: EngineSocketLike) => void): unknown
  on(event: 'connection_error', listener: (err: { req: IncomingMessage }) => void): unknown
}
export interface EngineSocketLike {
  request: IncomingMessage
  once(event: 'close', listener: () => void): unknown
}

export interface HandshakeSlots {
  /** Slots held now for `ip` (open or opening connections on this process). */
  count(ip: string): number
  /**
   * Holds a slot for `ip` from a handshake (`allowRequest`) on; the returned function releases
   * it, once, whoever calls it first: the connection closing, the handshake failing, or its TCP
   * connection closing before engine.io made a connection.
   */
  take(req: IncomingMessage, ip: string): () => void
  /** Releases each slot when its connection closes; call once with `io.engine`. */
  attach(engine: EngineLike): void
}

/**
 * Per-address connection slots on this process, shared by the local and the cluster-wide
 * connection limiters: a slot is taken before the engine has a socket, so simultaneous
 * handshakes cannot all slip through, and released exactly once.
 *
 * @example
 * const slots = handshakeSlots((ip) => tally.remove(ip))
 * if (slots.count(ip) < perIp) slots.take(req, ip)
 * slots.attach(io.engine)
 */
export function handshakeSlots(onRelease?: (ip: string) => void): HandshakeSlots {
  const counts = new Map<string, number>()
  const pending = new WeakMap<IncomingMessage, () => void>()
  return {
    count: (ip) => counts.get(ip) ?? 0,
    take(req, ip) {
      counts.set(ip, (counts.get(ip) ?? 0) + 1)
      let released = false
      const release = (): void => {
        if (released) return
        released = true
        const left = (counts.get(ip) ?? 1) - 1
        if (left <= 0) counts.delete(ip)
        else counts.set(ip, left)
        onRelease?.(ip)
      }
      pending.set(req, release)
      // A handshake that dies before engine.io makes a socket must not keep its slot.
      req.socket.once('close', () => {
        if (pending.get(req) === release) release()
      })
      return release
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
  }
}
