import { listenAll, roomKey, type HubModule, type ModuleContext } from './module.js'

/**
 * Per-user inboxes: keeps each user's connections in the rooms of the topics they follow, and
 * pushes the unread count to every tab of a user when it connects and when read state changes.
 * New notifications reach the inbox as ordinary `notification` events; clients count them.
 *
 * @example
 * const inbox = createInboxModule({ bus, io, log, store })
 */
export function createInboxModule({ bus, io, log, store }: ModuleContext): HubModule {
  const failed = (what: string, username: string) => (err: unknown) => log.error({ err, username }, what)

  const joinFollowedTopics = async (socketId: string, username: string) => {
    const topics = await store.followedTopics(username)
    if (topics.length > 0) io.in(socketId).socketsJoin(topics.map(roomKey.followers))
    io.to(socketId).emit('inbox-unread', { count: await store.unreadCount(username) })
  }

  const pushUnread = async (username: string) => {
    io.to(roomKey.user(username)).emit('inbox-unread', { count: await store.unreadCount(username) })
  }

  return listenAll(bus, {
    'session:identified': ({ socketId, username, previous }) => {
      if (previous !== undefined) {
        store.followedTopics(previous).then(
          (topics) => topics.length > 0 && io.in(socketId).socketsLeave(topics.map(roomKey.followers)),
          failed('leaving followed topics failed', previous),
        )
      }
      joinFollowedTopics(socketId, username).catch(failed('joining followed topics failed', username))
    },
    'inbox:topic-followed': ({ username, topic }) => {
      io.in(roomKey.user(username)).socketsJoin(roomKey.followers(topic))
    },
    'inbox:topic-unfollowed': ({ username, topic }) => {
      io.in(roomKey.user(username)).socketsLeave(roomKey.followers(topic))
    },
    'inbox:read-state-changed': ({ username }) => {
      pushUnread(username).catch(failed('pushing the unread count failed', username))
    },
  })
}
