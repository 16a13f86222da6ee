import { z } from 'zod'
import { CURSOR, channelNameSchema, inboxQuerySchema, notificationIdSchema, usernameSchema } from '../../shared/index.js'

/** A catch-up cursor: `"0"` or an id the hub sent. */
export const cursorSchema = z.string().regex(CURSOR, 'must be "0" or an id the hub sent')

/**
 * The argument tuple of every client event, built once per hub: zod schemas are not free to
 * build, and a hub holds many thousands of connections.
 */
export function createEventSchemas({ chatMessageLength }: { chatMessageLength: number }) {
  const chatText = z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(chatMessageLength, `must be at most ${chatMessageLength} characters`)
  // The tutorial echoes text exactly as sent, so it is checked but not trimmed.
  const echoText = z
    .string()
    .max(chatMessageLength, `must be at most ${chatMessageLength} characters`)
    .refine((text) => text.trim().length > 0, 'must not be empty')
  const topic = z.tuple([channelNameSchema])
  return {
    join: z.tuple([usernameSchema, channelNameSchema.optional(), z.strictObject({ since: cursorSchema.optional() }).optional()]),
    identify: z.tuple([usernameSchema]),
    leave: z.tuple([channelNameSchema]),
    chatMessage: z.tuple([chatText, channelNameSchema.optional()]),
    message: z.tuple([echoText]),
    topic,
    inbox: z.tuple([inboxQuerySchema.optional()]),
    inboxRead: z.tuple([notificationIdSchema]),
    none: z.tuple([]),
  }
}

export type EventSchemas = ReturnType<typeof createEventSchemas>
