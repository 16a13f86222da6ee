import type { Database } from 'better-sqlite3'
import { formatSequenceId, parseSequenceId, type InboxEntry, type InboxPage } from '../../shared/index.js'
import { audiencesOf, type Audience } from './audiences.js'
import { mergeById } from './merge-by-id.js'
import { NOTIFICATION_COLUMNS, toNotification, type NotificationRow } from './sqlite-notifications.js'

interface InboxRow extends NotificationRow {
  /** Marked read on its own (as opposed to by the watermark). */
  read_alone: 0 | 1
}

// Greater than any id, so "before the end" needs no separate statement.
const AFTER_EVERY_ID = Number.MAX_SAFE_INTEGER

export interface InboxTables {
  followTopic(username: string, topic: string): void
  unfollowTopic(username: string, topic: string): void
  followedTopics(username: string): string[]
  /** Newest first, sequence numbers below `beforeSeq` (from the newest when undefined). */
  page(username: string, beforeSeq: number | undefined, limit: number): InboxPage
  /** Write; false when the notification is not in the user's inbox. */
  markRead(username: string, notificationId: string): boolean
  /** Write. */
  markAllRead(username: string): void
  unreadCount(username: string): number
}

/**
 * Statements for followed topics and per-user read state, prepared once. A user's inbox is every
 * notification whose audience is theirs, a topic they follow now, or everyone.
 *
 * @example
 * const inbox = inboxTables(db)
 * inbox.page('ada', undefined, 20)
 */
export function inboxTables(db: Database): InboxTables {
  const follow = db.prepare('INSERT OR IGNORE INTO topic_follows (user, topic) VALUES (?, ?)')
  const unfollow = db.prepare('DELETE FROM topic_follows WHERE user = ? AND topic = ?')
  const topicsOf = db.prepare<[string], string>('SELECT topic FROM topic_follows WHERE user = ? ORDER BY topic').pluck()
  const watermarkOf = db
    .prepare<[string], number>('SELECT read_up_to_id FROM inbox_watermarks WHERE user = ?')
    .pluck()
  const pageInAudience = db.prepare<{ user: string; audience: Audience; before: number; limit: number }, InboxRow>(
    `SELECT ${NOTIFICATION_COLUMNS},
            EXISTS (SELECT 1 FROM notification_reads r WHERE r.user = @user AND r.notification_id = n.id) AS read_alone
     FROM notifications n WHERE audience = @audience AND id < @before ORDER BY id DESC LIMIT @limit`,
  )
  const audienceById = db.prepare<[number], Audience>('SELECT audience FROM notifications WHERE id = ?').pluck()
  const insertRead = db.prepare('INSERT OR IGNORE INTO notification_reads (user, notification_id) VALUES (?, ?)')
  const newestId = db.prepare<[], number | null>('SELECT max(id) FROM notifications').pluck()
  const raiseWatermark = db.prepare(
    `INSERT INTO inbox_watermarks (user, read_up_to_id) VALUES (?, ?)
     ON CONFLICT (user) DO UPDATE SET read_up_to_id = max(read_up_to_id, excluded.read_up_to_id)`,
  )
  // Single reads under the watermark say nothing more: drop them so the table stays small.
  const dropReadsUpTo = db.prepare('DELETE FROM notification_reads WHERE user = ? AND notification_id <= ?')
  // Everything above the watermark, minus the single reads there: the first count is answered
  // from the (audience, id) index alone, which keeps a large unread backlog cheap to count.
  const countUnread = db
    .prepare<{ user: string; audiences: string; watermark: number }, number>(
      `SELECT
         (SELECT count(*) FROM notifications
          WHERE audience IN (SELECT value FROM json_each(@audiences)) AND id > @watermark)
       - (SELECT count(*) FROM notification_reads r JOIN notifications n ON n.id = r.notification_id
          WHERE r.user = @user AND r.notification_id > @watermark
            AND n.audience IN (SELECT value FROM json_each(@audiences)))`,
    )
    .pluck()

  const audiencesOfUser = (username: string): Audience[] =>
    audiencesOf({ userId: username, topics: topicsOf.all(username) })

  const unreadOf = (username: string): number =>
    countUnread.get({
      user: username,
      audiences: JSON.stringify(audiencesOfUser(username)),
      watermark: watermarkOf.get(username) ?? 0,
    }) ?? 0

  // One snapshot for the follows, the watermark, the count and every audience's rows.
  const readPage = db.transaction((username: string, before: number, limit: number) => {
    const watermark = watermarkOf.get(username) ?? 0
    const followed = topicsOf.all(username)
    const lists = audiencesOf({ userId: username, topics: followed }).map((audience) =>
      pageInAudience.all({ user: username, audience, before, limit: limit + 1 }),
    )
    return { watermark, followed, unread: unreadOf(username), rows: mergeById(lists, 'desc', limit + 1) }
  })
  const readUnread = db.transaction(unreadOf)

  return {
    followTopic: (username, topic) => void follow.run(username, topic),
    unfollowTopic: (username, topic) => void unfollow.run(username, topic),
    followedTopics: (username) => topicsOf.all(username),
    page(username, beforeSeq, limit) {
      // One row more than asked tells whether another page exists.
      const { watermark, followed, unread, rows } = readPage(username, beforeSeq ?? AFTER_EVERY_ID, limit)
      const lastRow = rows[limit - 1]
      const entries: InboxEntry[] = rows.slice(0, limit).map((row) => ({
        notification: toNotification(row),
        read: row.id <= watermark || row.read_alone === 1,
      }))
      const page: InboxPage = { entries, unread, followed }
      if (rows.length > limit && lastRow !== undefined) page.nextCursor = formatSequenceId(lastRow.id)
      return page
    },
    markRead(username, notificationId) {
      const seq = parseSequenceId(notificationId)
      const audience = seq === undefined ? undefined : audienceById.get(seq)
      if (seq === undefined || audience === undefined || !audiencesOfUser(username).includes(audience)) return false
      if (seq > (watermarkOf.get(username) ?? 0)) insertRead.run(username, seq)
      return true
    },
    markAllRead(username) {
      const newest = newestId.get()
      if (newest === null || newest === undefined) return
      raiseWatermark.run(username, newest)
      dropReadsUpTo.run(username, newest)
    },
    unreadCount: (username) => readUnread(username),
  }
}
