import type { PresenceChange } from '../../shared/index.js'
import type { Identity } from '../bus.js'
import { listenAll, type HubModule, type ModuleContext } from './module.js'

export interface PresenceModule extends HubModule {
  /** Distinct users online now. */
  userCount(): number
  /** Names of the users online now. */
  users(): string[]
}

// Users are told apart by who they are, not by the name they show: two signed-in people may
// share a display name. Signed-mode guests have no id and are told apart by name.
const keyOf = ({ username, userId }: Identity): string => (userId !== undefined ? `id:${userId}` : `guest:${username}`)

/**
 * Counts distinct online users: a user is online while at least one of their connections is.
 * Two tabs of one user are one user; `user-left` goes out when the last tab closes.
 *
 * @example
 * const presence = createPresenceModule({ bus, io, log, store })
 * presence.userCount()
 */
export function createPresenceModule({ bus, io }: ModuleContext): PresenceModule {
  const online = new Map<string, { username: string; sockets: Set<string> }>()

  const arrive = (identity: Identity, socketId: string): void => {
    const key = keyOf(identity)
    const user = online.get(key)
    if (user) {
      user.sockets.add(socketId)
      // Nobody else learns anything new, but this tab (a tutorial client knows the count only
      // from user-joined / user-left) must see where things stand.
      io.to(socketId).emit('user-joined', { username: user.username, userCount: online.size })
      return
    }
    online.set(key, { username: identity.username, sockets: new Set([socketId]) })
    const change: PresenceChange = { username: identity.username, userCount: online.size }
    io.emit('user-joined', change)
    bus.emit('presence:user-online', change)
  }

  const depart = (identity: Identity, socketId: string): void => {
    const key = keyOf(identity)
    const user = online.get(key)
    if (!user?.sockets.delete(socketId) || user.sockets.size > 0) return
    online.delete(key)
    const change: PresenceChange = { username: user.username, userCount: online.size }
    io.emit('user-left', change)
    bus.emit('presence:user-offline', change)
  }

  const module = listenAll(bus, {
    'session:opened': ({ socketId }) => {
      io.to(socketId).emit('presence', { userCount: online.size })
    },
    'session:identified': ({ socketId, username, userId, previous }) => {
      if (previous !== undefined) depart(previous, socketId)
      arrive({ username, userId }, socketId)
    },
    'session:closed': ({ socketId, username, userId }) => {
      if (username !== undefined) depart({ username, userId }, socketId)
    },
  })

  return {
    ...module,
    userCount: () => online.size,
    users: () => [...online.values()].map((user) => user.username),
  }
}
