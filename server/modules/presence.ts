import type { PresenceChange } from '../../shared/index.js'
import { listenAll, type HubModule, type ModuleContext } from './module.js'

export interface PresenceModule extends HubModule {
  /** Distinct users online now. */
  userCount(): number
  /** Names of the users online now. */
  users(): string[]
}

/**
 * Counts distinct online users: a user is online while at least one of their connections is.
 * Two tabs under one name are one user; `user-left` goes out when the last tab closes.
 *
 * @example
 * const presence = createPresenceModule({ bus, io, log })
 * presence.userCount()
 */
export function createPresenceModule({ bus, io }: ModuleContext): PresenceModule {
  const socketsByUser = new Map<string, Set<string>>()

  const online = (username: string, socketId: string): void => {
    let sockets = socketsByUser.get(username)
    if (!sockets) socketsByUser.set(username, (sockets = new Set()))
    const first = sockets.size === 0
    sockets.add(socketId)
    if (!first) {
      // Nobody else learns anything new, but this tab (a tutorial client knows the count only
      // from user-joined / user-left) must see where things stand.
      io.to(socketId).emit('user-joined', { username, userCount: socketsByUser.size })
      return
    }
    const change: PresenceChange = { username, userCount: socketsByUser.size }
    io.emit('user-joined', change)
    bus.emit('presence:user-online', change)
  }

  const offline = (username: string, socketId: string): void => {
    const sockets = socketsByUser.get(username)
    if (!sockets?.delete(socketId) || sockets.size > 0) return
    socketsByUser.delete(username)
    const change: PresenceChange = { username, userCount: socketsByUser.size }
    io.emit('user-left', change)
    bus.emit('presence:user-offline', change)
  }

  const module = listenAll(bus, {
    'session:opened': ({ socketId }) => {
      io.to(socketId).emit('presence', { userCount: socketsByUser.size })
    },
    'session:identified': ({ socketId, username, previous }) => {
      if (previous !== undefined) offline(previous, socketId)
      online(username, socketId)
    },
    'session:closed': ({ socketId, username }) => {
      if (username !== undefined) offline(username, socketId)
    },
  })

  return {
    ...module,
    userCount: () => socketsByUser.size,
    users: () => [...socketsByUser.keys()],
  }
}
