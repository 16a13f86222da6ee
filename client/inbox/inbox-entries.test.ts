import { describe, expect, it } from 'vitest'
import type { Notification } from '../../shared/index.js'
import { badgeText, belongsToInbox, mergeEntries } from './inbox-entries.js'

const n = (id: string, extra: Partial<Notification> = {}): Notification => ({
  id,
  title: id,
  body: '',
  level: 'info',
  timestamp: '2024-01-01T00:00:00.000Z',
  ...extra,
})

describe('inbox entries', () => {
  it('keeps broadcasts, notifications for the user and followed topics', () => {
    const followed = new Set(['deploys'])
    expect(belongsToInbox(n('1'), followed)).toBe(true)
    expect(belongsToInbox(n('1', { user: 'u-42' }), followed)).toBe(true)
    expect(belongsToInbox(n('1', { topic: 'deploys' }), followed)).toBe(true)
    expect(belongsToInbox(n('1', { topic: 'billing' }), followed)).toBe(false)
  })

  it('caps the badge at 99+', () => {
    expect([0, 7, 99, 100, 5000].map(badgeText)).toEqual(['0', '7', '99', '99+', '99+'])
  })

  it('merges by id, newest first, without duplicates', () => {
    const merged = mergeEntries(
      [{ notification: n('3'), read: false }],
      [
        { notification: n('3'), read: true },
        { notification: n('1'), read: true },
        { notification: n('2'), read: false },
      ],
    )
    expect(merged.map((e) => [e.notification.id, e.read])).toEqual([
      ['3', false],
      ['2', false],
      ['1', true],
    ])
  })
})
