import type { Identity } from '../bus.js'
import { departureGrace } from '../membership/departure-grace.js'
import { HUB_GROUP } from '../membership/membership.js'
import { listenAll, type HubModule, type ModuleContext } from './module.js'

export interface PresenceOptions {
  /** How long a user stays online after their last connection closed (see `departureGrace`). */
  graceMs?: number
}

export interface PresenceModule extends HubModule {
  /** Distinct users online now. */
  userCount(): Promise<number>
  /** Names of the users online now. */
  users(): Promise<string[]>
}

// Users are told apart by who they are, not by the name they show: two signed-in people may
// share a display name. Signed-mode guests have no id and are told apart by name.
const keyOf = ({ username, userId }: Identity): string => (userId !== undefined ? `id:${userId}` : `guest:${username}`)

/**
 * Announces distinct online users: a user is online while at least one of their connections is.
 * Two tabs of one user are one user; `user-left` goes out when the last tab closes (after a
 * grace period that lets a reloaded page come back unannounced). Who is
 * online is kept by the hub's `Membership` (the memory one, or a cluster-wide one).
 *
 * @example
 * const presence = createPresenceModule({ bus, io, log, store, outbox, membership })
 * await presence.userCount()
 */
export function createPresenceModule(
  { bus, io, log, membership }: ModuleContext,
  { graceMs = 0 }: PresenceOptions = {},
): PresenceModule {
  const grace = departureGrace(graceMs)
  // One change at a time, in the order the bus told them: a connection that closes right after
  // it was identified must leave after it arrived, whatever the membership's timing.
  let changes = Promise.resolve()
  const inOrder = (change: () => Promise<void>): void => {
    changes = changes.then(change).catch((err: unknown) => log.error({ err }, 'updating presence failed'))
  }

  const arrive = async (identity: Identity, socketId: string): Promise<void> => {
    const { changed, count, username } = await membership.add(HUB_GROUP, { key: keyOf(identity), username: identity.username }, socketId)
    // A further tab of a user already online: nobody else learns anything new, but this tab (a
    // tutorial client knows the count only from user-joined / user-left) must see where things stand.
    if (!changed) io.local.to(socketId).emit('user-joined', { username, userCount: count })
    else {
      io.emit('user-joined', { username, userCount: count })
      bus.emit('presence:user-online', { username, userCount: count })
    }
  }

  const depart = async (identity: Identity, socketId: string): Promise<void> => {
    const change = await membership.remove(HUB_GROUP, keyOf(identity), socketId)
    if (!change?.changed) return
    io.emit('user-left', { username: change.username, userCount: change.count })
    bus.emit('presence:user-offline', { username: change.username, userCount: change.count })
  }

  const module = listenAll(bus, {
    'session:opened': ({ socketId }) => {
      inOrder(async () => void io.local.to(socketId).emit('presence', { userCount: await membership.count(HUB_GROUP) }))
    },
    'session:identified': ({ socketId, username, userId, previous }) => {
      inOrder(async () => {
        if (previous !== undefined) await depart(previous, socketId)
        await arrive({ username, userId }, socketId)
      })
    },
    'session:closed': ({ socketId, username, userId }) => {
      if (username !== undefined) grace.later(() => inOrder(() => depart({ username, userId }, socketId)))
    },
  })

  return {
    dispose() {
      module.dispose()
      grace.dispose()
    },
    // After the changes already under way, so a caller sees the effect of what it emitted.
    userCount: () => changes.then(() => membership.count(HUB_GROUP)),
    users: () => changes.then(() => membership.names(HUB_GROUP)),
  }
}
