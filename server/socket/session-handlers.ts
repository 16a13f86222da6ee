import { z } from 'zod'
import { DEFAULT_ROOM, channelNameSchema, usernameSchema } from '../../shared/index.js'
import type { HandlerContext } from './handle.js'

/**
 * Gives the connection a name. A rename is leaving every room under the old name and entering
 * it under the new one, so room members see both facts in order.
 */
export function identify({ socket, bus }: Pick<HandlerContext, 'socket' | 'bus'>, username: string): void {
  const session = socket.data
  const previous = session.username
  if (previous === username) return
  if (previous !== undefined) {
    for (const room of session.rooms) bus.emit('chat:room-exited', { socketId: socket.id, username: previous, room })
  }
  session.username = username
  bus.emit('session:identified', { socketId: socket.id, username, previous })
  if (previous !== undefined) {
    for (const room of session.rooms) bus.emit('chat:room-entered', { socketId: socket.id, username, room, history: false })
  }
}

/** `join`, `identify` and `leave`. */
export function registerSessionHandlers(context: HandlerContext): void {
  const { socket, bus, on } = context
  const session = socket.data

  on('join', ['username', 'room'], z.tuple([usernameSchema, channelNameSchema.optional()]), ([username, room = DEFAULT_ROOM]) => {
    identify(context, username)
    if (!session.rooms.has(room)) {
      session.rooms.add(room)
      bus.emit('chat:room-entered', { socketId: socket.id, username, room, history: true })
    }
    return { ok: true, username, room }
  })

  on('identify', ['username'], z.tuple([usernameSchema]), ([username]) => {
    identify(context, username)
    return { ok: true, username }
  })

  on('leave', ['room'], z.tuple([channelNameSchema]), ([room]) => {
    if (session.rooms.delete(room) && session.username !== undefined) {
      bus.emit('chat:room-exited', { socketId: socket.id, username: session.username, room })
    }
    return { ok: true }
  })
}
