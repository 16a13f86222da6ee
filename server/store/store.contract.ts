import { afterEach, describe, expect, it } from 'vitest'
import { parseSequenceId, type ChatMessage, type Notification } from '../../shared/index.js'
import { startCatchUp } from '../catch-up.js'
import { IDEMPOTENCY_TTL_MS, MAX_PAGE_SIZE, type NotificationDraft, type Store, type StoreFeedEvent } from './store.js'
import { createFixtures, createTestClock, ids, type TestClock } from './store-test-fixtures.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** Resolves once `condition` holds, checking after each turn of the event loop (a lagging feed). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((done) => setTimeout(done, 1))
}

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

    /** Appends all in one go; resolves with the stored notifications, in the order given. */
    const appendAll = async (store: Store, drafts: NotificationDraft[]): Promise<Notification[]> =>
      (await Promise.all(drafts.map((n) => store.appendNotification(n)))).map((r) => r.notification)

    /** Every feed event from now on, in the order received. */
    const recordFeed = (store: Store): StoreFeedEvent[] => {
      const events: StoreFeedEvent[] = []
      store.subscribe((event) => events.push(event))
      return events
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()))
    })

    describe('notifications', () => {
      it('stores a notification with every field and returns it with the id it was given', async () => {
        const store = await openStore()
        const full = make.notification({ level: 'warning', user: 'ada', data: { build: 42, tags: ['a', 'b'] } })
        const bare = make.notification({ body: '' })

        const first = await store.appendNotification(full)
        const second = await store.appendNotification(bare)

        expect(first).toStrictEqual({ notification: { ...full, id: expect.any(String) }, created: true })
        expect(second.notification).toStrictEqual({ ...bare, id: expect.any(String) })
        const stored = await store.notificationsAfter({ userId: 'ada', topics: [] }, undefined, 10)
        expect(stored).toStrictEqual([first.notification, second.notification])
      })

      it('numbers notifications at commit: sequence ids, increasing in commit order, never reused', async () => {
        const store = await openStore()
        const first = await appendAll(store, [make.notification(), make.notification({ user: 'ada' })])
        const later = await appendAll(store, [make.notification({ topic: 'x' })])
        const all = [...first, ...later]

        for (const n of all) expect(parseSequenceId(n.id)).toBeGreaterThan(0)
        expect(ids(all)).toEqual(ids(all).toSorted())
        expect(new Set(ids(all)).size).toBe(3)
        clock.advance(31 * 24 * 60 * 60 * 1000)
        await store.prune()
        const [afterPrune] = await appendAll(store, [make.notification()])
        expect(afterPrune!.id > later[0]!.id).toBe(true)
      })

      it('reports the newest committed id, for a new connection to resume from', async () => {
        const store = await openStore()
        expect(await store.newestNotificationId()).toBeUndefined()
        const [, newest] = await appendAll(store, [make.notification({ user: 'bob' }), make.notification({ topic: 'x' })])

        expect(await store.newestNotificationId()).toBe(newest?.id)
      })

      it('refuses a cursor it did not make', async () => {
        const store = await openStore()
        await expect(store.notificationsAfter({ topics: [] }, 'lx2k9a000000abcdef', 10)).rejects.toThrow(RangeError)
        await expect(store.chatMessagesAfter('r', '12', 10)).rejects.toThrow(RangeError)
      })

      it('stores every one of many appends made in the same tick', async () => {
        const store = await openStore()
        const many = await appendAll(store, Array.from({ length: 500 }, () => make.notification()))

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
        const missed = await appendAll(
          store,
          Array.from({ length: 1500 }, (_, i) =>
            make.notification(i % 3 === 0 ? { topic: 'deploys' } : i % 3 === 1 ? { user: 'ada' } : {}),
          ),
        )
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

    describe('feed', () => {
      it('hands every committed notification and chat message to subscribers once, in commit order', async () => {
        const store = await openStore()
        const feed = recordFeed(store)
        const also = recordFeed(store)

        const [first, , third] = await Promise.all([
          store.appendNotification(make.notification(), { scope: 's', key: 'k' }),
          store.appendChatMessage(make.chatMessage('support')),
          store.appendNotification(make.notification({ user: 'ada' })),
        ])
        await store.appendNotification(make.notification(), { scope: 's', key: 'k' }) // a retry: stores nothing
        const message = await store.appendChatMessage(make.chatMessage('general'))
        await store.check() // any feed delay has passed once a later call has answered
        await waitFor(() => feed.length >= 4)

        expect(feed).toEqual([
          { kind: 'notification', notification: first.notification },
          { kind: 'chat', message: expect.objectContaining({ room: 'support' }) },
          { kind: 'notification', notification: third.notification },
          { kind: 'chat', message },
        ])
        await waitFor(() => also.length >= 4)
        expect(also).toEqual(feed)
      })

      it('stops calling a listener once unsubscribed', async () => {
        const store = await openStore()
        const kept = recordFeed(store)
        const dropped: StoreFeedEvent[] = []
        const stop = store.subscribe((event) => dropped.push(event))
        await store.appendNotification(make.notification())
        await waitFor(() => kept.length === 1 && dropped.length === 1)

        stop()
        await store.appendNotification(make.notification())
        await waitFor(() => kept.length === 2)

        expect(dropped).toHaveLength(1)
      })

      // The owner's side of a catch-up, as the hub runs it: live items go to the catch-up until it
      // goes live. The feed can be held back (`hold`) to play a feed lagging behind reads.
      const followCatchUp = (store: Store, cursor: string, readHook: (page: Notification[]) => Promise<void> = async () => {}) => {
        const recipient = { userId: 'ada', topics: ['deploys'] }
        const received: Notification[] = []
        const held: Notification[] = []
        let holding = false
        let feedPosition: string | undefined
        let live = false
        let settle: (error?: unknown) => void = () => {}
        const settled = new Promise<void>((resolve, reject) => (settle = (e) => (e === undefined ? resolve() : reject(e))))
        const catchUp = startCatchUp<Notification>({
          after: cursor,
          pageSize: 7,
          readPage: async (after, limit) => {
            const page = await store.notificationsAfter(recipient, after, limit)
            await readHook(page)
            return page
          },
          send: (n) => received.push(n),
          feedPosition: () => feedPosition,
          onLive: () => {
            live = true
            settle()
          },
          onError: (error) => settle(error),
        })
        const deliver = (n: Notification): void => {
          if (forAda(n)) {
            if (live) received.push(n)
            else catchUp.offer(n)
          }
          feedPosition = n.id
          if (!live) catchUp.advance(n.id)
        }
        store.subscribe((event) => {
          if (event.kind !== 'notification') return
          if (holding) held.push(event.notification)
          else deliver(event.notification)
        })
        return {
          received,
          settled,
          held,
          position: () => feedPosition,
          hold: () => (holding = true),
          release: () => {
            holding = false
            for (const n of held.splice(0)) deliver(n)
          },
        }
      }
      const forAda = (n: Notification): boolean =>
        n.user === 'ada' || n.topic === 'deploys' || (n.user === undefined && n.topic === undefined)
      const mix = (i: number): NotificationDraft =>
        make.notification(i % 4 === 0 ? { user: 'ada' } : i % 4 === 1 ? { topic: 'deploys' } : i % 4 === 2 ? { user: 'bob' } : {})

      it('hands a catch-up over to live delivery with no gap, no duplicate, in order, while others publish', async () => {
        const store = await openStore()
        const before = await appendAll(store, Array.from({ length: 300 }, (_, i) => mix(i)))
        const follower = followCatchUp(store, before[49]!.id)

        // Publishing goes on, one commit after another, all through the catch-up and after it.
        const during: Notification[] = []
        const publishing = (async () => {
          for (let i = 0; i < 120; i++) during.push((await store.appendNotification(mix(i))).notification)
        })()
        await follower.settled
        await publishing
        const last = await appendAll(store, [make.notification({ user: 'ada' })])
        await waitFor(() => follower.received.at(-1)?.id === last[0]!.id)

        const expected = [...before.slice(50), ...during, ...last].filter(forAda)
        expect(ids(follower.received)).toEqual(ids(expected))
      })

      it('sends what was committed after the last read and fed while that read was answered', async () => {
        const store = await openStore()
        const before = await appendAll(store, Array.from({ length: 20 }, (_, i) => mix(i)))
        let late: Notification | undefined
        const follower = followCatchUp(store, before[4]!.id, async (page) => {
          if (page.length === 7 || late !== undefined) return
          // After the last read's snapshot, before its answer: only the feed can bring it.
          late = (await store.appendNotification(make.notification({ user: 'ada' }))).notification
          await waitFor(() => follower.position() === late!.id)
        })

        await follower.settled

        expect(ids(follower.received)).toEqual(ids([...before.slice(5).filter(forAda), late!]))
      })

      it('drops what the last read returned when the feed brings it only afterwards', async () => {
        const store = await openStore()
        const before = await appendAll(store, Array.from({ length: 20 }, (_, i) => mix(i)))
        const added: Notification[] = []
        let readsDone = false
        const follower = followCatchUp(store, before[4]!.id, async (page) => {
          if (added.length === 0) {
            // The feed lags: what is committed from here on reaches this process after the reads.
            follower.hold()
            for (let i = 0; i < 3; i++) added.push((await store.appendNotification(make.notification({ user: 'ada' }))).notification)
          } else if (page.length < 7) readsDone = true
        })
        // A feed shared by processes may still bring some of `before` after the hold too.
        await waitFor(() => readsDone && follower.held.filter((n) => n.id > before.at(-1)!.id).length === 3)
        await new Promise((done) => setImmediate(done))

        follower.release()
        await follower.settled
        const after = await appendAll(store, [make.notification({ topic: 'deploys' })])
        await waitFor(() => follower.received.at(-1)?.id === after[0]!.id)

        expect(ids(follower.received)).toEqual(ids([...before.slice(5).filter(forAda), ...added, ...after]))
      })
    })

    describe('check', () => {
      it('resolves while open and rejects with a short reason once closed', async () => {
        const store = await openStore()
        await expect(store.check()).resolves.toBeUndefined()
        await store.close()
        await expect(store.check()).rejects.toThrow(/closed/)
      })
    })

    describe('idempotency', () => {
      const key = { scope: 'publisher-1', key: 'order-7' }

      it('answers a retried key with the stored notification and stores nothing new', async () => {
        const store = await openStore()
        const { notification: original } = await store.appendNotification(make.notification({ title: 'Order shipped' }), key)
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
        const { notification: original } = await store.appendNotification(make.notification(), key)
        clock.advance(IDEMPOTENCY_TTL_MS)
        const later = make.notification()

        const retry = await store.appendNotification(later, key)
        const again = await store.appendNotification(make.notification(), key)

        expect(retry).toStrictEqual({ notification: { ...later, id: expect.any(String) }, created: true })
        expect(retry.notification.id).not.toBe(original.id)
        expect(again).toStrictEqual({ notification: retry.notification, created: false })
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
        expect(await store.markRead('ada', '9999999999999999')).toBe(false)
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
      const appendMessages = (store: Store, drafts: ReturnType<typeof make.chatMessage>[]): Promise<ChatMessage[]> =>
        Promise.all(drafts.map((m) => store.appendChatMessage(m)))

      it('stores a message under an id it assigns at commit, in commit order', async () => {
        const store = await openStore()
        const draft = make.chatMessage('support')

        const [first, second] = await appendMessages(store, [draft, make.chatMessage('general')])

        expect(first).toStrictEqual({ ...draft, id: expect.any(String) })
        expect(parseSequenceId(first!.id)).toBeGreaterThan(0)
        expect(first!.id < second!.id).toBe(true)
      })

      it('returns the latest messages of a room, oldest first, 50 by default', async () => {
        const store = await openStore()
        const [, ...support] = await appendMessages(store, [
          make.chatMessage('general'),
          ...Array.from({ length: 60 }, () => make.chatMessage('support')),
        ])

        expect(await store.recentChatMessages('support')).toStrictEqual(support.slice(10))
        expect(await store.recentChatMessages('support', 3)).toStrictEqual(support.slice(57))
        expect(ids(await store.recentChatMessages('general'))).toHaveLength(1)
        expect(await store.recentChatMessages('empty')).toEqual([])
      })

      it('keeps only the latest 1000 messages of a room', async () => {
        const store = await openStore()
        const first = await appendMessages(store, Array.from({ length: 600 }, () => make.chatMessage('support')))
        const rest = await appendMessages(store, [
          ...Array.from({ length: 410 }, () => make.chatMessage('support')),
          make.chatMessage('general'),
        ])
        const other = rest.pop()
        const messages = [...first, ...rest]

        expect(ids(await store.recentChatMessages('support', 1000))).toEqual(ids(messages.slice(10)))
        expect(await store.recentChatMessages('general')).toStrictEqual([other])
      })

      it("lists a room's messages after an id, oldest first, in pages", async () => {
        const store = await openStore()
        const all = await appendMessages(
          store,
          Array.from({ length: 30 }, (_, i) => make.chatMessage(i % 3 === 0 ? 'general' : 'support')),
        )
        const support = all.filter((m) => m.room === 'support')

        const first = await store.chatMessagesAfter('support', undefined, 15)
        const second = await store.chatMessagesAfter('support', first.at(-1)?.id, 15)
        const fromMiddle = await store.chatMessagesAfter('support', all[10]!.id, 100)

        expect([...first, ...second]).toStrictEqual(support)
        expect(fromMiddle).toStrictEqual(support.filter((m) => m.id > all[10]!.id))
        expect(await store.chatMessagesAfter('support', support.at(-1)!.id, 10)).toEqual([])
        await expect(store.chatMessagesAfter('support', undefined, MAX_PAGE_SIZE + 1)).rejects.toThrow(RangeError)
      })
    })

    describe('prune', () => {
      it('removes notifications older than 30 days, in several batches, and keeps the rest', async () => {
        const store = await openStore()
        const old = await appendAll(store, Array.from({ length: 2500 }, () => make.notification()))
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
