import { describe, expect, it } from 'vitest'
import { appendEntry, messageEntry, systemEntry } from './chat-entries.js'

const message = (id: string) =>
  messageEntry({ id, room: 'general', username: 'a', message: id, timestamp: '2024-01-01T00:00:00.000Z' })

describe('chat entries', () => {
  it('keeps only the newest entries', () => {
    let entries = [message('1'), message('2')]
    entries = appendEntry(entries, message('3'), 2)
    expect(entries.map((e) => e.key)).toEqual(['2', '3'])
  })

  it('gives every system line its own key', () => {
    const change = { room: 'general', username: 'bob', memberCount: 1 }
    expect(systemEntry('joined', change).key).not.toBe(systemEntry('joined', change).key)
  })
})
