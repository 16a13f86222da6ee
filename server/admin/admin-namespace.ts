import type { Namespace } from 'socket.io'
import {
  ADMIN_NAMESPACE,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type Notification,
} from '../../shared/index.js'
import type { Bus } from '../bus.js'
import { apiKeyChecker } from '../http/api-keys.js'
import type { HubServer } from '../hub-server.js'
import type { AuthFailureLimiter } from '../limits/auth-failure-limiter.js'
import type { Logger } from '../logger.js'
import type { HubMetrics } from '../metrics/hub-metrics.js'
import type { SocketAddress } from '../socket/request-release.js'

/** How often the dashboard gets fresh figures. */
const TICK_MS = 1000
/** Notifications listed in the dashboard's feed. */
const RECENT = 20

export interface AdminNamespaceOptions {
  io: HubServer
  bus: Bus
  log: Logger
  metrics: HubMetrics
  /** The keys `POST /notify` accepts: operators sign in to the dashboard with one of them. */
  apiKeys: readonly string[]
  /** Counts wrong keys per client address (the handshake budget); only failures count. */
  authFailures: AuthFailureLimiter
  /** The client address of a socket (see `requestRelease`). */
  socketAddress: SocketAddress
  /**
   * Publish this node's figures every second even with no dashboard connected here: in a cluster
   * the namespace's broadcasts go through the shared adapter, so a dashboard on any node shows
   * every node's figures.
   */
  everyNode?: boolean
}

type AdminNamespace = Namespace<AdminClientToServerEvents, AdminServerToClientEvents>

/**
 * The `/admin` namespace the dashboard reads: a handshake must carry `auth: {key}` with an API
 * key (a wrong one counts as a failed authentication for the address, like a wrong key on
 * `POST /notify`). While at least one dashboard is connected, every second it receives this
 * node's {@link NodeStats}, and the feed of recent notifications when it changed. Nothing is
 * computed while no dashboard is open.
 *
 * @example
 * const admin = attachAdminNamespace({ io, bus, log, metrics, apiKeys, authFailures, socketAddress })
 * admin.dispose()
 */
export function attachAdminNamespace({
  io,
  bus,
  log,
  metrics,
  apiKeys,
  authFailures,
  socketAddress,
  everyNode = false,
}: AdminNamespaceOptions): {
  dispose(): void
} {
  const admin = io.of(ADMIN_NAMESPACE) as unknown as AdminNamespace
  const authenticate = apiKeyChecker(apiKeys)

  admin.use((socket, next) => {
    const key: unknown = (socket.handshake.auth as { key?: unknown }).key
    try {
      // The key first: a valid one is never refused for others' failures at the same address.
      authenticate(typeof key === 'string' ? `Bearer ${key}` : undefined)
      return next()
    } catch {
      const address = socketAddress(socket)
      log.warn({ address, namespace: ADMIN_NAMESPACE }, 'dashboard refused: wrong key')
      void authFailures.recordFailure(address).then((verdict) =>
        next(
          verdict.limited
            ? Object.assign(new Error('too many failed keys'), { data: { code: 'rate_limited', retryAfterSec: verdict.retryAfterSec } })
            : Object.assign(new Error('the API key is not valid'), { data: { code: 'unauthorized' } }),
        ),
      )
    }
  })

  // A ring: on a busy hub the feed costs one array write per notification, no copying.
  const ring: Notification[] = []
  let next = 0
  let recentChanged = false
  const remember = (notification: Notification): void => {
    ring[next] = notification
    next = (next + 1) % RECENT
    recentChanged = true
  }
  /** Newest first. */
  const recent = (): Notification[] => [...ring.slice(next), ...ring.slice(0, next)].reverse()
  bus.on('notification:published', remember)

  let timer: NodeJS.Timeout | undefined
  // The latest snapshot, for dashboards that connect between two ticks (taking a new one would
  // cut the others' rate interval short).
  let latest = metrics.stats()
  const tick = (): void => {
    latest = metrics.stats()
    admin.emit('stats', latest)
    if (recentChanged) admin.emit('recent-notifications', recent())
    recentChanged = false
  }
  const start = (): void => {
    if (timer !== undefined) return
    latest = metrics.stats()
    timer = setInterval(tick, TICK_MS)
  }
  if (everyNode) start()
  admin.on('connection', (socket) => {
    start()
    socket.emit('stats', latest)
    socket.emit('recent-notifications', recent())
    socket.on('disconnect', () => {
      if (!everyNode && admin.sockets.size === 0) {
        clearInterval(timer)
        timer = undefined
      }
    })
  })

  return {
    dispose() {
      clearInterval(timer)
      bus.off('notification:published', remember)
    },
  }
}
