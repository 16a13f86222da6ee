import type { Notification } from '../../shared/index.js'
import type { HubServer } from '../hub-server.js'
import { roomKey } from '../modules/module.js'

type Rooms = ReadonlyMap<string, ReadonlySet<string>>

/** How many of `members` are not in `excluded`: walks the smaller of the two. */
function sizeWithout(members: ReadonlySet<string>, excluded: ReadonlySet<string> | undefined): number {
  if (excluded === undefined || excluded.size === 0) return members.size
  let inBoth = 0
  if (excluded.size < members.size) {
    for (const id of excluded) if (members.has(id)) inBoth++
  } else {
    for (const id of members) if (excluded.has(id)) inBoth++
  }
  return members.size - inBoth
}

/** Size of the union of two rooms, minus the sockets in `excluded`. */
function unionSize(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined, excluded?: ReadonlySet<string>): number {
  if (a === undefined || a.size === 0) return b === undefined ? 0 : sizeWithout(b, excluded)
  if (b === undefined || b.size === 0) return sizeWithout(a, excluded)
  const [small, large] = a.size < b.size ? [a, b] : [b, a]
  let count = sizeWithout(large, excluded)
  for (const id of small) if (!large.has(id) && !excluded?.has(id)) count++
  return count
}

/**
 * How many sockets of this process a live notification reaches, from the room sizes Socket.IO
 * keeps (`Namespace.adapter.rooms`, the public map its own documentation describes), measured
 * right after the notifications module sent it (the bus is synchronous, so membership has not
 * moved in between). The same targeting as that module: the user's room, the topic's
 * subscribers and followers, or every connection; sockets still catching up are left out.
 * Costs one map lookup for a broadcast or a user, and a walk of the smaller room for a topic
 * (the two rooms may overlap); nothing per idle socket.
 *
 * @example
 * bus.on('notification:published', (n) => delivered.inc(audienceSize(io, n)))
 */
export function audienceSize(io: HubServer, notification: Notification): number {
  const namespace = io.of('/')
  const rooms: Rooms = namespace.adapter.rooms
  const catchingUp = rooms.get(roomKey.catchingUp)
  if (notification.user !== undefined) return sizeWithout(rooms.get(roomKey.user(notification.user)) ?? new Set(), catchingUp)
  if (notification.topic !== undefined) {
    return unionSize(rooms.get(roomKey.topic(notification.topic)), rooms.get(roomKey.followers(notification.topic)), catchingUp)
  }
  return namespace.sockets.size - (catchingUp?.size ?? 0)
}
