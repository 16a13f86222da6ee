import { describe, expect, it } from 'vitest'
import type { Notification } from '../../shared/index.js'
import { belongsTo, pushBounded } from './toast-stack.js'

const notification = (extra: Partial<Notification> = {}): Notification => ({
  id: '1',
  title: 't',
  body: '',
  level: 'info',
  timestamp: '2024-01-01T00:00:00.000Z',
  ...extra,
})

describe('belongsTo', () => {
  it('shows only its topic when it has one', () => {
    expect(belongsTo('deploys', notification({ topic: 'deploys' }))).toBe(true)
    expect(belongsTo('deploys', notification({ topic: 'billing' }))).toBe(false)
    expect(belongsTo('deploys', notification())).toBe(false)
  })

  it('shows broadcasts and user notifications, never topics, when it has none', () => {
    expect(belongsTo(undefined, notification())).toBe(true)
    expect(belongsTo(undefined, notification({ user: 'alice' }))).toBe(true)
    expect(belongsTo(undefined, notification({ topic: 'deploys' }))).toBe(false)
  })
})

describe('pushBounded', () => {
  it('drops the oldest past the maximum', () => {
    expect(pushBounded([1, 2, 3], 4, 3)).toEqual({ kept: [2, 3, 4], dropped: [1] })
    expect(pushBounded([1], 2, 3)).toEqual({ kept: [1, 2], dropped: [] })
  })

  it('always keeps at least the newest, whatever the maximum says', () => {
    expect(pushBounded([1, 2], 3, 0)).toEqual({ kept: [3], dropped: [1, 2] })
    expect(pushBounded([1], 2, Number.NaN)).toEqual({ kept: [2], dropped: [1] })
  })
})
