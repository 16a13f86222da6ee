import { createAdapter } from '@socket.io/redis-streams-adapter'
import type { Redis } from 'ioredis'
import type { ConnectionLimiter, ConnectionLimiterOptions } from '../limits/connection-limiter.js'
import type { LimiterStore } from '../limits/store.js'
import type { Logger } from '../logger.js'
import { openRedisStore } from '../store/redis-store.js'
import type { Store } from '../store/store.js'
import { clusterConnectionLimiter } from './cluster-connection-limiter.js'
import { takeTurn } from './cluster-lock.js'
import { openRedis, waitUntilReady } from './redis-connection.js'
import { redisLimiterStore } from './redis-limiter-store.js'
import { createRedisPresence, type RedisPresence, type RedisPresenceOptions } from './redis-presence.js'

/** How long the Socket.IO adapter's reader blocks on its stream before asking again. */
const ADAPTER_BLOCK_MS = 1000

export interface ClusterOptions {
  url: string
  log: Logger
  presenceTtlSec: number
  retentionDays: number
  /** Key prefix shared by every node of one cluster. Default `tidings:`. */
  prefix?: string
}

/** Everything a hub process needs to act as one node of several sharing a Redis. */
export interface Cluster {
  store: Store
  /** Socket.IO's `adapter` option: broadcasts and room operations reach every node. */
  adapter: ReturnType<typeof createAdapter>
  /** Rate-limiter counters shared by every node. */
  limiterStore: LimiterStore
  /** Starts cluster-wide presence; `onUsersExpired` hears of users of a node that stopped. */
  startPresence(handlers: Pick<RedisPresenceOptions, 'onUsersExpired' | 'onCount'>): RedisPresence
  /** Cluster-wide open connections per client address (`TIDINGS_CONNECTIONS_PER_IP`). */
  connectionLimiter(options: ConnectionLimiterOptions): ConnectionLimiter
  /** True for one node per period: that node runs the cluster's periodic job (pruning). */
  takeTurn(job: string, periodMs: number): Promise<boolean>
  /** Closes every connection (the store's pending writes first). */
  close(): Promise<void>
}

/**
 * Connects a hub process to the cluster's Redis: the Redis store, the Socket.IO Redis streams
 * adapter, presence and rate-limit counters. Resolves once Redis answers; rejects with
 * `redis unreachable` when it does not within 10 s, so a node never starts half-connected.
 *
 * @example
 * const cluster = await openCluster({ url: config.redis.url, log, presenceTtlSec: 30, retentionDays: 30 })
 * const hub = createHub(config, log, verifier, { cluster })
 */
export async function openCluster({ url, log, presenceTtlSec, retentionDays, prefix = 'tidings:' }: ClusterOptions): Promise<Cluster> {
  const connections: Redis[] = []
  const open = (name: string, extra: { blockingMs?: number; queueWhileOffline?: boolean } = {}) => {
    const redis = openRedis({ url, log, name, ...extra })
    connections.push(redis)
    return redis
  }
  const shared = open('shared')
  // The adapter's reader retries at once after a failed read: its client queues while offline.
  const adapterClient = open('adapter', { blockingMs: ADAPTER_BLOCK_MS, queueWhileOffline: true })
  let store: Store | undefined
  try {
    await Promise.all([waitUntilReady(shared), waitUntilReady(adapterClient)])
    store = await openRedisStore({ url, log, retentionDays, prefix })
  } catch (error) {
    for (const redis of connections) redis.disconnect()
    throw error
  }
  const adapter = createAdapter(adapterClient, { streamName: `${prefix}socket.io`, blockTimeInMs: ADAPTER_BLOCK_MS })
  let presence: RedisPresence | undefined
  const tallies: RedisPresence[] = []

  return {
    store,
    adapter,
    limiterStore: redisLimiterStore(shared),
    startPresence(handlers) {
      presence = createRedisPresence({ redis: shared, log, ttlSeconds: presenceTtlSec, prefix: `${prefix}presence:`, ...handlers })
      return presence
    },
    connectionLimiter(options) {
      // Addresses are counted like users: per node, expiring with the node's heartbeat.
      const tally = createRedisPresence({ redis: shared, log, ttlSeconds: presenceTtlSec, prefix: `${prefix}connections:` })
      tallies.push(tally)
      return clusterConnectionLimiter(options, tally, log)
    },
    takeTurn: (job, periodMs) => takeTurn(shared, `${prefix}turn:${job}`, periodMs, presence?.nodeId ?? 'node'),
    async close() {
      await Promise.all([presence, ...tallies].map((tally) => tally?.close({ leave: true })))
      await store.close()
      for (const redis of connections) redis.disconnect()
    },
  }
}
