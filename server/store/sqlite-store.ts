import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { formatSequenceId, parseSequenceId } from '../../shared/index.js'
import type { Logger } from '../logger.js'
import { audiencesOf } from './audiences.js'
import { chatTable } from './sqlite-chat.js'
import { inboxTables } from './sqlite-inbox.js'
import { notificationTable } from './sqlite-notifications.js'
import { migrate, SCHEMA_VERSION } from './sqlite-schema.js'
import {
  checkPageLimit,
  DEFAULT_CHAT_HISTORY_PER_ROOM,
  DEFAULT_RECENT_CHAT_MESSAGES,
  DEFAULT_RETENTION_DAYS,
  IDEMPOTENCY_TTL_MS,
  type Store,
  type StoreFeedEvent,
  type StoreFeedListener,
} from './store.js'
import { createWriteQueue } from './write-queue.js'

/** Where the hub keeps its database unless configured otherwise (relative to the working folder). */
export const DEFAULT_SQLITE_PATH = './data/tidings.db'

/** Rows deleted per statement by `prune`: small enough that one statement takes milliseconds. */
export const PRUNE_BATCH_SIZE = 1000

const DAY_MS = 24 * 60 * 60 * 1000

export interface SqliteStoreOptions {
  /** A file path (its folder is created if missing) or `:memory:`. */
  path: string
  log?: Logger
  /** The clock for idempotency expiry and `prune`'s default; injectable for tests. */
  now?: () => Date
  retentionDays?: number
  chatHistoryPerRoom?: number
}

const yieldToEventLoop = (): Promise<void> => new Promise((done) => setImmediate(done))

/** The sequence number of an id handed back by a caller; 0 (before the first) when absent. */
function seqAfter(id: string | undefined): number {
  if (id === undefined) return 0
  const seq = parseSequenceId(id)
  if (seq === undefined) throw new RangeError(`not an id this store made: ${JSON.stringify(id)}`)
  return seq
}

/**
 * Opens (creating and migrating as needed) the embedded SQLite store.
 *
 * @example
 * const store = openSqliteStore({ path: DEFAULT_SQLITE_PATH, log })
 * await store.appendNotification(notification)
 * await store.close()
 */
export function openSqliteStore({
  path,
  log,
  now = () => new Date(),
  retentionDays = DEFAULT_RETENTION_DAYS,
  chatHistoryPerRoom = DEFAULT_CHAT_HISTORY_PER_ROOM,
}: SqliteStoreOptions): Store {
  const inMemory = path === ':memory:'
  if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true })
  const db = new Database(path)
  try {
    // WAL lets readers proceed during a commit, and a commit is one sequential append.
    db.pragma('journal_mode = WAL')
    // Durability promise: with WAL and synchronous=NORMAL a transaction is in the WAL file (the
    // OS page cache) when COMMIT returns, so it survives the process being killed (kill -9, a
    // crash). Only an operating-system crash or power cut can lose the latest commits, which
    // reach the disk at the next checkpoint. FULL would fsync every commit at a large cost in
    // throughput for a guarantee the hub does not advertise.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    // Another process holding the write lock (a backup, a second hub) is waited for, not failed.
    db.pragma('busy_timeout = 5000')
    migrate(db, log)
  } catch (error) {
    db.close()
    throw error
  }
  log?.info({ path, schemaVersion: SCHEMA_VERSION }, 'store opened')

  const notifications = notificationTable(db)
  const inbox = inboxTables(db)
  const chat = chatTable(db, chatHistoryPerRoom)
  const queue = createWriteQueue(db, { log, beforeCommit: () => chat.trimTouchedRooms() })
  let closed = false
  const listeners = new Set<StoreFeedListener>()

  const assertOpen = (): void => {
    if (closed) throw new Error('the store is closed')
  }

  // Called by the write queue right after each commit, in commit order: the in-process feed.
  const announce = (event: StoreFeedEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event)
      } catch (err) {
        log?.error({ err, kind: event.kind }, 'a store feed listener failed')
      }
    }
  }

  // Deletes in batches until one comes back short, letting deliveries run between batches.
  const deleteInBatches = async (deleteBatch: () => number): Promise<number> => {
    let total = 0
    while (!closed) {
      const deleted = deleteBatch()
      total += deleted
      if (deleted < PRUNE_BATCH_SIZE) break
      await yieldToEventLoop()
    }
    return total
  }

  return {
    async appendNotification(draft, idempotency) {
      assertOpen()
      return queue.enqueue(
        () => notifications.append(draft, idempotency, now().getTime()),
        ({ notification, created }) => {
          if (created) announce({ kind: 'notification', notification })
        },
      )
    },
    async newestNotificationId() {
      assertOpen()
      const seq = notifications.newestSeq()
      return seq === 0 ? undefined : formatSequenceId(seq)
    },
    async notificationsAfter(recipient, afterId, limit) {
      assertOpen()
      return notifications.after(audiencesOf(recipient), seqAfter(afterId), checkPageLimit(limit))
    },
    async followTopic(username, topic) {
      assertOpen()
      return queue.enqueue(() => inbox.followTopic(username, topic))
    },
    async unfollowTopic(username, topic) {
      assertOpen()
      return queue.enqueue(() => inbox.unfollowTopic(username, topic))
    },
    async followedTopics(username) {
      assertOpen()
      return inbox.followedTopics(username)
    },
    async inbox(username, { before, limit }) {
      assertOpen()
      return inbox.page(username, before === undefined ? undefined : seqAfter(before), checkPageLimit(limit))
    },
    async markRead(username, notificationId) {
      assertOpen()
      return queue.enqueue(() => inbox.markRead(username, notificationId))
    },
    async markAllRead(username) {
      assertOpen()
      // Queued behind pending appends, so "everything so far" includes what was accepted before.
      return queue.enqueue(() => inbox.markAllRead(username))
    },
    async unreadCount(username) {
      assertOpen()
      return inbox.unreadCount(username)
    },
    async appendChatMessage(draft) {
      assertOpen()
      return queue.enqueue(
        () => chat.append(draft),
        (message) => announce({ kind: 'chat', message }),
      )
    },
    async recentChatMessages(room, limit = DEFAULT_RECENT_CHAT_MESSAGES) {
      assertOpen()
      return chat.recent(room, checkPageLimit(limit))
    },
    async chatMessagesAfter(room, afterId, limit) {
      assertOpen()
      return chat.after(room, seqAfter(afterId), checkPageLimit(limit))
    },
    subscribe(listener) {
      // A wrapper per call, so the same function subscribed twice is called twice and each
      // returned function stops its own subscription.
      const own: StoreFeedListener = (event) => listener(event)
      listeners.add(own)
      return () => {
        listeners.delete(own)
      }
    },
    async check() {
      if (closed) throw new Error('store closed')
    },
    async prune(at = now()) {
      assertOpen()
      const notificationCutoff = at.getTime() - retentionDays * DAY_MS
      const keyCutoff = at.getTime() - IDEMPOTENCY_TTL_MS
      const result = {
        notifications: await deleteInBatches(() => notifications.deleteOlderThan(notificationCutoff, PRUNE_BATCH_SIZE)),
        idempotencyKeys: await deleteInBatches(() => notifications.deleteKeysOlderThan(keyCutoff, PRUNE_BATCH_SIZE)),
      }
      if (result.notifications + result.idempotencyKeys > 0) log?.info(result, 'store pruned')
      return result
    },
    async close() {
      if (closed) return
      closed = true
      queue.flush()
      listeners.clear()
      db.close()
      log?.info({ path }, 'store closed')
    },
  }
}
