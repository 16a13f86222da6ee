import type { Database } from 'better-sqlite3'
import type { ChatMessage } from '../../shared/index.js'

export interface ChatTable {
  /** Write; the room is remembered so `trimTouchedRooms` can cut it back. */
  append(message: ChatMessage): void
  /** Write: keeps each room written since the last call to its newest `keepPerRoom` messages. */
  trimTouchedRooms(): void
  recent(room: string, limit: number): ChatMessage[]
}

/**
 * Statements for `chat_messages`, prepared once. Rooms are trimmed once per batch rather than
 * per message, so a busy room pays one bounded delete per commit.
 *
 * @example
 * const chat = chatTable(db, 1000)
 * queue.enqueue(() => chat.append(message))
 */
export function chatTable(db: Database, keepPerRoom: number): ChatTable {
  const insert = db.prepare(
    'INSERT INTO chat_messages (id, room, username, message, timestamp) VALUES (@id, @room, @username, @message, @timestamp)',
  )
  // When the room holds fewer than `keep` messages the subquery is NULL and nothing is deleted.
  const trim = db.prepare<{ room: string; keep: number }>(
    `DELETE FROM chat_messages WHERE room = @room AND id <
       (SELECT id FROM chat_messages WHERE room = @room ORDER BY id DESC LIMIT 1 OFFSET @keep - 1)`,
  )
  const latest = db.prepare<[string, number], ChatMessage>(
    'SELECT id, room, username, message, timestamp FROM chat_messages WHERE room = ? ORDER BY id DESC LIMIT ?',
  )
  const touchedRooms = new Set<string>()

  return {
    append(message) {
      insert.run({
        id: message.id,
        room: message.room,
        username: message.username,
        message: message.message,
        timestamp: message.timestamp,
      })
      touchedRooms.add(message.room)
    },
    trimTouchedRooms() {
      for (const room of touchedRooms) trim.run({ room, keep: keepPerRoom })
      touchedRooms.clear()
    },
    recent: (room, limit) => latest.all(room, limit).reverse(),
  }
}
