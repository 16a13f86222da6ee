import type { Notification } from '../../shared/index.js'
import { startCatchUp, type CatchUp } from '../catch-up.js'
import type { Recipient } from '../store/store.js'
import { listenAll, roomKey, type HubModule, type ModuleContext } from './module.js'

/**
 * Missed notifications are read from the store, and sent, this many at a time; the next page
 * waits for the connection to have room (even a page of the largest notifications stays well
 * under the slow-consumer limit).
 */
export const CATCH_UP_PAGE = 100

/** A local socket catching up, and what it should receive meanwhile. */
interface CatchingUp {
  recipient: { userId?: string; topics: Set<string> }
  /** Set once the followed topics are known; live notifications wait in `early` until then. */
  catchUp?: CatchUp<Notification>
  early: Notification[]
}

const reaches = ({ userId, topics }: CatchingUp['recipient'], n: Notification): boolean =>
  n.user !== undefined ? n.user === userId : n.topic !== undefined ? topics.has(n.topic) : true

/**
 * Delivers published notifications (the store's feed, on every hub process) to this process's
 * sockets: to a user's every connection, to a topic's subscribers and followers, or to every
 * connection, one local broadcast each. Sends a reconnecting socket what it missed after its
 * cursor, oldest first, in pages, before it receives live ones again (see `catch-up.ts`).
 *
 * @example
 * const notifications = createNotificationsModule({ bus, io, log, store })
 */
export function createNotificationsModule({ bus, io, log, store, outbox }: ModuleContext): HubModule {
  // Only sockets catching up have an entry: an idle connection costs nothing here.
  const catching = new Map<string, CatchingUp>()
  // The newest notification this process's feed has delivered (see `startCatchUp`).
  let feedPosition: string | undefined

  const deliver = (notification: Notification): void => {
    feedPosition = notification.id
    // Local: every process receives the store's feed and serves its own sockets.
    const target =
      notification.user !== undefined
        ? io.local.to(roomKey.user(notification.user))
        : notification.topic !== undefined
          ? io.local.to(roomKey.topic(notification.topic)).to(roomKey.followers(notification.topic))
          : io.local
    // The exclusion costs a lookup per recipient: only while a socket here is catching up.
    if (catching.size === 0) return void target.emit('notification', notification)
    target.except(roomKey.catchingUp).emit('notification', notification)
    for (const entry of catching.values()) {
      if (!reaches(entry.recipient, notification)) entry.catchUp?.advance(notification.id)
      else if (entry.catchUp === undefined) entry.early.push(notification)
      else {
        entry.catchUp.offer(notification)
        entry.catchUp.advance(notification.id)
      }
    }
  }

  const finish = (socketId: string): void => {
    catching.delete(socketId)
    io.in(socketId).socketsLeave(roomKey.catchingUp)
  }

  const catchUp = async (socketId: string, since: string | undefined, recipient: Recipient): Promise<void> => {
    // Marked first, so live notifications for it are kept from now on (the gateway has put it
    // in the catching-up room already); followed topics are added once known.
    const entry: CatchingUp = { recipient: { userId: recipient.userId, topics: new Set(recipient.topics) }, early: [] }
    catching.set(socketId, entry)
    if (recipient.userId !== undefined) {
      for (const topic of await store.followedTopics(recipient.userId)) entry.recipient.topics.add(topic)
    }
    if (catching.get(socketId) !== entry) return // closed meanwhile
    const who = { userId: entry.recipient.userId, topics: [...entry.recipient.topics] }
    let sent = 0
    entry.catchUp = startCatchUp<Notification>({
      after: since,
      pageSize: CATCH_UP_PAGE,
      readPage: (after, limit) => store.notificationsAfter(who, after, limit),
      send: (notification) => {
        sent++
        io.to(socketId).emit('notification', notification)
      },
      feedPosition: () => feedPosition,
      pause: () => outbox.whenRoom(socketId),
      onLive: () => {
        finish(socketId)
        log.debug({ socketId, sent }, 'catch-up sent')
      },
      onError: (err) => {
        // Better a live stream the client can resume again than a socket stuck muted.
        log.error({ err, socketId }, 'catch-up failed')
        finish(socketId)
      },
    })
    for (const notification of entry.early.splice(0)) entry.catchUp.offer(notification)
  }

  return listenAll(bus, {
    'session:identified': ({ socketId, userId, previous }) => {
      if (previous?.userId !== undefined) io.in(socketId).socketsLeave(roomKey.user(previous.userId))
      if (userId !== undefined) io.in(socketId).socketsJoin(roomKey.user(userId))
    },
    'topic:subscribed': ({ socketId, topic }) => {
      io.in(socketId).socketsJoin(roomKey.topic(topic))
      catching.get(socketId)?.recipient.topics.add(topic)
    },
    'topic:unsubscribed': ({ socketId, topic }) => {
      io.in(socketId).socketsLeave(roomKey.topic(topic))
    },
    'session:closed': ({ socketId }) => {
      catching.get(socketId)?.catchUp?.cancel()
      catching.delete(socketId)
    },
    'notification:published': deliver,
    'notification:catch-up-requested': ({ socketId, since, recipient }) => {
      catchUp(socketId, since, recipient).catch((err: unknown) => {
        log.error({ err, socketId }, 'catch-up failed')
        finish(socketId)
      })
    },
  })
}
