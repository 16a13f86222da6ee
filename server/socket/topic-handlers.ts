import type { HubSocket } from '../hub-server.js'
import type { HandlerContext } from './handle.js'
import { noInbox } from './replies.js'
import { addTo, removeFrom } from './session-sets.js'

/** Adds a live subscription for this connection; no-op when already subscribed. */
export function subscribe({ bus }: Pick<HandlerContext, 'bus'>, socket: HubSocket, topic: string): void {
  if (!addTo(socket.data, 'topics', topic)) return
  bus.emit('topic:subscribed', { socketId: socket.id, topic })
}

/**
 * `subscribe` / `unsubscribe` (live, this connection only) and `follow` / `unfollow` (the user's
 * inbox, kept by the hub across connections).
 */
export function registerTopicHandlers(context: HandlerContext): void {
  const { bus, store, on, schemas } = context

  on('subscribe', ['topic'], schemas.topic, (socket, [topic]) => {
    subscribe(context, socket, topic)
    return { ok: true, topic }
  })

  on('unsubscribe', ['topic'], schemas.topic, (socket, [topic]) => {
    if (removeFrom(socket.data, 'topics', topic)) bus.emit('topic:unsubscribed', { socketId: socket.id, topic })
    return { ok: true, topic }
  })

  on('follow', ['topic'], schemas.topic, async (socket, [topic]) => {
    const userId = socket.data.userId
    if (userId === undefined) return noInbox(context, 'follow')
    await store.followTopic(userId, topic)
    bus.emit('inbox:topic-followed', { userId, topic })
    return { ok: true, topic }
  })

  on('unfollow', ['topic'], schemas.topic, async (socket, [topic]) => {
    const userId = socket.data.userId
    if (userId === undefined) return noInbox(context, 'unfollow')
    await store.unfollowTopic(userId, topic)
    bus.emit('inbox:topic-unfollowed', { userId, topic })
    return { ok: true, topic }
  })
}
