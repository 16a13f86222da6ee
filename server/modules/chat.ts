import type { RoomMemberChange } from '../../shared/index.js'
import { listenAll, roomKey, type HubModule, type ModuleContext } from './module.js'

export interface ChatModule extends HubModule {
  /** Rooms with at least one member, and how many distinct users are in each. */
  rooms(): { room: string; memberCount: number }[]
}

/**
 * Chat rooms: puts joined sockets in their room's Socket.IO room, sends a joining socket the
 * room's latest messages, broadcasts posted (already stored) messages to the room, and tells
 * members when a distinct user enters or leaves (first tab in, last tab out).
 *
 * @example
 * const chat = createChatModule({ bus, io, log })
 */
export function createChatModule({ bus, io, log, store }: ModuleContext): ChatModule {
  // room -> username -> that user's sockets in the room
  const members = new Map<string, Map<string, Set<string>>>()

  const enter = (room: string, username: string, socketId: string): void => {
    io.in(socketId).socketsJoin(roomKey.chat(room))
    let users = members.get(room)
    if (!users) members.set(room, (users = new Map()))
    let sockets = users.get(username)
    if (!sockets) users.set(username, (sockets = new Set()))
    const first = sockets.size === 0
    sockets.add(socketId)
    if (first) announce('room-joined', { room, username, memberCount: users.size })
  }

  const exit = (room: string, username: string, socketId: string, stillConnected: boolean): void => {
    if (stillConnected) io.in(socketId).socketsLeave(roomKey.chat(room))
    const users = members.get(room)
    const sockets = users?.get(username)
    if (!users || !sockets?.delete(socketId) || sockets.size > 0) return
    users.delete(username)
    if (users.size === 0) members.delete(room)
    announce('room-left', { room, username, memberCount: users.size })
  }

  const sendHistory = (room: string, socketId: string): void => {
    store.recentChatMessages(room).then(
      (messages) => io.to(socketId).emit('chat-history', { room, messages }),
      (err: unknown) => log.error({ err, room }, 'reading chat history failed'),
    )
  }

  const announce = (event: 'room-joined' | 'room-left', change: RoomMemberChange): void => {
    io.to(roomKey.chat(change.room)).emit(event, change)
  }

  const module = listenAll(bus, {
    'chat:room-entered': ({ socketId, username, room, history }) => {
      enter(room, username, socketId)
      if (history) sendHistory(room, socketId)
    },
    'chat:room-exited': ({ socketId, username, room }) => exit(room, username, socketId, true),
    // A viewer is in the room's broadcast channel without being a member: nobody is told.
    'chat:room-watched': ({ socketId, room }) => {
      io.in(socketId).socketsJoin(roomKey.chat(room))
      sendHistory(room, socketId)
    },
    'chat:room-unwatched': ({ socketId, room }) => {
      const member = [...(members.get(room)?.values() ?? [])].some((sockets) => sockets.has(socketId))
      if (!member) io.in(socketId).socketsLeave(roomKey.chat(room))
    },
    'session:closed': ({ socketId, username, rooms }) => {
      if (username === undefined) return
      for (const room of rooms) exit(room, username, socketId, false)
    },
    'chat:message-posted': (message) => {
      io.to(roomKey.chat(message.room)).emit('chat-message', message)
    },
  })

  return {
    ...module,
    rooms: () => [...members].map(([room, users]) => ({ room, memberCount: users.size })),
  }
}
