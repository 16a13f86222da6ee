import { Redis, type RedisOptions } from 'ioredis'
import type { Logger } from '../logger.js'

/** Longest wait for one Redis command: past it the caller gets an error, never a hang. */
export const REDIS_COMMAND_TIMEOUT_MS = 5000

/** Longest pause between reconnection attempts, so a returning Redis is noticed within seconds. */
export const REDIS_MAX_RECONNECT_DELAY_MS = 1000

export interface RedisConnectionOptions {
  url: string
  log?: Logger
  /** Names the connection in `CLIENT LIST` and in logs. */
  name: string
  /** For a connection that runs blocking reads: longest block, in ms, before the timeout applies. */
  blockingMs?: number
  /**
   * Queue commands while disconnected (each still fails after the timeout). Only for a client
   * that retries at once on failure and would otherwise spin (the Socket.IO adapter's reader).
   */
  queueWhileOffline?: boolean
}

/**
 * Opens a Redis connection set up the hub's way: every command fails within
 * {@link REDIS_COMMAND_TIMEOUT_MS}, commands issued while disconnected fail at once instead of
 * queueing (a publisher gets 503 now rather than a hang and maybe a late write), and the
 * connection comes back by itself, retrying at least once a second.
 *
 * @example
 * const redis = openRedis({ url: 'redis://127.0.0.1:6379', name: 'store', log })
 * await waitUntilReady(redis)
 */
export function openRedis({ url, log, name, blockingMs, queueWhileOffline = false }: RedisConnectionOptions): Redis {
  const options: RedisOptions = {
    connectionName: `tidings:${name}`,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS + (blockingMs ?? 0),
    enableOfflineQueue: queueWhileOffline,
    maxRetriesPerRequest: 0,
    // A lost connection is retried forever; only the pace is bounded.
    retryStrategy: (attempt) => Math.min(50 * attempt, REDIS_MAX_RECONNECT_DELAY_MS),
    lazyConnect: false,
  }
  const redis = new Redis(url, options)
  let up = false
  redis.on('ready', () => {
    if (!up) log?.info({ connection: name }, 'redis connected')
    up = true
  })
  // Errors are retried by the client; log the transition once rather than every attempt.
  redis.on('error', (err: Error) => {
    if (up) log?.warn({ connection: name, err: err.message }, 'redis connection lost')
    up = false
  })
  redis.on('close', () => {
    if (up) log?.warn({ connection: name }, 'redis connection lost')
    up = false
  })
  return redis
}

/** Resolves once `redis` can take commands; rejects after `timeoutMs` with a short reason. */
export function waitUntilReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady)
      reject(new Error('redis unreachable'))
    }, timeoutMs)
    const onReady = () => {
      clearTimeout(timer)
      resolve()
    }
    redis.once('ready', onReady)
  })
}
