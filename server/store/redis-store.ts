import type { Redis } from 'ioredis'
import { formatSequenceId, parseCursor, parseSequenceId, type InboxEntry, type InboxPage } from '../../shared/index.js'
import { openRedis, waitUntilReady } from '../cluster/redis-connection.js'
import type { Logger } from '../logger.js'
import { audienceOf, audiencesOf } from './audiences.js'
import { createRedisFeed, type RedisFeed } from './redis-feed.js'
import { withStoreScripts, type ScriptedRedis } from './redis-scripts.js'
import { toChatMessage, toNotification } from './redis-values.js'
import { StoreUnavailableError } from './store-unavailable.js'
import {
  checkPageLimit,
  DEFAULT_CHAT_HISTORY_PER_ROOM,
  DEFAULT_RECENT_CHAT_MESSAGES,
  DEFAULT_RETENTION_DAYS,
  IDEMPOTENCY_TTL_MS,
  type AppendResult,
  type IdempotencyKey,
  type Store,
} from './store.js'

// Every Redis failure (unreachable, timed out, loading, read-only) reaches callers as one error
// type, which HTTP answers with 503: nothing hangs, nothing answers 500.
const unreachable = (cause: unknown): never => {
  throw new StoreUnavailableError('redis unreachable', { cause })
}
const reach = <T>(command: Promise<T>): Promise<T> => command.catch(unreachable)

/** Rows deleted per script call by `prune`: each call holds Redis for about a millisecond. */
export const REDIS_PRUNE_BATCH_SIZE = 1000

/** Feed entries Redis keeps (approximately): how far a node's reader may fall behind and still catch up. */
export const DEFAULT_FEED_LENGTH = 100_000

const DAY_MS = 24 * 60 * 60 * 1000

export interface RedisStoreOptions {
  /** `redis://host:port` (`rediss://` for TLS; user and password in the URL). */
  url: string
  log?: Logger
  /** The clock for idempotency expiry and `prune`'s default; injectable for tests. */
  now?: () => Date
  retentionDays?: number
  chatHistoryPerRoom?: number
  /** Prepended to every key, so several hubs (or tests) can share one Redis. Default `tidings:`. */
  prefix?: string
  feedLength?: number
}

/** A notification or message as stored: every field but the id, which Redis assigns. */
function withoutId(value: object): string {
  // A caller may hand over an object that still carries an id: the stored one is Redis's.
  const { id: _ignored, ...rest } = value as { id?: unknown }
  return JSON.stringify(rest)
}

/** The sequence number a cursor stands for: 0 for none, a `RangeError` for an id the store did not make. */
function seqOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0
  const seq = parseCursor(cursor)
  if (seq === undefined) throw new RangeError('not a cursor this store made')
  return seq
}

// Keys are made of user-chosen parts; a length prefix keeps "a:b" + "c" apart from "a" + "b:c".
const idempotencyField = ({ scope, key }: IdempotencyKey): string => `${scope.length}:${scope}:${key}`

/**
 * The store in Redis, for several hub processes sharing one Redis. Ids are assigned by Redis at
 * commit (INCR and the write in one script), so commit order is id order across every node;
 * each node reads every commit from one Redis stream, from where it left off, so a reconnection
 * loses nothing. Every command fails within a bounded time when Redis is unreachable.
 *
 * @example
 * const store = await openRedisStore({ url: 'redis://127.0.0.1:6379', log })
 * const { notification } = await store.appendNotification({ title: 'Hi', body: '', level: 'info', timestamp })
 */
export async function openRedisStore({
  url,
  log,
  now = () => new Date(),
  retentionDays = DEFAULT_RETENTION_DAYS,
  chatHistoryPerRoom = DEFAULT_CHAT_HISTORY_PER_ROOM,
  prefix = 'tidings:',
  feedLength = DEFAULT_FEED_LENGTH,
}: RedisStoreOptions): Promise<Store> {
  const connection: Redis = openRedis({ url, log, name: 'store' })
  let feed: RedisFeed
  try {
    await waitUntilReady(connection)
    feed = await createRedisFeed({ url, log, key: `${prefix}feed` })
  } catch (error) {
    connection.disconnect()
    throw error
  }
  const redis: ScriptedRedis = withStoreScripts(connection)
  const p = prefix
  let closed = false

  const assertOpen = (): void => {
    if (closed) throw new Error('the store is closed')
  }

  const pruneInBatches = async (script: 'pruneNotifications' | 'pruneIdempotencyKeys', cutoff: number) => {
    let total = 0
    while (!closed) {
      const deleted = Number(await reach(redis[script](p, cutoff, REDIS_PRUNE_BATCH_SIZE)))
      total += deleted
      if (deleted < REDIS_PRUNE_BATCH_SIZE) break
    }
    return total
  }

  return {
    async appendNotification(draft, idempotency): Promise<AppendResult> {
      assertOpen()
      const json = withoutId(draft)
      const nowMs = now().getTime()
      const publishedAt = Date.parse(draft.timestamp)
      const [created, id, stored] = (await reach(
        redis.appendNotification(
          p,
          json,
          audienceOf(draft),
          Number.isNaN(publishedAt) ? nowMs : publishedAt,
          idempotency === undefined ? '' : idempotencyField(idempotency),
          nowMs,
          IDEMPOTENCY_TTL_MS,
          feedLength,
        ),
      )) as [number, string, string]
      return { notification: toNotification(id + stored), created: created === 1 }
    },
    async newestNotificationId() {
      assertOpen()
      const [[, seq], [, stored]] = (await reach(redis.multi().get(`${p}n:seq`).hlen(`${p}n:data`).exec())) as [
        [unknown, string | null],
        [unknown, number],
      ]
      return seq !== null && stored > 0 ? formatSequenceId(Number(seq)) : undefined
    },
    async notificationsAfter(recipient, afterId, limit) {
      assertOpen()
      const after = seqOf(afterId)
      const rows = (await reach(redis.notificationsAfter(p, after, checkPageLimit(limit), ...audiencesOf(recipient)))) as string[]
      return rows.map(toNotification)
    },
    async followTopic(userId, topic) {
      assertOpen()
      await reach(redis.sadd(`${p}follows:${userId}`, topic))
    },
    async unfollowTopic(userId, topic) {
      assertOpen()
      await reach(redis.srem(`${p}follows:${userId}`, topic))
    },
    async followedTopics(userId) {
      assertOpen()
      return (await reach(redis.smembers(`${p}follows:${userId}`))).sort()
    },
    async inbox(userId, { before, limit }): Promise<InboxPage> {
      assertOpen()
      checkPageLimit(limit)
      const [topics, unread, rows, reads] = (await reach(
        redis.inboxPage(p, userId, before === undefined ? '+inf' : seqOf(before), limit),
      )) as [string[], number, string[], number[]]
      // One row more than asked tells whether another page exists.
      const entries: InboxEntry[] = rows
        .slice(0, limit)
        .map((row, i) => ({ notification: toNotification(row), read: reads[i] === 1 }))
      const page: InboxPage = { entries, unread, followed: topics.sort() }
      const last = entries.at(-1)
      if (rows.length > limit && last !== undefined) page.nextCursor = last.notification.id
      return page
    },
    async markRead(userId, notificationId) {
      assertOpen()
      if (parseSequenceId(notificationId) === undefined) return false
      return (await reach(redis.markRead(p, userId, notificationId))) === 1
    },
    async markAllRead(userId) {
      assertOpen()
      await reach(redis.markAllRead(p, userId))
    },
    async unreadCount(userId) {
      assertOpen()
      return Number(await reach(redis.unreadCount(p, userId)))
    },
    async startInbox(userId) {
      assertOpen()
      await reach(redis.startInbox(p, userId))
    },
    async appendChatMessage(draft) {
      assertOpen()
      const json = withoutId(draft)
      const id = (await reach(redis.appendChatMessage(p, draft.room, json, chatHistoryPerRoom, feedLength))) as string
      return toChatMessage(id + json)
    },
    async recentChatMessages(room, limit = DEFAULT_RECENT_CHAT_MESSAGES) {
      assertOpen()
      return (await reach(redis.zrange(`${p}c:room:${room}`, String(-checkPageLimit(limit)), '-1'))).map(toChatMessage)
    },
    async chatMessagesAfter(room, afterId, limit) {
      assertOpen()
      const after = seqOf(afterId)
      const rows = await reach(
        redis.zrangebyscore(`${p}c:room:${room}`, `(${after}`, '+inf', 'LIMIT', 0, checkPageLimit(limit)),
      )
      return rows.map(toChatMessage)
    },
    subscribe(listener) {
      return feed.subscribe(listener)
    },
    async check() {
      if (closed) throw new Error('the store is closed')
      await redis.ping().catch(() => {
        throw new Error('redis unreachable')
      })
      if (!feed.healthy()) throw new Error('redis feed not reading')
    },
    async prune(at = now()) {
      assertOpen()
      const result = {
        notifications: await pruneInBatches('pruneNotifications', at.getTime() - retentionDays * DAY_MS),
        idempotencyKeys: await pruneInBatches('pruneIdempotencyKeys', at.getTime() - IDEMPOTENCY_TTL_MS),
      }
      if (result.notifications + result.idempotencyKeys > 0) log?.info(result, 'store pruned')
      return result
    },
    async close() {
      if (closed) return
      closed = true
      feed.close()
      // QUIT is answered after every command sent before it: pending writes complete first.
      await redis.quit().catch(() => redis.disconnect())
      log?.info('store closed')
    },
  }
}
