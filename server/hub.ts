import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { ADMIN_NAMESPACE } from '../shared/index.js'
import { createBus, type Bus } from './bus.js'
import type { Config } from './config.js'
import { createHttpApp } from './http/app.js'
import { isNotifyPost, notifyHandler } from './http/notify-handler.js'
import type { HubServer } from './hub-server.js'
import type { Logger } from './logger.js'
import { createChatModule, type ChatModule } from './modules/chat.js'
import { createEchoModule } from './modules/echo.js'
import { createInboxModule } from './modules/inbox.js'
import type { HubModule } from './modules/module.js'
import { createNotificationsModule } from './modules/notifications.js'
import { createPresenceModule, type PresenceModule } from './modules/presence.js'
import type { TokenVerifier } from './auth/token-verifier.js'
import { createClusterPresenceModule } from './cluster/cluster-presence-module.js'
import type { Cluster } from './cluster/cluster.js'
import { authFailureLimiter } from './limits/auth-failure-limiter.js'
import { clientAddress } from './limits/client-address.js'
import { connectionLimiter } from './limits/connection-limiter.js'
import { attachGateway } from './socket/gateway.js'
import { createMemoryMembership } from './membership/memory-membership.js'
import { createOutbox } from './socket/outbox.js'
import { attachSocketProtection } from './socket/protection.js'
import { requestRelease } from './socket/request-release.js'
import { attachAdminNamespace } from './admin/admin-namespace.js'
import { createHubMetrics, type HubMetrics } from './metrics/hub-metrics.js'
import { instrumentStore } from './metrics/instrument-store.js'
import { createDrain } from './ops/drain.js'
import { gracefulStop } from './ops/graceful-stop.js'
import { opsRoutes } from './ops/ops-routes.js'
import { observeRequests } from './ops/request-observer.js'
import { chooseWsEngine } from './socket/ws-engine.js'
import { openSqliteStore } from './store/index.js'
import type { Store } from './store/store.js'

/**
 * Whether a page served by the hub itself (the dashboard) makes the request: its Origin names the
 * host the request was sent to. A page on another site cannot pass for it, since the browser
 * sets Origin to that site.
 */
function isSameOrigin(req: IncomingMessage): boolean {
  try {
    return new URL(req.headers.origin ?? '').host === req.headers.host
  } catch {
    return false
  }
}

/** How often expired notifications and idempotency keys are pruned. */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000
/** In a cluster, one node per period prunes; the turn ends a little early so timer drift never skips a period. */
const PRUNE_TURN_MS = PRUNE_INTERVAL_MS - 60 * 1000

/** What a hub may be given beyond its configuration. */
export interface HubExtras {
  /** From `openCluster` when `TIDINGS_REDIS_URL` is set: shared store, adapter, presence, limits. */
  cluster?: Cluster
}

export interface Hub {
  bus: Bus
  io: HubServer
  http: HttpServer
  presence: PresenceModule
  chat: ChatModule
  store: Store
  /** The keys `POST /notify` accepts (one generated when none was configured). */
  apiKeys: readonly string[]
  /** True when `apiKeys` was generated at start rather than configured. */
  generatedKey: boolean
  /** Prometheus registry and the dashboard's figures. */
  metrics: HubMetrics
  listen(): Promise<AddressInfo>
  /** Closes everything at once (Socket.IO, HTTP, modules, then the store, flushed). */
  close(): Promise<void>
  /**
   * The graceful stop for SIGTERM: refuse new work, finish what is in flight, drop clients so
   * they reconnect elsewhere, then close (see `ops/graceful-stop.ts`).
   */
  stop(): Promise<void>
}

/**
 * The composition root: wires the bus, the modules and both transports. Modules only know the
 * bus and Socket.IO; transports only produce domain events.
 *
 * @example
 * const hub = createHub(loadConfig(), createLogger('info')) // open mode; pass a verifier for tokens
 * const { port } = await hub.listen()
 *
 * With `cluster` (from `openCluster`, when `TIDINGS_REDIS_URL` is set) the store, broadcasts,
 * presence and limit counters are shared through Redis with every other hub process.
 */
export function createHub(
  config: Config,
  log: Logger,
  verifier?: TokenVerifier,
  { cluster }: HubExtras = {},
): Hub {
  const generatedKey = config.apiKeys.length === 0
  const apiKeys = generatedKey ? [randomBytes(24).toString('base64url')] : config.apiKeys
  const bus = createBus()
  const metrics = createHubMetrics(bus)
  const store = instrumentStore(
    cluster?.store ?? openSqliteStore({ path: config.dbPath, log, retentionDays: config.retentionDays }),
    metrics.observeStoreWrite,
  )
  const drain = createDrain()
  // The store's commit-ordered feed is where deliveries come from: whoever appended (this
  // process's HTTP route or gateway, or another process sharing the store), every process hands
  // each committed item to its own modules, which send it to their local sockets.
  const stopFeed = store.subscribe((event) => {
    if (event.kind === 'notification') bus.emit('notification:published', event.notification)
    else bus.emit('chat:message-posted', event.message)
  })
  // Failed authentications per client address, one budget for POST /notify and another for
  // handshakes: a script with a stale key cannot lock browsers out, nor the reverse. In a
  // cluster the counters live in Redis, so the budgets hold across nodes.
  const addressOf = clientAddress(config.trustProxy)
  const { points, windowSec } = config.limits.authFailures
  const limiterStore = cluster?.limiterStore
  const httpAuthFailures = authFailureLimiter({ name: 'http', points, durationSec: windowSec, store: limiterStore })
  const handshakeAuthFailures = authFailureLimiter({ name: 'handshake', points, durationSec: windowSec, store: limiterStore })
  const perIp = config.limits.connectionsPerIp
  const connections =
    perIp > 0
      ? cluster
        ? cluster.connectionLimiter({ perIp, ipOf: addressOf })
        : connectionLimiter({ perIp, ipOf: addressOf })
      : undefined

  const notify = notifyHandler({
    store,
    log,
    apiKeys,
    origins: config.origins,
    authFailures: httpAuthFailures,
    clientAddress: addressOf,
    notifyRate: config.limits.notifyRate,
    userTargets: verifier !== undefined || config.openUserTargets,
    limiterStore,
  })
  const routes = opsRoutes({ metrics, store, drain, metricsKey: config.metricsKey })
  const app = createHttpApp({
    log,
    origins: config.origins,
    trustProxy: config.trustProxy,
    notify,
    routes: [routes],
    sourceMaps: config.sourceMaps,
  })
  // The publishing hot path skips Express's router and request decoration; the handler sets the
  // same headers Express would, and other spellings of the path still reach it through Express.
  const dispatch = drain.track((req, res) => (isNotifyPost(req) ? notify(req, res) : app(req, res)))
  const http = createServer(observeRequests(dispatch, { log, metrics }))
  const io: HubServer = new Server(http, {
    ...chooseWsEngine(config.wsEngine, log).options,
    cors: { origin: config.origins.length === 0 ? true : [...config.origins] },
    maxHttpBufferSize: config.limits.maxMessageBytes,
    // In a cluster, broadcasts and room changes reach the sockets of every node.
    ...(cluster ? { adapter: cluster.adapter } : {}),
    // No connection state recovery: every (re)connection is new, proves who it is on its own
    // handshake, and resumes from the store with the cursors it sends (see the gateway).
    allowRequest: (req, callback) => {
      // A stopping hub takes no new connection: the client retries, on another node or later.
      if (drain.draining) return callback('shutting down', false)
      // WebSocket upgrades are not subject to CORS: check their Origin here as well.
      const origin = req.headers.origin
      if (!(config.origins.length === 0 || origin === undefined || config.origins.includes(origin) || isSameOrigin(req))) {
        return callback('origin not allowed', false)
      }
      if (connections) return connections.allowRequest(req, callback)
      callback(null, true)
    },
  })
  connections?.attach(io.engine)
  metrics.attach(io)
  // The last engine middleware; its release runs after every other connection listener (below).
  const requests = requestRelease(io, addressOf)

  // Before the modules' and gateway's connection listeners: its checks run first.
  const protection = attachSocketProtection({ io, config, log, verifier, authFailures: handshakeAuthFailures, socketAddress: requests.addressOf })
  // A catch-up sends its next page once the connection is down to a quarter of its limit.
  const outbox = createOutbox(io, protection.bufferedBytes, config.limits.maxBufferedBytes / 4)
  // One process: membership in memory. A cluster counts hub-wide presence in Redis (see
  // createClusterPresenceModule); chat room membership stays per process for now.
  const context = { bus, io, log, store, outbox, membership: createMemoryMembership() }
  const presenceOptions = { graceMs: config.presenceGraceMs }
  const presence = cluster
    ? createClusterPresenceModule(context, cluster.startPresence, presenceOptions)
    : createPresenceModule(context, presenceOptions)
  const chat = createChatModule(context)
  const modules: HubModule[] = [
    presence,
    chat,
    createNotificationsModule(context),
    createInboxModule(context),
    createEchoModule(context),
  ]
  attachGateway({
    io,
    bus,
    store,
    log,
    signed: verifier !== undefined,
    openUserTargets: config.openUserTargets,
    chatMessageLength: config.limits.chatMessageLength,
  })
  const admin = attachAdminNamespace({
    io,
    bus,
    log,
    metrics,
    apiKeys,
    authFailures: handshakeAuthFailures,
    socketAddress: requests.addressOf,
    everyNode: cluster !== undefined,
  })
  io.on('connection', requests.release)
  io.of(ADMIN_NAMESPACE).on('connection', requests.release)

  const prune = () => {
    // Once for the whole cluster: the node that takes this period's turn prunes.
    const turn = cluster ? cluster.takeTurn('prune', PRUNE_TURN_MS) : Promise.resolve(true)
    turn
      .then((mine) => (mine ? store.prune() : undefined))
      .catch((err: unknown) => log.error({ err }, 'pruning the store failed'))
  }
  const pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS)
  pruneTimer.unref()

  const close = async (): Promise<void> => {
    clearInterval(pruneTimer)
    // io.close() disconnects every socket and closes the HTTP server once in-flight requests
    // are answered; only then is the store closed, with every accepted write committed.
    await new Promise<void>((resolve) => io.close(() => resolve()))
    admin.dispose()
    stopFeed()
    for (const module of modules) module.dispose()
    metrics.dispose()
    await (cluster ? cluster.close() : store.close())
  }

  return {
    bus,
    io,
    http,
    presence,
    chat,
    store,
    apiKeys,
    generatedKey,
    metrics,
    listen: () =>
      new Promise((resolve, reject) => {
        http.once('error', reject)
        http.listen(config.port, config.host, () => {
          http.off('error', reject)
          prune()
          resolve(http.address() as AddressInfo)
        })
      }),
    close,
    stop: () => gracefulStop({ io, drain, close }),
  }
}
