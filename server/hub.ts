import { randomBytes } from 'node:crypto'
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
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
import { authFailureLimiter } from './limits/auth-failure-limiter.js'
import { connectionLimiter } from './limits/connection-limiter.js'
import { attachGateway } from './socket/gateway.js'
import { createMemoryMembership } from './membership/memory-membership.js'
import { createOutbox } from './socket/outbox.js'
import { attachSocketProtection } from './socket/protection.js'
import { chooseWsEngine } from './socket/ws-engine.js'
import { openSqliteStore } from './store/index.js'
import type { Store } from './store/store.js'

/** How often expired notifications and idempotency keys are pruned. */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000

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
  listen(): Promise<AddressInfo>
  close(): Promise<void>
}

/**
 * The composition root: wires the bus, the modules and both transports. Modules only know the
 * bus and Socket.IO; transports only produce domain events.
 *
 * @example
 * const hub = createHub(loadConfig(), createLogger('info')) // open mode; pass a verifier for tokens
 * const { port } = await hub.listen()
 */
export function createHub(config: Config, log: Logger, verifier?: TokenVerifier): Hub {
  const generatedKey = config.apiKeys.length === 0
  const apiKeys = generatedKey ? [randomBytes(24).toString('base64url')] : config.apiKeys
  const bus = createBus()
  const store = openSqliteStore({ path: config.dbPath, log, retentionDays: config.retentionDays })
  // The store's commit-ordered feed is where deliveries come from: whoever appended (this
  // process's HTTP route or gateway, or another process sharing the store), every process hands
  // each committed item to its own modules, which send it to their local sockets.
  const stopFeed = store.subscribe((event) => {
    if (event.kind === 'notification') bus.emit('notification:published', event.notification)
    else bus.emit('chat:message-posted', event.message)
  })
  // One budget of failed authentications per address, shared by POST /notify and handshakes.
  const authFailures = authFailureLimiter({
    points: config.limits.authFailures.points,
    durationSec: config.limits.authFailures.windowSec,
  })
  const connections = config.limits.connectionsPerIp > 0 ? connectionLimiter({ perIp: config.limits.connectionsPerIp }) : undefined

  const notify = notifyHandler({
    store,
    log,
    apiKeys,
    origins: config.origins,
    authFailures,
    notifyRate: config.limits.notifyRate,
  })
  const app = createHttpApp({ log, origins: config.origins, notify })
  // The publishing hot path skips Express's router and request decoration; the handler sets the
  // same headers Express would, and other spellings of the path still reach it through Express.
  const http = createServer((req, res) => (isNotifyPost(req) ? notify(req, res) : app(req, res)))
  const io: HubServer = new Server(http, {
    ...chooseWsEngine(config.wsEngine, log).options,
    cors: { origin: config.origins.length === 0 ? true : [...config.origins] },
    maxHttpBufferSize: config.limits.maxMessageBytes,
    // No connection state recovery: every (re)connection is new, proves who it is on its own
    // handshake, and resumes from the store with the cursors it sends (see the gateway).
    allowRequest: (req, callback) => {
      // WebSocket upgrades are not subject to CORS: check their Origin here as well.
      const origin = req.headers.origin
      if (!(config.origins.length === 0 || origin === undefined || config.origins.includes(origin))) {
        return callback('origin not allowed', false)
      }
      if (connections) return connections.allowRequest(req, callback)
      callback(null, true)
    },
  })
  connections?.attach(io.engine)

  // Before the modules' and gateway's connection listeners: its checks run first.
  const protection = attachSocketProtection({ io, config, log, verifier, authFailures })
  // A catch-up sends its next page once the connection is down to a quarter of its limit.
  const outbox = createOutbox(io, protection.bufferedBytes, config.limits.maxBufferedBytes / 4)
  // One process: membership in memory. A cluster passes a shared implementation instead.
  const context = { bus, io, log, store, outbox, membership: createMemoryMembership() }
  const presence = createPresenceModule(context)
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
    chatMessageLength: config.limits.chatMessageLength,
  })

  const prune = () => {
    store.prune().catch((err: unknown) => log.error({ err }, 'pruning the store failed'))
  }
  const pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS)
  pruneTimer.unref()

  return {
    bus,
    io,
    http,
    presence,
    chat,
    store,
    apiKeys,
    generatedKey,
    listen: () =>
      new Promise((resolve, reject) => {
        http.once('error', reject)
        http.listen(config.port, config.host, () => {
          http.off('error', reject)
          prune()
          resolve(http.address() as AddressInfo)
        })
      }),
    close: async () => {
      clearInterval(pruneTimer)
      // io.close() disconnects every socket and closes the HTTP server once in-flight requests
      // are answered; only then is the store closed, with every accepted write committed.
      await new Promise<void>((resolve) => io.close(() => resolve()))
      stopFeed()
      for (const module of modules) module.dispose()
      await store.close()
    },
  }
}
