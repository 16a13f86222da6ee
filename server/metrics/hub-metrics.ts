import { hostname } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { NOTIFICATION_LEVELS, notificationTarget, type NodeStats, type Notification } from '../../shared/index.js'
import type { Bus } from '../bus.js'
import type { HubServer } from '../hub-server.js'
import { roomKey } from '../modules/module.js'
import { audienceSize } from './audience.js'

let hubsInProcess = 0

/** Bounds, in seconds, for latencies that are usually a few milliseconds. */
const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
/** Latency samples kept per dashboard interval for its percentiles (a bounded reservoir). */
const LATENCY_SAMPLES = 2048
/** Rooms and topics listed on the dashboard. */
const BUSIEST = 5

/** Memoises `make` by key: label children of a metric, looked up by their joined values. */
function childCache<T>(make: (key: string) => T): (key: string) => T {
  const children = new Map<string, T>()
  return (key) => {
    let child = children.get(key)
    if (child === undefined) children.set(key, (child = make(key)))
    return child
  }
}

let processMetrics: Registry | undefined
/**
 * prom-client's default metrics describe the process, not a hub, and start monitors (GC,
 * event-loop delay) that cannot be stopped: one registry of them per process, shared.
 */
function processRegistry(): Registry {
  if (processMetrics === undefined) {
    processMetrics = new Registry()
    collectDefaultMetrics({ register: processMetrics })
  }
  return processMetrics
}

export interface HubMetrics {
  /** The Prometheus registry `GET /metrics` exposes. */
  registry: Registry
  /** This process's name in a cluster: host name and pid. */
  node: string
  /** Starts reading connection counts and audiences from `io` (created after the store). */
  attach(io: HubServer): void
  /** Records one HTTP answer. */
  observeHttp(method: string, route: string, status: number, seconds: number): void
  /** Records a refusal outside HTTP (a refused handshake, for instance). */
  reject(reason: string): void
  /** Records how long a store write took until it was committed. */
  observeStoreWrite(operation: string, seconds: number): void
  /**
   * The dashboard's figures: rates over the time since the previous call. Meant for one
   * caller (the admin namespace's ticker).
   */
  stats(): NodeStats
  /** Stops the event-loop monitor and unsubscribes from the bus. */
  dispose(): void
}

/**
 * The hub's Prometheus metrics, fed by domain events from the bus and by Socket.IO's public
 * API, plus prom-client's default process metrics. The hub's own metrics are in a registry of
 * their own, so that several hubs in one process (tests) never share counters.
 *
 * @example
 * const metrics = createHubMetrics(bus)
 * metrics.attach(io)
 * res.end(await metrics.registry.metrics())
 */
export function createHubMetrics(bus: Bus): HubMetrics {
  const registry = new Registry()
  let io: HubServer | undefined
  let users = 0

  new Gauge({
    name: 'tidings_connections',
    help: 'Open Socket.IO connections on the public namespace',
    registers: [registry],
    collect() {
      this.set(io?.of('/').sockets.size ?? 0)
    },
  })
  new Gauge({
    name: 'tidings_online_users',
    help: 'Distinct users with at least one open connection',
    registers: [registry],
    collect() {
      this.set(users)
    },
  })
  const published = new Counter({
    name: 'tidings_notifications_published_total',
    help: 'Notifications committed and published, by level and target kind',
    labelNames: ['level', 'target'] as const,
    registers: [registry],
  })
  const delivered = new Counter({
    name: 'tidings_notifications_delivered_total',
    help: 'Live notification deliveries, one per receiving socket',
    registers: [registry],
  })
  const chatMessages = new Counter({
    name: 'tidings_chat_messages_total',
    help: 'Chat messages committed and broadcast',
    registers: [registry],
  })
  const rejected = new Counter({
    name: 'tidings_rejected_total',
    help: 'Refused requests and handshakes, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  })
  const httpDuration = new Histogram({
    name: 'tidings_http_request_duration_seconds',
    help: 'HTTP request duration, from arrival to the last byte of the answer',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: FAST_BUCKETS,
    registers: [registry],
  })
  const storeWrites = new Histogram({
    name: 'tidings_store_write_duration_seconds',
    help: 'Store writes, from the call until the write is committed',
    labelNames: ['operation'] as const,
    buckets: FAST_BUCKETS,
    registers: [registry],
  })
  const deliveryLatency = new Histogram({
    name: 'tidings_notification_delivery_latency_seconds',
    help: 'From a notification being accepted to it being handed to its sockets (store commit included)',
    buckets: FAST_BUCKETS,
    registers: [registry],
  })
  // Every series exists from the start, so rate() sees the first increment.
  for (const level of NOTIFICATION_LEVELS) {
    for (const target of ['everyone', 'topic', 'user']) published.labels(level, target)
  }
  // prom-client hashes the label values on every labels() call: the hot paths (a request, a
  // publication, a store write) look their child up by one string key instead.
  const publishedBy = childCache((key) => published.labels(...(key.split(' ') as [string, string])))
  const httpBy = childCache((key) => httpDuration.labels(...(key.split(' ') as [string, string, string])))
  const storeBy = childCache((key) => storeWrites.labels(key))

  // Plain totals for the dashboard's per-second rates (reading prom-client's counters back
  // costs an allocation per read).
  const totals = { published: 0, delivered: 0, chat: 0 }
  let latencies: number[] = []
  let seen = 0
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()
  let previous = { at: Date.now(), ...totals }

  const onPublished = (notification: Notification): void => {
    publishedBy(`${notification.level} ${notificationTarget(notification).kind}`).inc()
    totals.published++
    const seconds = (Date.now() - Date.parse(notification.timestamp)) / 1000
    deliveryLatency.observe(Math.max(0, seconds))
    // Reservoir sampling keeps the percentiles honest under any rate with a bounded array.
    seen++
    if (latencies.length < LATENCY_SAMPLES) latencies.push(seconds * 1000)
    else {
      const slot = Math.floor(Math.random() * seen)
      if (slot < LATENCY_SAMPLES) latencies[slot] = seconds * 1000
    }
    if (io === undefined) return
    const count = audienceSize(io, notification)
    if (count > 0) delivered.inc(count)
    totals.delivered += count
  }
  const onChat = (): void => {
    chatMessages.inc()
    totals.chat++
  }
  const onPresence = ({ userCount }: { userCount: number }): void => {
    users = userCount
  }
  // Refused client events count under their error code, as refused HTTP requests do.
  const onRefused = ({ code }: { code: string }): void => void rejected.labels(code).inc()
  bus.on('notification:published', onPublished)
  bus.on('socket:event-refused', onRefused)
  bus.on('chat:message-posted', onChat)
  bus.on('presence:user-online', onPresence)
  bus.on('presence:user-offline', onPresence)

  const busiest = (prefix: string) => {
    const found: { name: string; connections: number }[] = []
    for (const [room, members] of io?.of('/').adapter.rooms ?? []) {
      if (room.startsWith(prefix)) found.push({ name: room.slice(prefix.length), connections: members.size })
    }
    return found.sort((a, b) => b.connections - a.connections || a.name.localeCompare(b.name)).slice(0, BUSIEST)
  }
  const percentile = (sorted: number[], p: number): number =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

  // Host and pid name the process; a second hub in the same process (tests, `npm run cluster`
  // in one process) gets a suffix so that a cluster's dashboard can tell them apart.
  const node = `${hostname()}:${process.pid}${++hubsInProcess > 1 ? `#${hubsInProcess}` : ''}`
  return {
    registry: Registry.merge([processRegistry(), registry]),
    node,
    attach(server) {
      io = server
      // Engine.IO's public event for handshakes it refuses (origin, connection limits, draining).
      server.engine.on('connection_error', () => rejected.labels('handshake').inc())
    },
    observeHttp(method, route, status, seconds) {
      // Methods are a closed list by then (Node refuses unknown ones), routes too (routeLabel).
      httpBy(`${method} ${route} ${status}`).observe(seconds)
    },
    reject(reason) {
      rejected.labels(reason).inc()
    },
    observeStoreWrite(operation, seconds) {
      storeBy(operation).observe(seconds)
    },
    stats() {
      const at = Date.now()
      const elapsed = Math.max(1, at - previous.at) / 1000
      const sorted = latencies.sort((a, b) => a - b)
      const memory = process.memoryUsage()
      const stats: NodeStats = {
        node,
        at,
        connections: io?.of('/').sockets.size ?? 0,
        users,
        publishedPerSecond: (totals.published - previous.published) / elapsed,
        deliveredPerSecond: (totals.delivered - previous.delivered) / elapsed,
        chatPerSecond: (totals.chat - previous.chat) / elapsed,
        deliveryLatencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95) },
        eventLoopLagMs: loopDelay.count > 0 ? loopDelay.percentile(99) / 1e6 : 0,
        memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
        rooms: busiest(roomKey.chat('')),
        topics: busiest(roomKey.topic('')),
      }
      previous = { at, ...totals }
      latencies = []
      seen = 0
      loopDelay.reset()
      return stats
    },
    dispose() {
      loopDelay.disable()
      bus.off('notification:published', onPublished)
      bus.off('socket:event-refused', onRefused)
      bus.off('chat:message-posted', onChat)
      bus.off('presence:user-online', onPresence)
      bus.off('presence:user-offline', onPresence)
    },
  }
}
