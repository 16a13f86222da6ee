import { DEFAULT_ROOM } from '../../shared/index.js'
import type { HubSocket } from '../hub-server.js'
import type { HandlerContext } from './handle.js'
import { addTo, removeFrom, roomsOf } from './session-sets.js'

/**
 * Gives the connection a name and returns the name it now has. In signed mode a verified
 * connection keeps its token's name whatever it asks for: nobody can act as someone else.
 * A rename is leaving every room under the old name and entering it under the new one, so
 * room members see both facts in order.
 */
export function identify({ bus, signed }: Pick<HandlerContext, 'bus' | 'signed'>, socket: HubSocket, name: string): string {
  const session = socket.data
  if (signed && session.guest === false) return session.username!
  const previousName = session.username
  if (previousName === name) return name
  const previous = previousName === undefined ? undefined : { username: previousName, userId: session.userId }
  if (previous !== undefined) {
    for (const room of roomsOf(session)) bus.emit('chat:room-exited', { socketId: socket.id, username: previous.username, room })
  }
  session.username = name
  // Open mode: the name is the identity. Signed-mode guests are nobody in particular.
  session.userId = signed ? undefined : name
  bus.emit('session:identified', { socketId: socket.id, username: name, userId: session.userId, previous })
  if (previous !== undefined) {
    for (const room of roomsOf(session)) {
      bus.emit('chat:room-entered', { socketId: socket.id, username: name, room, history: false })
    }
  }
  return name
}

/** `join`, `identify` and `leave`. */
export function registerSessionHandlers(context: HandlerContext): void {
  const { bus, on, schemas } = context

  on('join', ['username', 'room', 'options'], schemas.join, (socket, [requested, room = DEFAULT_ROOM, options]) => {
    const session = socket.data
    const username = identify(context, socket, requested)
    if (addTo(session, 'rooms', room)) {
      const since = options?.since
      bus.emit('chat:room-entered', { socketId: socket.id, username, room, history: since === undefined, since })
    }
    return { ok: true, username, room }
  })

  on('identify', ['username'], schemas.identify, (socket, [requested]) => ({
    ok: true,
    username: identify(context, socket, requested),
  }))

  on('leave', ['room'], schemas.leave, (socket, [room]) => {
    const session = socket.data
    if (removeFrom(session, 'rooms', room) && session.username !== undefined) {
      bus.emit('chat:room-exited', { socketId: socket.id, username: session.username, room })
    }
    return { ok: true }
  })
}
