import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createBus } from '../bus.js'
import { createChatModule } from './chat.js'
import { recordingIo } from './recording-io.js'

const setup = () => {
  const bus = createBus()
  const recorded = recordingIo()
  const chat = createChatModule({ bus, io: recorded.io, log: pino({ level: 'silent' }) })
  return { bus, chat, ...recorded }
}

describe('chat module', () => {
  it('puts sockets in their room and broadcasts posted messages to it', () => {
    const { bus, joins, broadcasts } = setup()
    bus.emit('chat:room-entered', { socketId: 's1', username: 'ann', room: 'support' })
    const message = { id: '1', room: 'support', username: 'ann', message: 'hi', timestamp: new Date(0).toISOString() }
    bus.emit('chat:message-posted', message)
    expect(joins).toEqual([['s1', 'room:support']])
    expect(broadcasts.at(-1)).toEqual({ to: ['room:support'], event: 'chat-message', payload: message })
  })

  it('counts distinct members per room and announces first in and last out', () => {
    const { bus, chat, broadcasts } = setup()
    bus.emit('chat:room-entered', { socketId: 's1', username: 'ann', room: 'r' })
    bus.emit('chat:room-entered', { socketId: 's2', username: 'ann', room: 'r' })
    bus.emit('chat:room-entered', { socketId: 's3', username: 'ben', room: 'r' })
    expect(chat.rooms()).toEqual([{ room: 'r', memberCount: 2 }])
    bus.emit('session:closed', { socketId: 's1', username: 'ann', rooms: ['r'], topics: [] })
    bus.emit('chat:room-exited', { socketId: 's2', username: 'ann', room: 'r' })
    bus.emit('session:closed', { socketId: 's3', username: 'ben', rooms: ['r'], topics: [] })
    expect(broadcasts.map((b) => [b.event, b.payload])).toEqual([
      ['room-joined', { room: 'r', username: 'ann', memberCount: 1 }],
      ['room-joined', { room: 'r', username: 'ben', memberCount: 2 }],
      ['room-left', { room: 'r', username: 'ann', memberCount: 1 }],
      ['room-left', { room: 'r', username: 'ben', memberCount: 0 }],
    ])
    expect(chat.rooms()).toEqual([])
  })
})
