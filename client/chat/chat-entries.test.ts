import { describe, expect, it } from 'vitest'
import { appendEntry, leadingHistory, mergeHistory, messageEntry, systemEntry } from './chat-entries.js'

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

describe('mergeHistory', () => {
  const msg = (id: string) => ({ id, room: 'general', username: 'a', message: id, timestamp: '2024-01-01T00:00:00.000Z' })
  const keys = (entries: ReturnType<typeof mergeHistory>) =>
    entries.map((e) => (e.kind === 'message' ? `${e.key}${e.history ? 'h' : ''}` : 'sys'))
  const joined = systemEntry('joined', { room: 'general', username: 'me', memberCount: 1 })

  it('puts older history first, sorted by id, before what was already shown', () => {
    const entries = mergeHistory([joined, message('05')], [msg('03'), msg('01'), msg('05'), msg('02')])
    expect(keys(entries)).toEqual(['01h', '02h', '03h', 'sys', '05'])
    expect(leadingHistory(entries)).toBe(3)
  })

  it('never shows a message twice when history comes again', () => {
    let entries = mergeHistory([], [msg('01'), msg('02')])
    entries = appendEntry(entries, message('03'))
    entries = mergeHistory(entries, [msg('01'), msg('02'), msg('03')])
    expect(keys(entries)).toEqual(['01h', '02h', '03'])
  })

  it('places messages missed while offline by id, after what was shown', () => {
    const entries = mergeHistory([message('01'), message('04'), joined], [msg('01'), msg('02'), msg('04'), msg('06')])
    expect(keys(entries)).toEqual(['01', '02h', '04', 'sys', '06h'])
    expect(leadingHistory(entries)).toBe(0)
  })

  it('keeps only the newest entries', () => {
    expect(keys(mergeHistory([], [msg('1'), msg('2'), msg('3')], 2))).toEqual(['2h', '3h'])
  })
})
