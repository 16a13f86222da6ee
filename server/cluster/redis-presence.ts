import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Logger } from '../logger.js'

/** Seconds a node's users stay counted after its last heartbeat (`TIDINGS_PRESENCE_TTL_SECONDS`). */
export const DEFAULT_PRESENCE_TTL_SECONDS = 30

/*
 * Keys (p = prefix):
 *   p users          HASH user key -> open connections across the cluster
 *   p names          HASH user key -> display name (for user-left after a node died)
 *   p node:<id>      HASH user key -> open connections on that node
 *   p alive:<id>     set by the node's heartbeat, expires after the TTL
 *   p nodes          SET of node ids with users counted
 * A node's connections stay in `users` until it removes them or its alive key expires; then the
 * next heartbeat of any node takes them out (the reap).
 */

// Subtracts node `n`'s connections from the totals and forgets the node; returns the names of
// users left with no connection.
const subtractNode = `
local function subtract_node(p, n, gone)
  local counts = redis.call('HGETALL', p .. 'node:' .. n)
  for i = 1, #counts, 2 do
    local key = counts[i]
    if redis.call('HINCRBY', p .. 'users', key, -tonumber(counts[i + 1])) <= 0 then
      gone[#gone + 1] = redis.call('HGET', p .. 'names', key) or key
      redis.call('HDEL', p .. 'users', key)
      redis.call('HDEL', p .. 'names', key)
    end
  end
  redis.call('DEL', p .. 'node:' .. n)
  redis.call('SREM', p .. 'nodes', n)
end
`

const SCRIPTS = {
  /**
   * ARGV: prefix, node, user key, name. Returns {1 if the user just came online, user count,
   * the user's connections across the cluster}.
   */
  presenceAdd: `
local p, n, key = ARGV[1], ARGV[2], ARGV[3]
redis.call('HINCRBY', p .. 'node:' .. n, key, 1)
redis.call('SADD', p .. 'nodes', n)
redis.call('HSET', p .. 'names', key, ARGV[4])
local total = redis.call('HINCRBY', p .. 'users', key, 1)
return {total == 1 and 1 or 0, redis.call('HLEN', p .. 'users'), total}
`,
  /** ARGV: prefix, node, user key. Returns {1 if the user just went offline, user count}. */
  presenceRemove: `
local p, n, key = ARGV[1], ARGV[2], ARGV[3]
local here = redis.call('HINCRBY', p .. 'node:' .. n, key, -1)
if here <= 0 then redis.call('HDEL', p .. 'node:' .. n, key) end
-- Below zero: this node was reaped meanwhile and its connections already subtracted.
if here < 0 then return {0, redis.call('HLEN', p .. 'users')} end
if redis.call('HINCRBY', p .. 'users', key, -1) <= 0 then
  redis.call('HDEL', p .. 'users', key)
  redis.call('HDEL', p .. 'names', key)
  return {1, redis.call('HLEN', p .. 'users')}
end
return {0, redis.call('HLEN', p .. 'users')}
`,
  /**
   * ARGV: prefix, node, TTL ms. Refreshes this node's alive key, reaps nodes whose key expired.
   * Returns {1 if this node's own key had expired (it must resync), user count, gone names...}.
   */
  presenceHeartbeat: `${subtractNode}
local p, n = ARGV[1], ARGV[2]
local lost = redis.call('SET', p .. 'alive:' .. n, '1', 'PX', ARGV[3], 'GET') == false
local gone = {}
for _, other in ipairs(redis.call('SMEMBERS', p .. 'nodes')) do
  if other ~= n and redis.call('EXISTS', p .. 'alive:' .. other) == 0 then subtract_node(p, other, gone) end
end
local out = {lost and 1 or 0, redis.call('HLEN', p .. 'users')}
for _, name in ipairs(gone) do out[#out + 1] = name end
return out
`,
  /**
   * ARGV: prefix, node, TTL ms, then user key, connections, name for each local user. Replaces
   * whatever Redis holds for this node by the node's own account. Returns the user count.
   */
  presenceResync: `${subtractNode}
local p, n = ARGV[1], ARGV[2]
subtract_node(p, n, {})
redis.call('SET', p .. 'alive:' .. n, '1', 'PX', ARGV[3])
for i = 4, #ARGV, 3 do
  local key, count = ARGV[i], tonumber(ARGV[i + 1])
  redis.call('HINCRBY', p .. 'node:' .. n, key, count)
  redis.call('HINCRBY', p .. 'users', key, count)
  redis.call('HSET', p .. 'names', key, ARGV[i + 2])
  redis.call('SADD', p .. 'nodes', n)
end
return redis.call('HLEN', p .. 'users')
`,
  /** ARGV: prefix, node. A clean shutdown: this node's users leave at once. Returns gone names. */
  presenceLeave: `${subtractNode}
local gone = {}
subtract_node(ARGV[1], ARGV[2], gone)
redis.call('DEL', ARGV[1] .. 'alive:' .. ARGV[2])
return gone
`,
} as const

type PresenceRedis = Redis & { [K in keyof typeof SCRIPTS]: (...args: (string | number)[]) => Promise<unknown> }

export interface PresenceChangeResult {
  /** True when this call took the user from 0 to 1 connection (add) or 1 to 0 (remove), cluster-wide. */
  changed: boolean
  /** Distinct users online across the cluster after the call. */
  userCount: number
  /** After `add`: this user's open connections across the cluster, the new one included. */
  connections?: number
}

export interface RedisPresenceOptions {
  redis: Redis
  log?: Logger
  /** Default {@link DEFAULT_PRESENCE_TTL_SECONDS}. */
  ttlSeconds?: number
  prefix?: string
  /** This process's id in Redis; a fresh random one by default. */
  nodeId?: string
  /** Called with users a reap took offline (their node stopped heartbeating), and the new count. */
  onUsersExpired?: (usernames: string[], userCount: number) => void
  /** Called after each heartbeat with the cluster's user count. */
  onCount?: (userCount: number) => void
}

export interface RedisPresence {
  readonly nodeId: string
  /** One more connection for `key` (the user's stable identity); `username` is what others see. */
  add(key: string, username: string): Promise<PresenceChangeResult>
  remove(key: string): Promise<PresenceChangeResult>
  /** The last count Redis reported (updated by every call and every heartbeat). */
  userCount(): number
  /** Asks Redis for the count now. */
  fetchUserCount(): Promise<number>
  /** Names of users with a connection on this node. */
  localUsers(): string[]
  /** Runs one heartbeat now (the timer runs them every third of the TTL). */
  heartbeat(): Promise<void>
  /** Stops the heartbeat; with `leave`, takes this node's users out of the count now. */
  close(options?: { leave?: boolean }): Promise<void>
}

/**
 * Cluster-wide presence in Redis: distinct users across every node, one user with tabs on two
 * nodes counted once. Each node keeps its own account of its connections in memory and mirrors
 * it to Redis; a heartbeat every third of the TTL keeps the node's entries alive, and the first
 * heartbeat of any node after a node's key expired takes that node's users out (so a node killed
 * with -9 loses its users within the TTL and a heartbeat). A node whose own entries expired (a
 * long pause, Redis restarted) writes its whole account again.
 *
 * @example
 * const presence = createRedisPresence({ redis, ttlSeconds: 30, onUsersExpired: (names) => … })
 * const { changed, userCount } = await presence.add('id:ada', 'Ada')
 */
export function createRedisPresence({
  redis: connection,
  log,
  ttlSeconds = DEFAULT_PRESENCE_TTL_SECONDS,
  prefix = 'tidings:presence:',
  nodeId = randomBytes(8).toString('hex'),
  onUsersExpired,
  onCount,
}: RedisPresenceOptions): RedisPresence {
  for (const [name, lua] of Object.entries(SCRIPTS)) connection.defineCommand(name, { numberOfKeys: 0, lua })
  const redis = connection as PresenceRedis
  const ttlMs = ttlSeconds * 1000
  // This node's own truth: connections per user key, and each user's name.
  const local = new Map<string, { username: string; connections: number }>()
  let count = 0
  let closed = false
  // A change that could not reach Redis leaves it out of step: resync at the next heartbeat.
  let outOfStep = true

  const resync = async () => {
    const args: (string | number)[] = []
    for (const [key, { username, connections }] of local) args.push(key, connections, username)
    count = Number(await redis.presenceResync(prefix, nodeId, ttlMs, ...args))
    outOfStep = false
  }

  const heartbeat = async () => {
    if (closed) return
    try {
      if (outOfStep) await resync()
      const [lost, userCount, ...gone] = (await redis.presenceHeartbeat(prefix, nodeId, ttlMs)) as [number, number, ...string[]]
      count = userCount
      if (lost === 1) await resync()
      if (gone.length > 0) {
        log?.info({ users: gone.length }, 'presence: users of a stopped node expired')
        onUsersExpired?.(gone, count)
      }
      onCount?.(count)
    } catch (err) {
      if (!outOfStep) log?.warn({ err: (err as Error).message }, 'presence heartbeat failed; resyncing when redis is back')
      outOfStep = true
    }
  }

  const timer = setInterval(() => void heartbeat(), Math.max(100, Math.floor(ttlMs / 3)))
  timer.unref()
  void heartbeat()

  const call = async (script: 'presenceAdd' | 'presenceRemove', ...args: string[]): Promise<PresenceChangeResult> => {
    try {
      const [changed, userCount, connections] = (await redis[script](prefix, nodeId, ...args)) as [number, number, number?]
      count = userCount
      return connections === undefined ? { changed: changed === 1, userCount } : { changed: changed === 1, userCount, connections }
    } catch (err) {
      outOfStep = true
      throw err
    }
  }

  return {
    nodeId,
    async add(key, username) {
      const entry = local.get(key)
      if (entry) entry.connections++
      else local.set(key, { username, connections: 1 })
      return call('presenceAdd', key, username)
    },
    async remove(key) {
      const entry = local.get(key)
      if (!entry) return { changed: false, userCount: count }
      if (--entry.connections === 0) local.delete(key)
      return call('presenceRemove', key)
    },
    userCount: () => count,
    async fetchUserCount() {
      count = await redis.hlen(`${prefix}users`)
      return count
    },
    localUsers: () => [...local.values()].map((user) => user.username),
    heartbeat,
    async close({ leave = false } = {}) {
      closed = true
      clearInterval(timer)
      if (leave) await redis.presenceLeave(prefix, nodeId).catch(() => undefined)
    },
  }
}
