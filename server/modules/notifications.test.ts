import { describe, expect, it } from 'vitest'
import type { Notification } from '../../shared/index.js'
import { createNotificationsModule } from './notifications.js'
import { testContext } from './test-context.js'

const base: Notification = { id: '1', title: 't', body: '', level: 'info', timestamp: new Date(0).toISOString() }

describe('notifications module', () => {
  it('addresses one broadcast per target: user room, topic room or everyone', () => {
    const context = testContext()
    const { bus, broadcasts } = context
    createNotificationsModule(context)
    bus.emit('notification:published', { ...base, user: 'ann' })
    bus.emit('notification:published', { ...base, topic: 'deploys' })
    bus.emit('notification:published', base)
    expect(broadcasts.map((b) => b.to)).toEqual([['user:ann'], ['topic:deploys', 'followers:deploys'], []])
    // Nobody is catching up: no exclusion to pay for.
    expect(broadcasts.every((b) => b.except.length === 0)).toBe(true)
  })

  it('keeps live notifications from a socket catching up until the missed ones are sent', async () => {
    const context = testContext()
    const { bus, broadcasts, store } = context
    createNotificationsModule(context)
    const { notification: missed } = await store.appendNotification({ ...base, user: 'ann' })
    bus.emit('notification:catch-up-requested', { socketId: 's1', since: undefined, recipient: { userId: 'ann', topics: [] } })
    bus.emit('notification:published', { ...base, id: '9999999999999999', user: 'ann' })

    expect(broadcasts.at(-1)?.except).toEqual(['catching-up'])
    await new Promise<void>((done) => {
      const check = () => (broadcasts.some((b) => b.to[0] === 's1' && b.payload !== missed) ? done() : setImmediate(check))
      check()
    })
    expect(broadcasts.filter((b) => b.to[0] === 's1').map((b) => (b.payload as Notification).id)).toEqual([
      missed.id,
      '9999999999999999',
    ])
  })

  it('keeps sockets in user and topic rooms as identities and subscriptions change', () => {
    const context = testContext()
    const { bus, joins, leaves } = context
    createNotificationsModule(context)
    bus.emit('session:identified', { socketId: 's1', username: 'ann', userId: 'ann' })
    bus.emit('session:identified', { socketId: 's1', username: 'anna', userId: 'anna', previous: { username: 'ann', userId: 'ann' } })
    bus.emit('topic:subscribed', { socketId: 's1', topic: 'x' })
    bus.emit('topic:unsubscribed', { socketId: 's1', topic: 'x' })
    expect(joins).toEqual([['s1', 'user:ann'], ['s1', 'user:anna'], ['s1', 'topic:x']])
    expect(leaves).toEqual([['s1', 'user:ann'], ['s1', 'topic:x']])
  })
})
