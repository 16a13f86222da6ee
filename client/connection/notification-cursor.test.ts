import { describe, expect, it } from 'vitest'
import { NotificationCursor, type CursorStorage } from './notification-cursor.js'

const id = (n: number) => String(n).padStart(16, '0')

function memoryStorage(initial: Record<string, string> = {}): CursorStorage & { data: Record<string, string> } {
  const data = { ...initial }
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) }
}

describe('NotificationCursor', () => {
  it('drops notifications at or below the newest one delivered', () => {
    const cursor = new NotificationCursor('http://hub.test', memoryStorage())
    expect(cursor.accept(id(5))).toBe(true)
    expect(cursor.accept(id(5))).toBe(false)
    expect(cursor.accept(id(3))).toBe(false)
    expect(cursor.accept(id(40))).toBe(true)
    expect(cursor.since).toBe(id(40))
  })

  it('keeps the first session cursor until a notification is seen', () => {
    const cursor = new NotificationCursor('http://hub.test', memoryStorage())
    expect(cursor.since).toBeUndefined()
    cursor.start(id(10))
    cursor.start(id(20))
    expect(cursor.since).toBe(id(10))
    // The cursor is a position, not a delivery: a notification at it may still arrive live.
    expect(cursor.accept(id(10))).toBe(true)
    cursor.start(id(30))
    expect(cursor.since).toBe(id(10))
  })

  it('ignores cursors that are not notification ids', () => {
    const cursor = new NotificationCursor('http://hub.test', memoryStorage())
    cursor.start('nope')
    expect(cursor.since).toBeUndefined()
  })

  it("persists its place per hub origin, so the tab's next page resumes from it", () => {
    const storage = memoryStorage()
    const first = new NotificationCursor('http://hub.test', storage)
    first.start(id(7))
    first.accept(id(9))
    expect(storage.data).toEqual({ 'tidings:since:http://hub.test': id(9) })

    const reloaded = new NotificationCursor('http://hub.test', storage)
    expect(reloaded.since).toBe(id(9))
    expect(new NotificationCursor('http://other.test', storage).since).toBeUndefined()
    // Stored garbage is ignored rather than sent (the hub would refuse the handshake).
    expect(new NotificationCursor('http://x.test', memoryStorage({ 'tidings:since:http://x.test': 'x' })).since).toBe(
      undefined,
    )
  })

  it('works without storage, and with storage that throws', () => {
    const throwing: CursorStorage = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('denied')
      },
    }
    const cursor = new NotificationCursor('http://hub.test', throwing)
    expect(cursor.accept(id(1))).toBe(true)
    expect(cursor.since).toBe(id(1))
  })
})
