import type { PresenceChange } from '../../shared/index.js'
import type { Identity } from '../bus.js'
import type { Logger } from '../logger.js'
import { departureGrace } from '../membership/departure-grace.js'
import { listenAll, type ModuleContext } from '../modules/module.js'
import type { PresenceModule, PresenceOptions } from '../modules/presence.js'
import type { RedisPresence } from './redis-presence.js'

// The same identity rule as the single-process presence module.
const keyOf = ({ username, userId }: Identity): string => (userId !== undefined ? `id:${userId}` : `guest:${username}`)

/**
 * The presence module of a hub in a cluster: distinct users are counted in Redis across every
 * node (see `createRedisPresence`). The node whose call takes a user from offline to online (or
 * back) tells everyone, through the Socket.IO adapter; users of a node that stopped without
 * saying so are announced gone by the node whose heartbeat noticed. `users()` lists the users
 * connected to this node.
 *
 * @example
 * const presence = createClusterPresenceModule(context, cluster.startPresence)
 */
export function createClusterPresenceModule(
  { bus, io, log }: ModuleContext,
  start: (handlers: { onUsersExpired: (usernames: string[], userCount: number) => void }) => RedisPresence,
  { graceMs = 0 }: PresenceOptions = {},
): PresenceModule {
  // A reload may come back on another node: the delayed removal then finds the user still there.
  const grace = departureGrace(graceMs)
  // Through the adapter: every node's clients hear it.
  const announce = (event: 'user-joined' | 'user-left', change: PresenceChange) => io.emit(event, change)
  const presence = start({
    onUsersExpired: (usernames, userCount) => {
      for (const username of usernames) announce('user-left', { username, userCount })
    },
  })
  const failed = (log: Logger) => (err: unknown) =>
    // The count is out of step until Redis is back; the heartbeat then writes it again.
    log.warn({ err: (err as Error).message }, 'presence could not reach redis')
  const toSocket = (socketId: string) => io.local.to(socketId)

  const arrive = (identity: Identity, socketId: string): void => {
    presence.add(keyOf(identity), identity.username).then(({ changed, userCount }) => {
      const change = { username: identity.username, userCount }
      // A user already online elsewhere: only this tab needs to see where things stand.
      if (changed) announce('user-joined', change)
      else toSocket(socketId).emit('user-joined', change)
    }, failed(log))
  }

  const depart = (identity: Identity): void => {
    presence.remove(keyOf(identity)).then(({ changed, userCount }) => {
      if (changed) announce('user-left', { username: identity.username, userCount })
    }, failed(log))
  }

  const module = listenAll(bus, {
    'session:opened': ({ socketId }) => {
      presence.fetchUserCount().then(
        (userCount) => toSocket(socketId).emit('presence', { userCount }),
        () => toSocket(socketId).emit('presence', { userCount: presence.userCount() }),
      )
    },
    'session:identified': ({ socketId, username, userId, previous }) => {
      if (previous !== undefined) depart(previous)
      arrive({ username, userId }, socketId)
    },
    'session:closed': ({ username, userId }) => {
      if (username !== undefined) grace.later(() => depart({ username, userId }))
    },
  })

  return {
    dispose() {
      module.dispose()
      grace.dispose()
      void presence.close()
    },
    userCount: () => presence.fetchUserCount(),
    users: async () => presence.localUsers(),
  }
}
