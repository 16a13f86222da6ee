import { listenAll, roomKey, type HubModule, type ModuleContext } from './module.js'

/**
 * Delivers published notifications: to a user's every connection, to a topic's subscribers,
 * or to every connection. Keeps sockets in their `user:` and `topic:` rooms to make that one
 * broadcast each.
 *
 * @example
 * const notifications = createNotificationsModule({ bus, io, log })
 */
export function createNotificationsModule({ bus, io }: ModuleContext): HubModule {
  return listenAll(bus, {
    'session:identified': ({ socketId, username, previous }) => {
      if (previous !== undefined) io.in(socketId).socketsLeave(roomKey.user(previous))
      io.in(socketId).socketsJoin(roomKey.user(username))
    },
    'topic:subscribed': ({ socketId, topic }) => {
      io.in(socketId).socketsJoin(roomKey.topic(topic))
    },
    'topic:unsubscribed': ({ socketId, topic }) => {
      io.in(socketId).socketsLeave(roomKey.topic(topic))
    },
    'notification:published': (notification) => {
      const target =
        notification.user !== undefined
          ? io.to(roomKey.user(notification.user))
          : notification.topic !== undefined
            ? io.to(roomKey.topic(notification.topic))
            : io
      target.emit('notification', notification)
    },
  })
}
