import type { Database } from 'better-sqlite3'
import { formatSequenceId, type Notification, type NotificationLevel } from '../../shared/index.js'
import { audienceOf, type Audience } from './audiences.js'
import { mergeById } from './merge-by-id.js'
import { IDEMPOTENCY_TTL_MS, type AppendResult, type IdempotencyKey, type NotificationDraft } from './store.js'

/** A `notifications` row as selected by `NOTIFICATION_COLUMNS`; `id` is the sequence number. */
export interface NotificationRow {
  id: number
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
    id: formatSequenceId(row.id),
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

/** `draft` as stored under `seq`: the wire shape reads give back, absent fields left out. */
function stored(draft: NotificationDraft, seq: number): Notification {
  const n: Notification = {
    id: formatSequenceId(seq),
    title: draft.title,
    body: draft.body,
    level: draft.level,
    timestamp: draft.timestamp,
  }
  if (draft.topic !== undefined) n.topic = draft.topic
  if (draft.user !== undefined) n.user = draft.user
  if (draft.data !== undefined) n.data = draft.data
  return n
}

export interface NotificationTable {
  /**
   * Must run inside a write transaction, so that the idempotency check, the id assignment and
   * the insert are one step.
   */
  append(draft: NotificationDraft, idempotency: IdempotencyKey | undefined, nowMs: number): AppendResult
  /** Oldest first, sequence numbers greater than `afterSeq`, across `audiences`. */
  after(audiences: readonly Audience[], afterSeq: number, limit: number): Notification[]
  /** The greatest sequence number ever committed (pruned or not), 0 when none. */
  newestSeq(): number
  /** Deletes up to `batchSize` notifications published before `cutoffMs`; returns how many. */
  deleteOlderThan(cutoffMs: number, batchSize: number): number
  deleteKeysOlderThan(cutoffMs: number, batchSize: number): number
}

/**
 * Statements for the `notifications` and `idempotency_keys` tables, prepared once.
 *
 * @example
 * const table = notificationTable(db)
 * queue.enqueue(() => table.append(draft, undefined, Date.now()))
 */
export function notificationTable(db: Database): NotificationTable {
  // The id is left out: SQLite assigns the next AUTOINCREMENT value inside the transaction, so
  // ids are handed out in commit order and never reused, even once pruning has emptied the table.
  const insert = db.prepare(
    `INSERT INTO notifications (title, body, level, timestamp, topic, user, data, published_at, audience)
     VALUES (@title, @body, @level, @timestamp, @topic, @user, @data, @publishedAt, @audience)`,
  )
  const byId = db.prepare<[number], NotificationRow>(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE id = ?`)
  const findKey = db.prepare<[string, string], { notification_id: number; created_at: number }>(
    'SELECT notification_id, created_at FROM idempotency_keys WHERE scope = ? AND key = ?',
  )
  const saveKey = db.prepare(
    `INSERT INTO idempotency_keys (scope, key, notification_id, created_at) VALUES (@scope, @key, @id, @nowMs)
     ON CONFLICT (scope, key) DO UPDATE SET notification_id = excluded.notification_id, created_at = excluded.created_at`,
  )
  const afterInAudience = db.prepare<[Audience, number, number], NotificationRow>(
    `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE audience = ? AND id > ? ORDER BY id LIMIT ?`,
  )
  const newest = db
    .prepare<[], number | null>(
      `SELECT seq FROM sqlite_sequence WHERE name = 'notifications'
         AND seq > coalesce((SELECT seq FROM sequence_starts WHERE name = 'notifications'), 0)`,
    )
    .pluck()
  const deleteOld = db.prepare<[number, number]>(
    `DELETE FROM notifications WHERE id IN
       (SELECT id FROM notifications WHERE published_at < ? ORDER BY published_at LIMIT ?)`,
  )
  const deleteOldKeys = db.prepare<[number, number]>(
    `DELETE FROM idempotency_keys WHERE (scope, key) IN
       (SELECT scope, key FROM idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?)`,
  )
  // One snapshot for all audiences, so a page never mixes before and after another writer's commit.
  const readAfter = db.transaction((audiences: readonly Audience[], afterSeq: number, limit: number) =>
    audiences.map((audience) => afterInAudience.all(audience, afterSeq, limit)),
  )

  return {
    append(draft, idempotency, nowMs) {
      if (idempotency !== undefined) {
        const existing = findKey.get(idempotency.scope, idempotency.key)
        if (existing !== undefined && existing.created_at > nowMs - IDEMPOTENCY_TTL_MS) {
          const stored = byId.get(existing.notification_id)
          // A key outliving its notification (very short retention) is treated as expired.
          if (stored !== undefined) return { notification: toNotification(stored), created: false }
        }
      }
      const publishedAt = Date.parse(draft.timestamp)
      const seq = Number(
        insert.run({
          title: draft.title,
          body: draft.body,
          level: draft.level,
          timestamp: draft.timestamp,
          topic: draft.topic ?? null,
          user: draft.user ?? null,
          data: draft.data === undefined ? null : JSON.stringify(draft.data),
          publishedAt: Number.isNaN(publishedAt) ? nowMs : publishedAt,
          audience: audienceOf(draft),
        }).lastInsertRowid,
      )
      if (idempotency !== undefined) saveKey.run({ ...idempotency, id: seq, nowMs })
      return { notification: stored(draft, seq), created: true }
    },
    after(audiences, afterSeq, limit) {
      return mergeById(readAfter(audiences, afterSeq, limit), 'asc', limit).map(toNotification)
    },
    newestSeq: () => newest.get() ?? 0,
    deleteOlderThan: (cutoffMs, batchSize) => deleteOld.run(cutoffMs, batchSize).changes,
    deleteKeysOlderThan: (cutoffMs, batchSize) => deleteOldKeys.run(cutoffMs, batchSize).changes,
  }
}
