import { afterEach, describe, expect, it } from 'vitest'
import type { Notification } from '../../shared/index.js'
import { IDEMPOTENCY_TTL_MS, MAX_PAGE_SIZE, type Store } from './store.js'
import { createFixtures, createTestClock, ids, type TestClock } from './store-test-fixtures.js'

const DAY_MS = 24 * 60 * 60 * 1000

export interface StoreFactoryOptions {
  /** The store's clock: idempotency expiry and `prune`'s default are measured with it. */
  now: () => Date
}

/** Opens a fresh, empty store; the contract closes it after each test. */
export type MakeStore = (options: StoreFactoryOptions) => Store | Promise<Store>

/**
 * The behaviour every `Store` implementation must have, as one vitest `describe` block.
 *
 * @example
 * describeStoreContract('sqlite :memory:', ({ now }) => openSqliteStore({ path: ':memory:', now }))
 */
export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract: ${name}`, () => {
    const opened: Store[] = []
    let clock: TestClock
    let make: ReturnType<typeof createFixtures>

    const openStore = async (): Promise<Store> => {
      clock = createTestClock()
      make = createFixtures(clock)
      const store = await makeStore({ now: clock.now })
      opened.push(store)
      return store
    }

    const appendAll = async (store: Store, notifications: Notification[]): Promise<Notification[]> => {
      await Promise.all(notifications.map((n) => store.appendNotification(n)))
      return notifications
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()))
    })

    describe('notifications', () => {
      it('stores a notification with every field and returns it unchanged', async () => {
        const store = await openStore()
        const full = make.notification({ level: 'warning', user: 'ada', data: { build: 42, tags: ['a', 'b'] } })
        const bare = make.notification({ body: '' })

        expect(await store.appendNotification(full)).toStrictEqual({ notification: full, created: true })
        await store.appendNotification(bare)

        const stored = await store.notificationsAfter({ userId: 'ada', topics: [] }, undefined, 10)
        expect(stored).toStrictEqual([full, bare])
      })

      it('refuses an id that is already stored, without failing appends made alongside it', async () => {
        const store = await openStore()
        const first = make.notification()
        await store.appendNotification(first)
        const other = make.notification()

        const [duplicate, alongside] = await Promise.allSettled([
          store.appendNotification({ ...first, title: 'again' }),
          store.appendNotification(other),
        ])

        expect(duplicate.status).toBe('rejected')
        expect(alongside.status).toBe('fulfilled')
        const stored = await store.notificationsAfter({ topics: [] }, undefined, 10)
        expect(stored).toStrictEqual([first, other])
      })

      it('reports the newest stored id, for a new connection to resume from', async () => {
        const store = await openStore()
        expect(await store.newestNotificationId()).toBeUndefined()
        const [, newest] = await appendAll(store, [make.notification({ user: 'bob' }), make.notification({ topic: 'x' })])

        expect(await store.newestNotificationId()).toBe(newest?.id)
      })

      it('stores every one of many appends made in the same tick', async () => {
        const store = await openStore()
        const many = Array.from({ length: 500 }, () => make.notification())

        await appendAll(store, many)

        expect(ids(await store.notificationsAfter({ topics: [] }, undefined, MAX_PAGE_SIZE))).toEqual(ids(many))
      })
    })

    describe('catch-up', () => {
      it("lists broadcasts, the recipient's topics and their own notifications after an id, in id order", async () => {
        const store = await openStore()
        const [seen, broadcast, deploys, otherTopic, toAda, toBob, alerts] = await appendAll(store, [
          make.notification(),
          make.notification(),
          make.notification({ topic: 'deploys' }),
          make.notification({ topic: 'billing' }),
          make.notification({ user: 'ada' }),
          make.notification({ user: 'bob' }),
          make.notification({ topic: 'alerts' }),
        ])

        const missed = await store.notificationsAfter({ userId: 'ada', topics: ['deploys', 'alerts'] }, seen?.id, 100)

        expect(missed).toStrictEqual([broadcast, deploys, toAda, alerts])
        expect(missed).not.toContainEqual(otherTopic)
        expect(missed).not.toContainEqual(toBob)
      })

      it('gives an anonymous recipient broadcasts and topics only', async () => {
        const store = await openStore()
        const [broadcast, , deploys] = await appendAll(store, [
          make.notification(),
          make.notification({ user: 'ada' }),
          make.notification({ topic: 'deploys' }),
        ])

        expect(await store.notificationsAfter({ topics: ['deploys'] }, undefined, 10)).toStrictEqual([broadcast, deploys])
      })

      it('treats a topic and a user of the same name as different targets', async () => {
        const store = await openStore()
        const [toUser] = await appendAll(store, [make.notification({ user: 'ops' }), make.notification({ topic: 'ops' })])

        expect(ids(await store.notificationsAfter({ userId: 'ops', topics: [] }, undefined, 10))).toEqual([toUser?.id])
      })

      it('pages through more than one page of missed notifications, oldest first', async () => {
        const store = await openStore()
        const missed = Array.from({ length: 1500 }, (_, i) =>
          make.notification(i % 3 === 0 ? { topic: 'deploys' } : i % 3 === 1 ? { user: 'ada' } : {}),
        )
        await appendAll(store, missed)
        const recipient = { userId: 'ada', topics: ['deploys'] }

        const first = await store.notificationsAfter(recipient, undefined, 1000)
        const second = await store.notificationsAfter(recipient, first.at(-1)?.id, 1000)

        expect(first).toHaveLength(1000)
        expect(ids([...first, ...second])).toEqual(ids(missed))
      })

      it('refuses a limit outside 1..MAX_PAGE_SIZE', async () => {
        const store = await openStore()
        await expect(store.notificationsAfter({ topics: [] }, undefined, 0)).rejects.toThrow(RangeError)
        await expect(store.notificationsAfter({ topics: [] }, undefined, MAX_PAGE_SIZE + 1)).rejects.toThrow(RangeError)
      })
    })

    describe('idempotency', () => {
      const key = { scope: 'publisher-1', key: 'order-7' }

      it('answers a retried key with the stored notification and stores nothing new', async () => {
        const store = await openStore()
        const original = make.notification({ title: 'Order shipped' })
        await store.appendNotification(original, key)
        clock.advance(IDEMPOTENCY_TTL_MS - 1)

        const retry = await store.appendNotification(make.notification({ title: 'Order shipped' }), key)

        expect(retry).toStrictEqual({ notification: original, created: false })
        expect(await store.notificationsAfter({ topics: [] }, undefined, 10)).toStrictEqual([original])
      })

      it('never stores two notifications for a retry racing the original', async () => {
        const store = await openStore()

        const results = await Promise.all([
          store.appendNotification(make.notification(), key),
          store.appendNotification(make.notification(), key),
          store.appendNotification(make.notification(), key),
        ])

        expect(results.map((r) => r.created)).toEqual([true, false, false])
        expect(new Set(results.map((r) => r.notification.id)).size).toBe(1)
        expect(await store.notificationsAfter({ topics: [] }, undefined, 10)).toHaveLength(1)
      })

      it('keeps keys of different scopes apart', async () => {
        const store = await openStore()
        await store.appendNotification(make.notification(), key)

        const other = await store.appendNotification(make.notification(), { ...key, scope: 'publisher-2' })

        expect(other.created).toBe(true)
        expect(await store.notificationsAfter({ topics: [] }, undefined, 10)).toHaveLength(2)
      })

      it('creates a new notification once the key is 24 hours old', async () => {
        const store = await openStore()
        const original = make.notification()
        await store.appendNotification(original, key)
        clock.advance(IDEMPOTENCY_TTL_MS)
        const later = make.notification()

        const retry = await store.appendNotification(later, key)
        const again = await store.appendNotification(make.notification(), key)

        expect(retry).toStrictEqual({ notification: later, created: true })
        expect(again).toStrictEqual({ notification: later, created: false })
      })
    })

    describe('followed topics', () => {
      it('remembers follows per user, in name order, ignoring repeats', async () => {
        const store = await openStore()
        await store.followTopic('ada', 'deploys')
        await store.followTopic('ada', 'alerts')
        await store.followTopic('ada', 'deploys')
        await store.followTopic('bob', 'billing')
        await store.unfollowTopic('ada', 'billing')

        expect(await store.followedTopics('ada')).toEqual(['alerts', 'deploys'])
        await store.unfollowTopic('ada', 'alerts')
        expect(await store.followedTopics('ada')).toEqual(['deploys'])
        expect(await store.followedTopics('carol')).toEqual([])
      })
    })

    describe('inbox', () => {
      const inboxIds = async (store: Store, user: string): Promise<string[]> =>
        (await store.inbox(user, { limit: MAX_PAGE_SIZE })).entries.map((e) => e.notification.id)

      it("holds the user's notifications, followed topics and broadcasts, newest first", async () => {
        const store = await openStore()
        await store.followTopic('ada', 'deploys')
        const [broadcast, deploys, , toAda] = await appendAll(store, [
          make.notification(),
          make.notification({ topic: 'deploys' }),
          make.notification({ topic: 'billing' }),
          make.notification({ user: 'ada' }),
          make.notification({ user: 'bob' }),
        ])

        const page = await store.inbox('ada', { limit: 10 })

        expect(page).toStrictEqual({
          entries: [toAda, deploys, broadcast].map((notification) => ({ notification, read: false })),
          unread: 3,
          followed: ['deploys'],
        })
      })

      it('pages with a cursor until the last page, which has none', async () => {
        const store = await openStore()
        const all = await appendAll(store, Array.from({ length: 5 }, () => make.notification()))
        const newestFirst = ids(all).reverse()

        const first = await store.inbox('ada', { limit: 2 })
        const second = await store.inbox('ada', { limit: 2, before: first.nextCursor })
        const third = await store.inbox('ada', { limit: 2, before: second.nextCursor })

        expect(first.entries.map((e) => e.notification.id)).toEqual(newestFirst.slice(0, 2))
        expect(second.entries.map((e) => e.notification.id)).toEqual(newestFirst.slice(2, 4))
        expect(third.entries.map((e) => e.notification.id)).toEqual(newestFirst.slice(4))
        expect(third.nextCursor).toBeUndefined()
      })

      it('has no cursor when the page is exactly the rest of the inbox', async () => {
        const store = await openStore()
        await appendAll(store, [make.notification(), make.notification()])

        expect((await store.inbox('ada', { limit: 2 })).nextCursor).toBeUndefined()
      })

      it('follows the topics followed now', async () => {
        const store = await openStore()
        const [deploys] = await appendAll(store, [make.notification({ topic: 'deploys' })])

        await store.followTopic('ada', 'deploys')
        expect(await inboxIds(store, 'ada')).toEqual([deploys?.id])
        await store.unfollowTopic('ada', 'deploys')
        expect(await inboxIds(store, 'ada')).toEqual([])
      })

      it('marks one notification read, for that user only', async () => {
        const store = await openStore()
        const [first, second] = await appendAll(store, [make.notification(), make.notification()])

        expect(await store.markRead('ada', first!.id)).toBe(true)

        const page = await store.inbox('ada', { limit: 10 })
        expect(page.entries.map((e) => [e.notification.id, e.read])).toEqual([
          [second?.id, false],
          [first?.id, true],
        ])
        expect(page.unread).toBe(1)
        expect(await store.unreadCount('ada')).toBe(1)
        expect(await store.unreadCount('bob')).toBe(2)
      })

      it("refuses to mark a notification outside the user's inbox", async () => {
        const store = await openStore()
        const [toBob, billing] = await appendAll(store, [
          make.notification({ user: 'bob' }),
          make.notification({ topic: 'billing' }),
        ])

        expect(await store.markRead('ada', toBob!.id)).toBe(false)
        expect(await store.markRead('ada', billing!.id)).toBe(false)
        expect(await store.markRead('ada', 'no-such-id')).toBe(false)
        expect(await store.unreadCount('bob')).toBe(1)
      })

      it('marks everything published so far read, leaving later notifications unread', async () => {
        const store = await openStore()
        await store.followTopic('ada', 'deploys')
        await appendAll(store, [make.notification(), make.notification({ topic: 'deploys' }), make.notification({ user: 'ada' })])
        expect(await store.unreadCount('ada')).toBe(3)

        await store.markAllRead('ada')
        expect(await store.unreadCount('ada')).toBe(0)
        const [later] = await appendAll(store, [make.notification({ user: 'ada' })])

        const page = await store.inbox('ada', { limit: 10 })
        expect(page.entries.map((e) => e.read)).toEqual([false, true, true, true])
        expect(page.entries[0]?.notification).toStrictEqual(later)
        expect(await store.unreadCount('ada')).toBe(1)
        expect(await store.markRead('ada', later!.id)).toBe(true)
        expect(await store.unreadCount('ada')).toBe(0)
      })

      it('includes appends accepted before "mark all read" even when not yet committed', async () => {
        const store = await openStore()
        const pending = store.appendNotification(make.notification())

        await store.markAllRead('ada')
        await pending

        expect(await store.unreadCount('ada')).toBe(0)
      })

      it('stops counting reads of a topic once it is unfollowed', async () => {
        const store = await openStore()
        await store.followTopic('ada', 'deploys')
        const [deploy] = await appendAll(store, [
          make.notification({ topic: 'deploys' }),
          make.notification({ topic: 'deploys' }),
          make.notification(),
        ])
        await store.markRead('ada', deploy!.id)
        expect(await store.unreadCount('ada')).toBe(2)

        await store.unfollowTopic('ada', 'deploys')

        expect(await store.unreadCount('ada')).toBe(1)
        await store.followTopic('ada', 'deploys')
        expect(await store.unreadCount('ada')).toBe(2)
      })

      it("starts a new user's unread count at their first connection, except what was addressed to them", async () => {
        const store = await openStore()
        await store.followTopic('ada', 'deploys')
        const [, , toAda] = await appendAll(store, [
          make.notification(),
          make.notification({ topic: 'deploys' }),
          make.notification({ user: 'ada' }),
        ])

        await store.startInbox('ada')
        expect(await store.unreadCount('ada')).toBe(1)
        const [later] = await appendAll(store, [make.notification()])
        // Starting again changes nothing: the start is the first connection's.
        await store.startInbox('ada')

        const page = await store.inbox('ada', { limit: 10 })
        expect(page.entries.map((e) => [e.notification.id, e.read])).toEqual([
          [later!.id, false],
          [toAda!.id, false],
          [page.entries[2]!.notification.id, true],
          [page.entries[3]!.notification.id, true],
        ])
        expect(page.unread).toBe(2)
        // Another user who has not connected yet still sees every broadcast as unread.
        expect(await store.unreadCount('bob')).toBe(2)
        await store.markRead('ada', later!.id)
        expect(await store.unreadCount('ada')).toBe(1)
      })

      it('counts zero for a user with an empty inbox', async () => {
        const store = await openStore()
        await store.markAllRead('ada')
        expect(await store.unreadCount('ada')).toBe(0)
        expect(await store.inbox('ada', { limit: 10 })).toStrictEqual({ entries: [], unread: 0, followed: [] })
      })
    })

    describe('chat history', () => {
      it('returns the latest messages of a room, oldest first, 50 by default', async () => {
        const store = await openStore()
        const support = Array.from({ length: 60 }, () => make.chatMessage('support'))
        await Promise.all([...support, make.chatMessage('general')].map((m) => store.appendChatMessage(m)))

        expect(await store.recentChatMessages('support')).toStrictEqual(support.slice(10))
        expect(await store.recentChatMessages('support', 3)).toStrictEqual(support.slice(57))
        expect(ids(await store.recentChatMessages('general'))).toHaveLength(1)
        expect(await store.recentChatMessages('empty')).toEqual([])
      })

      it('keeps only the latest 1000 messages of a room', async () => {
        const store = await openStore()
        const messages = Array.from({ length: 1010 }, () => make.chatMessage('support'))
        const other = make.chatMessage('general')
        await Promise.all(messages.slice(0, 600).map((m) => store.appendChatMessage(m)))
        await Promise.all([...messages.slice(600), other].map((m) => store.appendChatMessage(m)))

        expect(ids(await store.recentChatMessages('support', 1000))).toEqual(ids(messages.slice(10)))
        expect(await store.recentChatMessages('general')).toStrictEqual([other])
      })
    })

    describe('prune', () => {
      it('removes notifications older than 30 days, in several batches, and keeps the rest', async () => {
        const store = await openStore()
        const old = Array.from({ length: 2500 }, () => make.notification())
        await appendAll(store, old)
        await store.markRead('ada', old[0]!.id)
        clock.advance(DAY_MS)
        const recent = await appendAll(store, [make.notification()])
        clock.advance(30 * DAY_MS - 1)

        expect(await store.prune(clock.now())).toEqual({ notifications: 2500, idempotencyKeys: 0 })

        expect(await store.notificationsAfter({ topics: [] }, undefined, 10)).toStrictEqual(recent)
        expect(await store.unreadCount('ada')).toBe(1)
        expect(await store.prune()).toEqual({ notifications: 0, idempotencyKeys: 0 })
      })

      it('removes idempotency keys older than 24 hours', async () => {
        const store = await openStore()
        await store.appendNotification(make.notification(), { scope: 's', key: 'old' })
        clock.advance(IDEMPOTENCY_TTL_MS / 2)
        await store.appendNotification(make.notification(), { scope: 's', key: 'young' })
        clock.advance(IDEMPOTENCY_TTL_MS / 2 + 1)

        expect(await store.prune()).toEqual({ notifications: 0, idempotencyKeys: 1 })
        const retry = await store.appendNotification(make.notification(), { scope: 's', key: 'young' })
        expect(retry.created).toBe(false)
      })
    })

    describe('close', () => {
      it('commits writes still pending, then refuses further calls', async () => {
        const store = await openStore()
        const pending = store.appendNotification(make.notification())

        await store.close()

        await expect(pending).resolves.toMatchObject({ created: true })
        await expect(store.notificationsAfter({ topics: [] }, undefined, 1)).rejects.toThrow(/closed/)
        await expect(store.appendNotification(make.notification())).rejects.toThrow(/closed/)
      })
    })
  })
}
