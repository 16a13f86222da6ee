import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import type { Notification } from '../../shared/index.js'
import { createBus } from '../bus.js'
import { createNotificationsModule } from './notifications.js'
import { recordingIo } from './recording-io.js'

const base: Notification = { id: '1', title: 't', body: '', level: 'info', timestamp: new Date(0).toISOString() }

describe('notifications module', () => {
  it('addresses one broadcast per target: user room, topic room or everyone', () => {
    const bus = createBus()
    const { io, broadcasts } = recordingIo()
    createNotificationsModule({ bus, io, log: pino({ level: 'silent' }) })
    bus.emit('notification:published', { ...base, user: 'ann' })
    bus.emit('notification:published', { ...base, topic: 'deploys' })
    bus.emit('notification:published', base)
    expect(broadcasts.map((b) => b.to)).toEqual([['user:ann'], ['topic:deploys'], []])
  })

  it('keeps sockets in user and topic rooms as identities and subscriptions change', () => {
    const bus = createBus()
    const { io, joins, leaves } = recordingIo()
    createNotificationsModule({ bus, io, log: pino({ level: 'silent' }) })
    bus.emit('session:identified', { socketId: 's1', username: 'ann' })
    bus.emit('session:identified', { socketId: 's1', username: 'anna', previous: 'ann' })
    bus.emit('topic:subscribed', { socketId: 's1', topic: 'x' })
    bus.emit('topic:unsubscribed', { socketId: 's1', topic: 'x' })
    expect(joins).toEqual([['s1', 'user:ann'], ['s1', 'user:anna'], ['s1', 'topic:x']])
    expect(leaves).toEqual([['s1', 'user:ann'], ['s1', 'topic:x']])
  })
})
