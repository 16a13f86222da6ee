import type { ChatMessageDraft, NotificationDraft } from './store.js'

/** A clock tests move by hand, so expiry and retention are checked without waiting. */
export interface TestClock {
  now: () => Date
  advance(ms: number): void
}

export function createTestClock(start = '2025-03-01T12:00:00.000Z'): TestClock {
  let current = Date.parse(start)
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms
    },
  }
}

/**
 * Builds notification and chat message drafts stamped with the test clock; the store gives them
 * their ids.
 *
 * @example
 * const make = createFixtures(clock)
 * const { notification } = await store.appendNotification(make.notification({ topic: 'deploys' }))
 */
export function createFixtures(clock: TestClock) {
  let count = 0
  return {
    notification(fields: Partial<NotificationDraft> = {}): NotificationDraft {
      count++
      return {
        title: `Notification ${count}`,
        body: `Body ${count}`,
        level: 'info',
        timestamp: clock.now().toISOString(),
        ...fields,
      }
    },
    chatMessage(room: string, fields: Partial<ChatMessageDraft> = {}): ChatMessageDraft {
      count++
      return {
        room,
        username: 'ada',
        message: `Message ${count}`,
        timestamp: clock.now().toISOString(),
        ...fields,
      }
    },
  }
}

export const ids = (items: readonly { id: string }[]): string[] => items.map((item) => item.id)
