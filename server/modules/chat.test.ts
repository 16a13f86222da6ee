import { describe, expect, it } from 'vitest'
import { createChatModule } from './chat.js'
import { testContext } from './test-context.js'

const setup = () => {
  const context = testContext()
  return { ...context, chat: createChatModule(context) }
}

describe('chat module', () => {
  it('puts sockets in their room and broadcasts posted messages to it', () => {
    const { bus, joins, broadcasts } = setup()
    bus.emit('chat:room-entered', { socketId: 's1', username: 'ann', room: 'support', history: false })
    const message = { id: '1', room: 'support', username: 'ann', message: 'hi', timestamp: new Date(0).toISOString() }
    bus.emit('chat:message-posted', message)
    expect(joins).toEqual([['s1', 'room:support']])
    expect(broadcasts.at(-1)).toEqual({ to: ['room:support'], except: [], event: 'chat-message', payload: message })
  })

  it('counts distinct members per room and announces first in and last out', async () => {
    const { bus, chat, broadcasts } = setup()
    bus.emit('chat:room-entered', { socketId: 's1', username: 'ann', room: 'r', history: false })
    bus.emit('chat:room-entered', { socketId: 's2', username: 'ann', room: 'r', history: false })
    bus.emit('chat:room-entered', { socketId: 's3', username: 'ben', room: 'r', history: false })
    expect(await chat.rooms()).toEqual([{ room: 'r', memberCount: 2 }])
    bus.emit('session:closed', { socketId: 's1', username: 'ann', rooms: ['r'], topics: [] })
    bus.emit('chat:room-exited', { socketId: 's2', username: 'ann', room: 'r' })
    bus.emit('session:closed', { socketId: 's3', username: 'ben', rooms: ['r'], topics: [] })
    expect(await chat.rooms()).toEqual([])
    expect(broadcasts.map((b) => [b.event, b.payload])).toEqual([
      ['room-joined', { room: 'r', username: 'ann', memberCount: 1 }],
      ['room-joined', { room: 'r', username: 'ben', memberCount: 2 }],
      ['room-left', { room: 'r', username: 'ann', memberCount: 1 }],
      ['room-left', { room: 'r', username: 'ben', memberCount: 0 }],
    ])
  })

  it('sends a fresh joiner the room history from the store, oldest first', async () => {
    const { bus, store, broadcasts } = setup()
    for (const n of [1, 2, 3]) {
      await store.appendChatMessage({ room: 'r', username: 'ann', message: `#${n}`, timestamp: new Date(n).toISOString() })
    }
    bus.emit('chat:room-entered', { socketId: 's1', username: 'ben', room: 'r', history: true })
    bus.emit('chat:room-entered', { socketId: 's2', username: 'cat', room: 'r', history: false })
    await store.recentChatMessages('r') // the history read before it has resolved by now
    const history = broadcasts.filter((b) => b.event === 'chat-history')
    expect(history).toHaveLength(1)
    expect(history[0]!.to).toEqual(['s1'])
    expect((history[0]!.payload as { messages: { message: string }[] }).messages.map((m) => m.message)).toEqual(['#1', '#2', '#3'])
  })
})
