import { z } from 'zod'
import { channelNameSchema, inboxQuerySchema, notificationIdSchema, usernameSchema } from '../../shared/index.js'

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
    join: z.tuple([usernameSchema, channelNameSchema.optional()]),
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
