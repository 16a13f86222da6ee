import { describe, expect, it } from 'vitest'
import { createPresenceModule } from './presence.js'
import { testContext } from './test-context.js'

const setup = () => {
  const context = testContext()
  const { bus, broadcasts } = context
  const presence = createPresenceModule(context)
  // What every connection is told (broadcasts to one socket are checked separately).
  const announced = () => broadcasts.filter((b) => b.to.length === 0).map((b) => [b.event, b.payload])
  // Membership answers asynchronously: what was emitted so far has taken effect once this resolves.
  const settled = () => presence.userCount()
  return { bus, presence, announced, broadcasts, settled }
}

describe('presence module', async () => {
  it('counts distinct users, announcing the first connection in and the last one out', async () => {
    const { bus, presence, announced } = setup()
    bus.emit('session:identified', { socketId: 's1', username: 'ann', userId: 'ann' })
    bus.emit('session:identified', { socketId: 's2', username: 'ann', userId: 'ann' })
    bus.emit('session:identified', { socketId: 's3', username: 'ben', userId: 'ben' })
    expect(await presence.userCount()).toBe(2)
    bus.emit('session:closed', { socketId: 's1', username: 'ann', userId: 'ann', rooms: [], topics: [] })
    expect(await presence.userCount()).toBe(2)
    bus.emit('session:closed', { socketId: 's2', username: 'ann', userId: 'ann', rooms: [], topics: [] })
    await presence.userCount()
    expect(announced()).toEqual([
      ['user-joined', { username: 'ann', userCount: 1 }],
      ['user-joined', { username: 'ben', userCount: 2 }],
      ['user-left', { username: 'ann', userCount: 1 }],
    ])
    expect(await presence.users()).toEqual(['ben'])
  })

  it("tells a second tab of a user already online the count, and only that tab", async () => {
    const { bus, broadcasts, settled } = setup()
    bus.emit('session:identified', { socketId: 's1', username: 'ann', userId: 'ann' })
    bus.emit('session:identified', { socketId: 's2', username: 'ann', userId: 'ann' })
    await settled()
    expect(broadcasts.at(-1)).toEqual({ to: ['s2'], except: [], event: 'user-joined', payload: { username: 'ann', userCount: 1 } })
  })

  it('moves a renamed connection from its old name to its new one', async () => {
    const { bus, presence, announced } = setup()
    bus.emit('session:identified', { socketId: 's1', username: 'old', userId: 'old' })
    bus.emit('session:identified', { socketId: 's1', username: 'new', userId: 'new', previous: { username: 'old', userId: 'old' } })
    expect(await presence.users()).toEqual(['new'])
    await presence.userCount()
    expect(announced().map(([event]) => event)).toEqual(['user-joined', 'user-left', 'user-joined'])
  })

  it('ignores anonymous disconnects and tells new connections the count', async () => {
    const { bus, presence, broadcasts } = setup()
    bus.emit('session:identified', { socketId: 's1', username: 'ann', userId: 'ann' })
    bus.emit('session:closed', { socketId: 's9', rooms: [], topics: [] })
    bus.emit('session:opened', { socketId: 's2' })
    expect(await presence.userCount()).toBe(1)
    expect(broadcasts.at(-1)).toEqual({ to: ['s2'], except: [], event: 'presence', payload: { userCount: 1 } })
  })

})

describe('presence module in signed mode', async () => {
  it('tells users apart by id, not by display name', async () => {
    const { bus, presence } = setup()
    bus.emit('session:identified', { socketId: 's1', username: 'Sam', userId: 'u1' })
    bus.emit('session:identified', { socketId: 's2', username: 'Sam', userId: 'u2' })
    bus.emit('session:identified', { socketId: 's3', username: 'Sam' }) // a guest
    expect(await presence.userCount()).toBe(3)
  })
})
