import type { IncomingMessage } from 'node:http'
import type { ConnectionLimiter, ConnectionLimiterOptions } from '../limits/connection-limiter.js'
import { normaliseIp } from '../limits/store.js'
import type { Logger } from '../logger.js'
import type { RedisPresence } from './redis-presence.js'

/**
 * `TIDINGS_CONNECTIONS_PER_IP` across the cluster: open connections per client address are
 * counted in Redis the way presence counts users (`tally`, a presence of addresses): per node,
 * kept alive by heartbeats, so the connections of a node that died stop counting within the
 * TTL instead of holding their slots forever. While Redis cannot be reached, each node enforces
 * the limit on its own connections.
 *
 * @example
 * const connections = clusterConnectionLimiter({ perIp: 50 }, cluster.startTally('connections'), log)
 * const io = new Server(http, { allowRequest: connections.allowRequest })
 * connections.attach(io.engine)
 */
export function clusterConnectionLimiter(
  { perIp = 50, ipOf = (req) => req.socket.remoteAddress }: ConnectionLimiterOptions,
  tally: RedisPresence,
  log?: Logger,
): ConnectionLimiter {
  const local = new Map<string, number>()
  const pending = new WeakMap<IncomingMessage, () => void>()

  const hold = (ip: string): (() => void) => {
    local.set(ip, (local.get(ip) ?? 0) + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (local.get(ip) ?? 1) - 1
      if (left <= 0) local.delete(ip)
      else local.set(ip, left)
      tally.remove(ip).catch(() => undefined)
    }
  }

  return {
    allowRequest(req, callback) {
      const ip = normaliseIp(ipOf(req))
      const release = hold(ip)
      tally.add(ip, ip).then(
        ({ connections = 0 }) => {
          if (connections > perIp) {
            release()
            return callback('too many connections from this address', false)
          }
          pending.set(req, release)
          req.socket.once('close', () => {
            if (pending.get(req) === release) release()
          })
          callback(null, true)
        },
        (err: unknown) => {
          log?.warn({ err: (err as Error).message }, 'connection count in redis failed; counting on this node')
          if ((local.get(ip) ?? 0) > perIp) {
            release()
            return callback('too many connections from this address', false)
          }
          pending.set(req, release)
          callback(null, true)
        },
      )
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
    count: (ip) => local.get(normaliseIp(ip)) ?? 0,
  }
}
