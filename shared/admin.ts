import type { Notification } from './notification.js'

/** A room or topic and how many connections are in it. */
export interface AudienceSize {
  name: string
  connections: number
}

/**
 * One node's figures, sent every second to the dashboard over the `/admin` namespace. Rates are
 * per second over the last interval; `node` names the process so that a cluster can send one
 * snapshot per node and the dashboard can add them up.
 */
export interface NodeStats {
  /** Stable for the life of the process (host name and pid). */
  node: string
  /** When the snapshot was taken (milliseconds since the epoch). */
  at: number
  connections: number
  users: number
  publishedPerSecond: number
  deliveredPerSecond: number
  chatPerSecond: number
  /** Median and 95th percentile, in milliseconds, from acceptance to hand-off to the sockets. */
  deliveryLatencyMs: { p50: number; p95: number }
  /** Event-loop delay, 99th percentile over the interval, in milliseconds. */
  eventLoopLagMs: number
  memory: { rssBytes: number; heapUsedBytes: number }
  /** The busiest chat rooms and notification topics, most connections first (at most 5 each). */
  rooms: AudienceSize[]
  topics: AudienceSize[]
}

/** Hub → dashboard, on the `/admin` namespace. */
export interface AdminServerToClientEvents {
  stats: (stats: NodeStats) => void
  /** The latest notifications, newest first: all of them on connect, then each new one. */
  'recent-notifications': (notifications: Notification[]) => void
}

// The dashboard sends nothing: it publishes through POST /notify like any other publisher.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AdminClientToServerEvents {}

/** The namespace of the operators' dashboard; its handshake must carry `auth.key` (an API key). */
export const ADMIN_NAMESPACE = '/admin'
