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
 * Who a notification is for: a token's `sub` in signed mode (an email, a URN such as
 * `urn:example:user:42`, a provider id such as `auth0|5f7c…`), a display name in open mode.
 * 1–255 characters without control characters, compared exactly (never trimmed), since it must
 * equal the `sub` the identity provider signed.
 */
export const userIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.userIdLength, `must be at most ${LIMITS.userIdLength} characters`)
  .refine((id) => !CONTROL_CHARS.test(id), 'must not contain control characters')

/**
 * A room or topic name: letters, digits and `_ . : -`, 1–64 characters.
 * Narrow on purpose: names end up in Socket.IO room keys, URLs and metrics labels.
 */
export const channelNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.channelNameLength, `must be at most ${LIMITS.channelNameLength} characters`)
  .regex(CHANNEL_NAME, 'may only contain letters, digits, "_", ".", ":" and "-"')

