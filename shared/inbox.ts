import { z } from 'zod'
import type { Notification } from './notification.js'
import { NOTIFICATION_ID } from './patterns.js'

/** Notification ids are store sequence ids: 16 decimal digits, in commit order. */
export const notificationIdSchema = z.string().regex(NOTIFICATION_ID, 'must be a notification id')

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
