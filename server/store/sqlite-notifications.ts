import type { Database } from 'better-sqlite3'
import type { Notification, NotificationLevel } from '../../shared/index.js'
import { audienceOf, type Audience } from './audiences.js'
import { mergeById } from './merge-by-id.js'
import { IDEMPOTENCY_TTL_MS, type AppendResult, type IdempotencyKey } from './store.js'

/** A `notifications` row as selected by `NOTIFICATION_COLUMNS`. */
export interface NotificationRow {
  id: string
  title: string
  body: string
  level: string
  timestamp: string
  topic: string | null
  user: string | null
  data: string | null
}

export const NOTIFICATION_COLUMNS = 'id, title, body, level, timestamp, topic, user, data'

/** Rebuilds the wire shape: absent optional fields stay absent rather than becoming null. */
export function toNotification(row: NotificationRow): Notification {
  const n: Notification = {
    id: row.id,
    title: row.title,
    body: row.body,
    level: row.level as NotificationLevel,
    timestamp: row.timestamp,
  }
  if (row.topic !== null) n.topic = row.topic
  if (row.user !== null) n.user = row.user
  if (row.data !== null) n.data = JSON.parse(row.data) as Record<string, unknown>
  return n
}

export interface NotificationTable {
  /** Must run inside a write transaction, so that the idempotency check and insert are one step. */
  append(notification: Notification, idempotency: IdempotencyKey | undefined, nowMs: number): AppendResult
  /** Oldest first, ids greater than `afterId`, across `audiences`. */
  after(audiences: readonly Audience[], afterId: string, limit: number): Notification[]
  newestId(): string | undefined
  /** Deletes up to `batchSize` notifications published before `cutoffMs`; returns how many. */
  deleteOlderThan(cutoffMs: number, batchSize: number): number
  deleteKeysOlderThan(cutoffMs: number, batchSize: number): number
}

/**
 * Statements for the `notifications` and `idempotency_keys` tables, prepared once.
 *
 * @example
 * const table = notificationTable(db)
 * queue.enqueue(() => table.append(n, undefined, Date.now()))
 */
export function notificationTable(db: Database): NotificationTable {
  const insert = db.prepare(
    `INSERT INTO notifications (id, title, body, level, timestamp, topic, user, data, published_at, audience)
     VALUES (@id, @title, @body, @level, @timestamp, @topic, @user, @data, @publishedAt, @audience)`,
  )
  const byId = db.prepare<[string], NotificationRow>(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE id = ?`)
  const findKey = db.prepare<[string, string], { notification_id: string; created_at: number }>(
    'SELECT notification_id, created_at FROM idempotency_keys WHERE scope = ? AND key = ?',
  )
  const saveKey = db.prepare(
    `INSERT INTO idempotency_keys (scope, key, notification_id, created_at) VALUES (@scope, @key, @id, @nowMs)
     ON CONFLICT (scope, key) DO UPDATE SET notification_id = excluded.notification_id, created_at = excluded.created_at`,
  )
  const afterInAudience = db.prepare<[Audience, string, number], NotificationRow>(
    `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE audience = ? AND id > ? ORDER BY id LIMIT ?`,
  )
  const newest = db.prepare<[], string | null>('SELECT max(id) FROM notifications').pluck()
  const deleteOld = db.prepare<[number, number]>(
    `DELETE FROM notifications WHERE id IN
       (SELECT id FROM notifications WHERE published_at < ? ORDER BY published_at LIMIT ?)`,
  )
  const deleteOldKeys = db.prepare<[number, number]>(
    `DELETE FROM idempotency_keys WHERE (scope, key) IN
       (SELECT scope, key FROM idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?)`,
  )
  // One snapshot for all audiences, so a page never mixes before and after another writer's commit.
  const readAfter = db.transaction((audiences: readonly Audience[], afterId: string, limit: number) =>
    audiences.map((audience) => afterInAudience.all(audience, afterId, limit)),
  )

  return {
    append(notification, idempotency, nowMs) {
      if (idempotency !== undefined) {
        const existing = findKey.get(idempotency.scope, idempotency.key)
        if (existing !== undefined && existing.created_at > nowMs - IDEMPOTENCY_TTL_MS) {
          const stored = byId.get(existing.notification_id)
          // A key outliving its notification (very short retention) is treated as expired.
          if (stored !== undefined) return { notification: toNotification(stored), created: false }
        }
      }
      const publishedAt = Date.parse(notification.timestamp)
      insert.run({
        id: notification.id,
        title: notification.title,
        body: notification.body,
        level: notification.level,
        timestamp: notification.timestamp,
        topic: notification.topic ?? null,
        user: notification.user ?? null,
        data: notification.data === undefined ? null : JSON.stringify(notification.data),
        publishedAt: Number.isNaN(publishedAt) ? nowMs : publishedAt,
        audience: audienceOf(notification),
      })
      if (idempotency !== undefined) saveKey.run({ ...idempotency, id: notification.id, nowMs })
      return { notification, created: true }
    },
    after(audiences, afterId, limit) {
      return mergeById(readAfter(audiences, afterId, limit), 'asc', limit).map(toNotification)
    },
    newestId: () => newest.get() ?? undefined,
    deleteOlderThan: (cutoffMs, batchSize) => deleteOld.run(cutoffMs, batchSize).changes,
    deleteKeysOlderThan: (cutoffMs, batchSize) => deleteOldKeys.run(cutoffMs, batchSize).changes,
  }
}
