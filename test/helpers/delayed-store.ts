import type { Store, StoreFeedEvent } from '../../server/store/store.js'

/** Up to `maxMs` milliseconds, at random: an answer crossing a network, or not. */
const randomDelay = (maxMs: number): Promise<void> =>
  new Promise((done) => setTimeout(done, Math.floor(Math.random() * (maxMs + 1))))

/**
 * Wraps `store` so that it behaves like a networked one: calls reach it at once and in the
 * order made (as commands pipelined on one connection would), but every answer and every feed
 * event arrives after its own random delay. Feed events keep their order, yet may arrive after
 * a read that already returned them. Code that is only correct because the embedded store
 * answers in the same turn fails against it.
 *
 * @example
 * describeStoreContract('SQLite, delayed', ({ now }) => withRandomDelays(openSqliteStore({ path: ':memory:', now })))
 */
export function withRandomDelays(store: Store, maxMs = 3): Store {
  const delayed =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const answer = call(...args)
      answer.catch(() => {}) // a refusal is answered below, after the delay, like any answer
      await randomDelay(maxMs)
      return answer
    }

  return {
    appendNotification: delayed(store.appendNotification.bind(store)),
    newestNotificationId: delayed(store.newestNotificationId.bind(store)),
    notificationsAfter: delayed(store.notificationsAfter.bind(store)),
    followTopic: delayed(store.followTopic.bind(store)),
    unfollowTopic: delayed(store.unfollowTopic.bind(store)),
    followedTopics: delayed(store.followedTopics.bind(store)),
    inbox: delayed(store.inbox.bind(store)),
    markRead: delayed(store.markRead.bind(store)),
    markAllRead: delayed(store.markAllRead.bind(store)),
    unreadCount: delayed(store.unreadCount.bind(store)),
    appendChatMessage: delayed(store.appendChatMessage.bind(store)),
    recentChatMessages: delayed(store.recentChatMessages.bind(store)),
    chatMessagesAfter: delayed(store.chatMessagesAfter.bind(store)),
    prune: delayed(store.prune.bind(store)),
    check: delayed(store.check.bind(store)),
    close: delayed(store.close.bind(store)),
    subscribe(listener) {
      // One chain per subscriber: each event waits its own delay, after the one before it.
      let chain = Promise.resolve()
      let stopped = false
      const stop = store.subscribe((event: StoreFeedEvent) => {
        chain = chain.then(() => randomDelay(maxMs)).then(() => {
          if (!stopped) listener(event)
        })
      })
      return () => {
        stopped = true
        stop()
      }
    },
  }
}
