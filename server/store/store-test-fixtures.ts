import type { ChatMessage, Notification } from '../../shared/index.js'
import { createIdGenerator } from '../ids.js'

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
 * Builds notifications and chat messages stamped with the test clock, with ids from the hub's
 * own generator so their order is the order of creation.
 *
 * @example
 * const make = createFixtures(clock)
 * make.notification({ topic: 'deploys' })
 */
export function createFixtures(clock: TestClock) {
  const nextId = createIdGenerator(() => clock.now().getTime())
  let count = 0
  return {
    nextId,
    notification(fields: Partial<Notification> = {}): Notification {
      count++
      return {
        id: nextId(),
        title: `Notification ${count}`,
        body: `Body ${count}`,
        level: 'info',
        timestamp: clock.now().toISOString(),
        ...fields,
      }
    },
    chatMessage(room: string, fields: Partial<ChatMessage> = {}): ChatMessage {
      count++
      return {
        id: nextId(),
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
