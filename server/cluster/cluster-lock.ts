import type { Redis } from 'ioredis'

/**
 * Takes a cluster-wide turn: resolves true for exactly one caller per `ttlMs` across every node
 * sharing `redis` (`SET key NX PX`), false for the others and when Redis cannot be reached. The
 * turn is never released early, so a job that runs on every node's timer runs once per period
 * for the whole cluster.
 *
 * @example
 * if (await takeTurn(redis, 'tidings:prune-lock', 3_600_000 - 60_000, nodeId)) await store.prune()
 */
export async function takeTurn(redis: Redis, key: string, ttlMs: number, holder: string): Promise<boolean> {
  try {
    return (await redis.set(key, holder, 'PX', ttlMs, 'NX')) === 'OK'
  } catch {
    return false
  }
}
