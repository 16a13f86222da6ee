import type { ChatMessage, RoomMemberChange } from '../../shared/index.js'

/** One line of the chat log: a message, or someone entering or leaving the room. */
export type ChatEntry =
  | { kind: 'message'; key: string; message: ChatMessage; history?: boolean }
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

/**
 * The log with a room's history merged in by message id: messages already shown are skipped,
 * older ones go to the leading history block (sorted by id), and ones missed while offline are
 * put before the first shown message with a greater id, or at the end.
 */
export function mergeHistory(entries: readonly ChatEntry[], history: readonly ChatMessage[], max = MAX_CHAT_ENTRIES): ChatEntry[] {
  const next = [...entries]
  const shown = new Set(next.flatMap((e) => (e.kind === 'message' ? [e.key] : [])))
  const sorted = [...history].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  for (const message of sorted) {
    if (shown.has(message.id)) continue
    shown.add(message.id)
    const entry: ChatEntry = { kind: 'message', key: message.id, message, history: true }
    const block = leadingHistory(next)
    const newer = next.findIndex((e) => e.kind === 'message' && e.key > message.id)
    const olderShownLive = next.slice(block).some((e) => e.kind === 'message' && e.key < message.id)
    if (!olderShownLive) next.splice(Math.min(newer < 0 ? block : newer, block), 0, entry)
    else if (newer >= 0) next.splice(newer, 0, entry)
    else next.push(entry)
  }
  return next.length > max ? next.slice(next.length - max) : next
}

/** How many entries at the start of the log came from history. */
export function leadingHistory(entries: readonly ChatEntry[]): number {
  const end = entries.findIndex((e) => e.kind !== 'message' || !e.history)
  return end < 0 ? entries.length : end
}
