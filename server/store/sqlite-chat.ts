import type { Database } from 'better-sqlite3'
import { formatSequenceId, type ChatMessage } from '../../shared/index.js'
import type { ChatMessageDraft } from './store.js'

interface ChatRow extends Omit<ChatMessage, 'id'> {
  id: number
}

const toMessage = (row: ChatRow): ChatMessage => ({ ...row, id: formatSequenceId(row.id) })

export interface ChatTable {
  /** Write: stores under the next chat id; the room is remembered so `trimTouchedRooms` can cut it back. */
  append(draft: ChatMessageDraft): ChatMessage
  /** Write: keeps each room written since the last call to its newest `keepPerRoom` messages. */
  trimTouchedRooms(): void
  recent(room: string, limit: number): ChatMessage[]
  /** Oldest first, sequence numbers greater than `afterSeq`. */
  after(room: string, afterSeq: number, limit: number): ChatMessage[]
}

/**
 * Statements for `chat_messages`, prepared once. Rooms are trimmed once per batch rather than
 * per message, so a busy room pays one bounded delete per commit.
 *
 * @example
 * const chat = chatTable(db, 1000)
 * queue.enqueue(() => chat.append(draft))
 */
export function chatTable(db: Database, keepPerRoom: number): ChatTable {
  // AUTOINCREMENT: ids in commit order, never reused once trimming has removed the newest.
  const insert = db.prepare(
    'INSERT INTO chat_messages (room, username, message, timestamp) VALUES (@room, @username, @message, @timestamp)',
  )
  // When the room holds fewer than `keep` messages the subquery is NULL and nothing is deleted.
  const trim = db.prepare<{ room: string; keep: number }>(
    `DELETE FROM chat_messages WHERE room = @room AND id <
       (SELECT id FROM chat_messages WHERE room = @room ORDER BY id DESC LIMIT 1 OFFSET @keep - 1)`,
  )
  const latest = db.prepare<[string, number], ChatRow>(
    'SELECT id, room, username, message, timestamp FROM chat_messages WHERE room = ? ORDER BY id DESC LIMIT ?',
  )
  const afterInRoom = db.prepare<[string, number, number], ChatRow>(
    'SELECT id, room, username, message, timestamp FROM chat_messages WHERE room = ? AND id > ? ORDER BY id LIMIT ?',
  )
  const touchedRooms = new Set<string>()

  return {
    append(draft) {
      const message = { room: draft.room, username: draft.username, message: draft.message, timestamp: draft.timestamp }
      const seq = Number(insert.run(message).lastInsertRowid)
      touchedRooms.add(draft.room)
      return { id: formatSequenceId(seq), ...message }
    },
    trimTouchedRooms() {
      for (const room of touchedRooms) trim.run({ room, keep: keepPerRoom })
      touchedRooms.clear()
    },
    recent: (room, limit) => latest.all(room, limit).reverse().map(toMessage),
    after: (room, afterSeq, limit) => afterInRoom.all(room, afterSeq, limit).map(toMessage),
  }
}
