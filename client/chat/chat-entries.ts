import type { ChatMessage, RoomMemberChange } from '../../shared/index.js'

/** One line of the chat log: a message, or someone entering or leaving the room. */
export type ChatEntry =
  | { kind: 'message'; key: string; message: ChatMessage }
  | { kind: 'system'; key: string; change: 'joined' | 'left'; username: string; at: string }

/** Enough scroll-back for a conversation without letting a long-open tab grow without bound. */
export const MAX_CHAT_ENTRIES = 300

let systemSequence = 0

export const messageEntry = (message: ChatMessage): ChatEntry => ({ kind: 'message', key: message.id, message })

export function systemEntry(change: 'joined' | 'left', { username }: RoomMemberChange, at = new Date()): ChatEntry {
  return { kind: 'system', key: `system-${++systemSequence}`, change, username, at: at.toISOString() }
}

/** The log with `entry` added, keeping only the newest `max` entries. */
export function appendEntry(entries: readonly ChatEntry[], entry: ChatEntry, max = MAX_CHAT_ENTRIES): ChatEntry[] {
  const next = [...entries, entry]
  return next.length > max ? next.slice(next.length - max) : next
}
