import { z } from 'zod'
import { channelNameSchema } from '../../shared/index.js'
import type { HandlerContext } from './handle.js'
import { needsName } from './replies.js'

/** Adds a live subscription for this connection; no-op when already subscribed. */
export function subscribe({ socket, bus }: Pick<HandlerContext, 'socket' | 'bus'>, topic: string): void {
  if (socket.data.topics.has(topic)) return
  socket.data.topics.add(topic)
  bus.emit('topic:subscribed', { socketId: socket.id, topic })
}

/**
 * `subscribe` / `unsubscribe` (live, this connection only) and `follow` / `unfollow` (the user's
 * inbox, kept by the hub across connections).
 */
export function registerTopicHandlers(context: HandlerContext): void {
  const { socket, bus, store, on } = context
  const topicArg = z.tuple([channelNameSchema])

  on('subscribe', ['topic'], topicArg, ([topic]) => {
    subscribe(context, topic)
    return { ok: true, topic }
  })

  on('unsubscribe', ['topic'], topicArg, ([topic]) => {
    if (socket.data.topics.delete(topic)) bus.emit('topic:unsubscribed', { socketId: socket.id, topic })
    return { ok: true, topic }
  })

  on('follow', ['topic'], topicArg, async ([topic]) => {
    const username = socket.data.username
    if (username === undefined) return needsName('follow')
    await store.followTopic(username, topic)
    bus.emit('inbox:topic-followed', { username, topic })
    return { ok: true, topic }
  })

  on('unfollow', ['topic'], topicArg, async ([topic]) => {
    const username = socket.data.username
    if (username === undefined) return needsName('unfollow')
    await store.unfollowTopic(username, topic)
    bus.emit('inbox:topic-unfollowed', { username, topic })
    return { ok: true, topic }
  })
}
