import type { ChatMessage } from '../../shared/chat.js'
import { START_CURSOR } from '../../shared/sequence-id.js'

/**
 * The last chat message id this page has seen in each room, so that a re-join after a reconnect
 * asks the hub for exactly what came after it (`join(username, room, {since})`). A room whose
 * history came back empty resumes from the start (`"0"`): everything after it is new.
 *
 * @example
 * const cursors = new ChatCursors()
 * socket.on('chat-message', (m) => cursors.seen(m))
 * socket.emit('join', 'ann', 'ops', cursors.joinOptions('ops'))
 */
export class ChatCursors {
  private readonly last = new Map<string, string>()

  /** Records a delivered message (live, caught up or in a history). */
  seen({ room, id }: Pick<ChatMessage, 'room' | 'id'>): void {
    const current = this.last.get(room)
    if (current === undefined || current === START_CURSOR || id > current) this.last.set(room, id)
  }

  /** Records a fresh join's history: its newest message, or the start when it was empty. */
  history(room: string, messages: readonly Pick<ChatMessage, 'room' | 'id'>[]): void {
    if (!this.last.has(room)) this.last.set(room, START_CURSOR)
    for (const message of messages) this.seen({ room, id: message.id })
  }

  /** What to send with `join`: the room's cursor, when the page has one. */
  since(room: string): string | undefined {
    return this.last.get(room)
  }

  /** Forgets a room that was left: a later join is a fresh one, with its history. */
  forget(room: string): void {
    this.last.delete(room)
  }
}
