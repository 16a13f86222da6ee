import { z } from 'zod'
import type { Notification } from './notification.js'

/** Notification ids are 19 lowercase base-36 characters (see the hub's id generator). */
export const notificationIdSchema = z.string().regex(/^[0-9a-z]{19}$/, 'must be a notification id')

export const inboxQuerySchema = z.strictObject({
  /** The previous page's `nextCursor`. */
  before: notificationIdSchema.optional(),
  limit: z.number().int().min(1).max(100).default(20),
})

export type InboxQuery = z.input<typeof inboxQuerySchema>

export interface InboxEntry {
  notification: Notification
  read: boolean
}

export interface InboxPage {
  /** Newest first. */
  entries: InboxEntry[]
  /** Pass as `before` for the next page; absent on the last page. */
  nextCursor?: string
  unread: number
  /** Topics this user follows (their notifications are in the inbox). */
  followed: string[]
}
