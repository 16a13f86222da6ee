import { z } from 'zod'
import { LIMITS } from './limits.js'
import { CHANNEL_NAME, CONTROL_CHARS } from './patterns.js'

/** A display name: trimmed, 1–40 characters, no control characters. */
export const usernameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.usernameLength, `must be at most ${LIMITS.usernameLength} characters`)
  // Everything but control characters (accents, emoji, scripts) is a legitimate name.
  .refine((name) => !CONTROL_CHARS.test(name), 'must not contain control characters')

/**
 * A room or topic name: letters, digits and `_ . : -`, 1–64 characters.
 * Narrow on purpose: names end up in Socket.IO room keys, URLs and metrics labels.
 */
export const channelNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.channelNameLength, `must be at most ${LIMITS.channelNameLength} characters`)
  .regex(CHANNEL_NAME, 'may only contain letters, digits, "_", ".", ":" and "-"')

