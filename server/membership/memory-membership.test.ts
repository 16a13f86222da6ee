import { describe, expect, it } from 'vitest'
import { createMemoryMembership } from './memory-membership.js'

describe('memory membership', () => {
  it('counts distinct members per group, reporting first in and last out', async () => {
    const m = createMemoryMembership()
    const ann = { key: 'id:ann', username: 'Ann' }

    expect(await m.add('hub', ann, 's1')).toEqual({ changed: true, count: 1, username: 'Ann' })
    expect(await m.add('hub', ann, 's2')).toEqual({ changed: false, count: 1, username: 'Ann' })
    expect(await m.add('hub', { key: 'id:ben', username: 'Ben' }, 's3')).toMatchObject({ changed: true, count: 2 })
    expect(await m.add('room:ops', ann, 's1')).toMatchObject({ changed: true, count: 1 })
    expect(await m.names('hub')).toEqual(['Ann', 'Ben'])

    expect(await m.remove('hub', 'id:ann', 's1')).toEqual({ changed: false, count: 2, username: 'Ann' })
    expect(await m.remove('hub', 'id:ann', 's9')).toBeUndefined()
    expect(await m.remove('hub', 'id:ann', 's2')).toEqual({ changed: true, count: 1, username: 'Ann' })
    expect(await m.remove('room:ops', 'id:ann', 's1')).toMatchObject({ changed: true, count: 0 })
    expect(await m.groups()).toEqual([{ group: 'hub', count: 1 }])
    expect(await m.count('room:ops')).toBe(0)
  })
})
