import type { Notification } from '../../shared/index.js'
import type { Recipient } from '../store/store.js'
import { listenAll, roomKey, type HubModule, type ModuleContext } from './module.js'

/** Missed notifications are read from the store in pages of this size. */
const CATCH_UP_PAGE = 500

/**
 * Delivers published notifications: to a user's every connection, to a topic's subscribers and
 * followers, or to every connection, one broadcast each. Sends a reconnecting socket what it
 * missed, oldest first, before it receives live ones again.
 *
 * @example
 * const notifications = createNotificationsModule({ bus, io, log, store })
 */
export function createNotificationsModule({ bus, io, log, store }: ModuleContext): HubModule {
  const deliver = (notification: Notification): void => {
    const target =
      notification.user !== undefined
        ? io.to(roomKey.user(notification.user))
        : notification.topic !== undefined
          ? io.to(roomKey.topic(notification.topic)).to(roomKey.followers(notification.topic))
          : io
    // `except` costs an exclusion set and a lookup per recipient: skip it while no socket is
    // catching up. The hub's in-memory adapter lists every room (an empty one is deleted);
    // without that list (a stand-in), the exclusion is always applied.
    const rooms = io.sockets?.adapter?.rooms
    if (rooms !== undefined && !rooms.has(roomKey.catchingUp)) target.emit('notification', notification)
    else target.except(roomKey.catchingUp).emit('notification', notification)
  }

  const catchUp = async (socketId: string, since: string, recipient: Recipient) => {
    const topics = new Set(recipient.topics)
    if (recipient.userId !== undefined) {
      for (const topic of await store.followedTopics(recipient.userId)) topics.add(topic)
    }
    const who = { userId: recipient.userId, topics: [...topics] }
    let cursor = since
    let sent = 0
    for (;;) {
      const page = await store.notificationsAfter(who, cursor, CATCH_UP_PAGE)
      for (const notification of page) io.to(socketId).emit('notification', notification)
      sent += page.length
      const last = page.at(-1)
      // Leaving the catching-up room in the same turn as the last (short) read: a notification
      // committed after that read is published later and reaches the socket live.
      if (!last || page.length < CATCH_UP_PAGE) break
      cursor = last.id
    }
    io.in(socketId).socketsLeave(roomKey.catchingUp)
    log.debug({ socketId, sent }, 'catch-up sent')
  }

  return listenAll(bus, {
    'session:identified': ({ socketId, userId, previous }) => {
      if (previous?.userId !== undefined) io.in(socketId).socketsLeave(roomKey.user(previous.userId))
      if (userId !== undefined) io.in(socketId).socketsJoin(roomKey.user(userId))
    },
    'topic:subscribed': ({ socketId, topic }) => {
      io.in(socketId).socketsJoin(roomKey.topic(topic))
    },
    'topic:unsubscribed': ({ socketId, topic }) => {
      io.in(socketId).socketsLeave(roomKey.topic(topic))
    },
    'notification:published': deliver,
    'notification:catch-up-requested': ({ socketId, since, recipient }) => {
      catchUp(socketId, since, recipient).catch((err: unknown) => {
        // Better a live stream with a gap the client can re-request than a socket stuck muted.
        log.error({ err, socketId }, 'catch-up failed')
        io.in(socketId).socketsLeave(roomKey.catchingUp)
      })
    },
  })
}
