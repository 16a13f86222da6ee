import type { HandlerContext } from './handle.js'
import { roomsOf } from './session-sets.js'

/**
 * `watch` and `unwatch`: a connection without a name (a visitor who has not joined) follows a
 * room's history and live messages. Open to read-only guests too: watching says nothing.
 *
 * @example
 * registerWatchHandlers(context)
 */
export function registerWatchHandlers({ bus, on, schemas }: HandlerContext): void {
  on('watch', ['room'], schemas.leave, (socket, [room]) => {
    bus.emit('chat:room-watched', { socketId: socket.id, room })
    return { ok: true, room }
  })
  on('unwatch', ['room'], schemas.leave, (socket, [room]) => {
    // A member stays in the room's channel: unwatching only undoes a watch.
    if (!roomsOf(socket.data).has(room)) bus.emit('chat:room-unwatched', { socketId: socket.id, room })
    return { ok: true, room }
  })
}
