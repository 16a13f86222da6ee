import type { ConnectionLimiter, ConnectionLimiterOptions } from '../limits/connection-limiter.js'
import { handshakeSlots } from '../limits/handshake-slots.js'
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
  const slots = handshakeSlots((ip) => void tally.remove(ip).catch(() => undefined))
  return {
    allowRequest(req, callback) {
      const ip = normaliseIp(ipOf(req))
      const release = slots.take(req, ip)
      tally.add(ip, ip).then(
        ({ connections = 0 }) => {
          if (connections <= perIp) return callback(null, true)
          release()
          callback('too many connections from this address', false)
        },
        (err: unknown) => {
          log?.warn({ err: (err as Error).message }, 'connection count in redis failed; counting on this node')
          if (slots.count(ip) <= perIp) return callback(null, true)
          release()
          callback('too many connections from this address', false)
        },
      )
    },
    attach: slots.attach,
    count: (ip) => slots.count(normaliseIp(ip)),
  }
}
