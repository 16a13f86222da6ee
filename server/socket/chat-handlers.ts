import { DEFAULT_ROOM, type ChatMessage } from '../../shared/index.js'
import type { HandlerContext } from './handle.js'
import { refusal } from './replies.js'
import { roomsOf } from './session-sets.js'

/** `chat-message` (stored, then broadcast to the room) and the tutorial's `message` echo. */
export function registerChatHandlers({ bus, store, nextId, now, on, schemas }: HandlerContext): void {
  on('chat-message', ['message', 'room'], schemas.chatMessage, async (socket, [text, room = DEFAULT_ROOM]) => {
    const session = socket.data
    const username = session.username
    if (username === undefined || !roomsOf(session).has(room)) {
      return refusal({ code: 'not_joined', message: `chat-message: join room "${room}" before posting to it` })
    }
    const message: ChatMessage = { id: nextId(), room, username, message: text, timestamp: now().toISOString() }
    // Acknowledged means stored: the broadcast and the ack both wait for the commit.
    await store.appendChatMessage(message)
    bus.emit('chat:message-posted', message)
    return { ok: true, id: message.id }
  })

  on('message', ['text'], schemas.message, (_socket, [text]) => {
    bus.emit('echo:message-sent', { text })
    return { ok: true }
  })
}
