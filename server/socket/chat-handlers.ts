import { DEFAULT_ROOM } from '../../shared/index.js'
import type { HandlerContext } from './handle.js'
import { refusal } from './replies.js'
import { roomsOf } from './session-sets.js'

/**
 * `chat-message` (stored; the store's feed broadcasts it to the room) and the tutorial's
 * `message` echo.
 */
export function registerChatHandlers({ bus, store, now, on, schemas }: HandlerContext): void {
  on('chat-message', ['message', 'room'], schemas.chatMessage, async (socket, [text, room = DEFAULT_ROOM]) => {
    const session = socket.data
    const username = session.username
    if (username === undefined || !roomsOf(session).has(room)) {
      return refusal({ code: 'not_joined', message: `chat-message: join room "${room}" before posting to it` })
    }
    // Acknowledged means stored: the ack waits for the commit, which also hands the message
    // to the store's feed, and so to the room on every hub process.
    const message = await store.appendChatMessage({ room, username, message: text, timestamp: now().toISOString() })
    return { ok: true, id: message.id }
  })

  on('message', ['text'], schemas.message, (_socket, [text]) => {
    bus.emit('echo:message-sent', { text })
    return { ok: true }
  })
}
