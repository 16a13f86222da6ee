import { START_CURSOR, type ChatMessage, type RoomMemberChange } from '../../shared/index.js'
import { startCatchUp, type CatchUp } from '../catch-up.js'
import { roomGroup } from '../membership/membership.js'
import { listenAll, roomKey, type HubModule, type ModuleContext } from './module.js'

/** Missed chat messages are read from the store, and sent, this many at a time. */
export const CHAT_CATCH_UP_PAGE = 100

export interface ChatModule extends HubModule {
  /** Rooms with at least one member, and how many distinct users are in each. */
  rooms(): Promise<{ room: string; memberCount: number }[]>
}

/**
 * Chat rooms: puts joined sockets in their room's Socket.IO room, sends a joining socket the
 * room's latest messages (or, re-joining with a cursor, every message after it, in pages,
 * before live ones), delivers posted messages (the store's feed) to the room's local sockets,
 * and tells members when a distinct user enters or leaves (first tab in, last tab out).
 *
 * @example
 * const chat = createChatModule({ bus, io, log })
 */
export function createChatModule({ bus, io, log, store, outbox, membership }: ModuleContext): ChatModule {
  // Membership changes one at a time, in bus order (see the presence module).
  let changes = Promise.resolve()
  const inOrder = (change: () => Promise<void>): void => {
    changes = changes.then(change).catch((err: unknown) => log.error({ err }, 'updating room membership failed'))
  }
  // room -> socket -> its catch-up, only while one runs here
  const catching = new Map<string, Map<string, CatchUp<ChatMessage>>>()
  // The newest chat message this process's feed has delivered (see `startCatchUp`).
  let feedPosition: string | undefined

  const enter = (room: string, username: string, socketId: string): void => {
    io.in(socketId).socketsJoin(roomKey.chat(room))
    inOrder(async () => {
      const { changed, count } = await membership.add(roomGroup(room), { key: username, username }, socketId)
      if (changed) announce('room-joined', { room, username, memberCount: count })
    })
  }

  const exit = (room: string, username: string, socketId: string, stillConnected: boolean): void => {
    if (stillConnected) io.in(socketId).socketsLeave(roomKey.chat(room))
    inOrder(async () => {
      const change = await membership.remove(roomGroup(room), username, socketId)
      if (change?.changed) announce('room-left', { room, username, memberCount: change.count })
    })
  }

  const sendHistory = (room: string, socketId: string): void => {
    store.recentChatMessages(room).then(
      (messages) => io.to(socketId).emit('chat-history', { room, messages }),
      (err: unknown) => log.error({ err, room }, 'reading chat history failed'),
    )
  }

  const stopCatchingUp = (room: string, socketId: string): void => {
    const sockets = catching.get(room)
    sockets?.get(socketId)?.cancel()
    sockets?.delete(socketId)
    if (sockets?.size === 0) catching.delete(room)
  }

  // The socket is in the room already, and in its catching-up room, which keeps live messages
  // away from it until the missed ones are sent.
  const catchUp = (room: string, socketId: string, since: string | undefined): void => {
    const live = (): void => {
      stopCatchingUp(room, socketId)
      io.in(socketId).socketsLeave(roomKey.chatCatchingUp(room))
    }
    let sockets = catching.get(room)
    if (!sockets) catching.set(room, (sockets = new Map()))
    io.in(socketId).socketsJoin(roomKey.chatCatchingUp(room))
    sockets.set(
      socketId,
      startCatchUp<ChatMessage>({
        after: since,
        pageSize: CHAT_CATCH_UP_PAGE,
        readPage: (after, limit) => store.chatMessagesAfter(room, after, limit),
        send: (message) => io.to(socketId).emit('chat-message', message),
        feedPosition: () => feedPosition,
        pause: () => outbox.whenRoom(socketId),
        onLive: live,
        onError: (err) => {
          log.error({ err, room, socketId }, 'chat catch-up failed')
          live()
        },
      }),
    )
  }

  const deliver = (message: ChatMessage): void => {
    feedPosition = message.id
    // Local: every process receives the store's feed and serves its own sockets.
    const sockets = catching.get(message.room)
    if (sockets === undefined) return void io.local.to(roomKey.chat(message.room)).emit('chat-message', message)
    io.local.to(roomKey.chat(message.room)).except(roomKey.chatCatchingUp(message.room)).emit('chat-message', message)
    for (const catchUp of sockets.values()) {
      catchUp.offer(message)
      catchUp.advance(message.id)
    }
    // Other rooms' catch-ups learn how far the feed has come too.
    for (const [room, others] of catching) if (room !== message.room) for (const c of others.values()) c.advance(message.id)
  }

  const announce = (event: 'room-joined' | 'room-left', change: RoomMemberChange): void => {
    io.to(roomKey.chat(change.room)).emit(event, change)
  }

  const module = listenAll(bus, {
    'chat:room-entered': ({ socketId, username, room, history, since }) => {
      if (since !== undefined) catchUp(room, socketId, since === START_CURSOR ? undefined : since)
      enter(room, username, socketId)
      if (history) sendHistory(room, socketId)
    },
    'chat:room-exited': ({ socketId, username, room }) => {
      stopCatchingUp(room, socketId)
      exit(room, username, socketId, true)
    },
    'session:closed': ({ socketId, username, rooms }) => {
      for (const room of rooms) stopCatchingUp(room, socketId)
      if (username === undefined) return
      for (const room of rooms) exit(room, username, socketId, false)
    },
    'chat:message-posted': deliver,
  })

  return {
    ...module,
    rooms: async () => {
      await changes
      const prefix = roomGroup('')
      return (await membership.groups())
        .filter(({ group }) => group.startsWith(prefix))
        .map(({ group, count }) => ({ room: group.slice(prefix.length), memberCount: count }))
    },
  }
}
