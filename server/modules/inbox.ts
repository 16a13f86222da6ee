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
  const failed = (what: string, socketId: string) => (err: unknown) => log.error({ err, socketId }, what)

  const joinFollowedTopics = async (socketId: string, userId: string) => {
    const topics = await store.followedTopics(userId)
    if (topics.length > 0) io.in(socketId).socketsJoin(topics.map(roomKey.followers))
    io.to(socketId).emit('inbox-unread', { count: await store.unreadCount(userId) })
  }

  const leaveFollowedTopics = async (socketId: string, userId: string) => {
    const topics = await store.followedTopics(userId)
    if (topics.length > 0) io.in(socketId).socketsLeave(topics.map(roomKey.followers))
  }

  return listenAll(bus, {
    'session:identified': ({ socketId, userId, previous }) => {
      if (previous?.userId !== undefined) {
        leaveFollowedTopics(socketId, previous.userId).catch(failed('leaving followed topics failed', socketId))
      }
      if (userId !== undefined) {
        joinFollowedTopics(socketId, userId).catch(failed('joining followed topics failed', socketId))
      }
    },
    'inbox:topic-followed': ({ userId, topic }) => {
      io.in(roomKey.user(userId)).socketsJoin(roomKey.followers(topic))
    },
    'inbox:topic-unfollowed': ({ userId, topic }) => {
      io.in(roomKey.user(userId)).socketsLeave(roomKey.followers(topic))
    },
    'inbox:read-state-changed': ({ userId, unread }) => {
      io.to(roomKey.user(userId)).emit('inbox-unread', { count: unread })
    },
  })
}
