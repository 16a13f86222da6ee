import { z } from 'zod'
import { LIMITS } from './limits.js'
import { channelNameSchema, userIdSchema } from './names.js'
import { utf8Length } from './utf8.js'

export const NOTIFICATION_LEVELS = ['info', 'success', 'warning', 'error'] as const
export type NotificationLevel = (typeof NOTIFICATION_LEVELS)[number]

// A value nested thousands of levels deep overflows JSON.stringify's stack; it is far over the
// size limit anyway, so it is refused as too large rather than crashing the check.
const fitsInBytes = (data: unknown, max: number): boolean => {
  try {
    return utf8Length(JSON.stringify(data)) <= max
  } catch {
    return false
  }
}

/** A JSON object whose serialised form fits in 4 KB. */
const notificationDataSchema = z
  .record(z.string(), z.unknown())
  .refine((data) => fitsInBytes(data, LIMITS.notificationDataBytes), {
    message: `must serialise to at most ${LIMITS.notificationDataBytes} bytes of JSON`,
  })

/**
 * The body of `POST /notify`. Unknown fields are refused rather than dropped, so a typo such
 * as `tittle` or `users` is an error the publisher sees instead of a silent broadcast.
 *
 * @example
 * notifyRequestSchema.parse({ title: 'Deploy finished', level: 'success', topic: 'deploys' })
 */
export const notifyRequestSchema = z
  .strictObject({
    title: z.string().min(1, 'must not be empty').max(LIMITS.notificationTitleLength),
    body: z.string().max(LIMITS.notificationBodyLength).optional(),
    level: z.enum(NOTIFICATION_LEVELS).default('info'),
    topic: channelNameSchema.optional(),
    user: userIdSchema.optional(),
    data: notificationDataSchema.optional(),
  })
  .refine((req) => !(req.topic !== undefined && req.user !== undefined), {
    message: 'give either "topic" or "user", not both',
    path: ['user'],
  })

export type NotifyRequest = z.input<typeof notifyRequestSchema>
export type ValidNotifyRequest = z.output<typeof notifyRequestSchema>

/** A notification as delivered to clients in the `notification` event. */
export interface Notification {
  /** Sortable, unique id: later notifications have greater ids. */
  id: string
  title: string
  body: string
  level: NotificationLevel
  /** ISO 8601, UTC. */
  timestamp: string
  topic?: string
  user?: string
  data?: Record<string, unknown>
}

/** The answer to an accepted `POST /notify` (HTTP 202). */
export interface NotifyAccepted {
  id: string
  timestamp: string
  target: NotificationTarget
}

export type NotificationTarget =
  | { kind: 'everyone' }
  | { kind: 'topic'; topic: string }
  | { kind: 'user'; user: string }

export function notificationTarget(n: Pick<Notification, 'topic' | 'user'>): NotificationTarget {
  if (n.user !== undefined) return { kind: 'user', user: n.user }
  if (n.topic !== undefined) return { kind: 'topic', topic: n.topic }
  return { kind: 'everyone' }
}
