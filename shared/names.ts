import { z } from 'zod'
import { LIMITS } from './limits.js'

// Control characters would let a name forge extra lines in logs and UIs; everything else
// (accents, emoji, scripts) is a legitimate name and is rendered as text by the components.
const NO_CONTROL_CHARS = /^[^\p{Cc}]*$/u

/** A display name: trimmed, 1–40 characters, no control characters. */
export const usernameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.usernameLength, `must be at most ${LIMITS.usernameLength} characters`)
  .regex(NO_CONTROL_CHARS, 'must not contain control characters')

/**
 * A room or topic name: letters, digits and `_ . : -`, 1–64 characters.
 * Narrow on purpose: names end up in Socket.IO room keys, URLs and metrics labels.
 */
export const channelNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.channelNameLength, `must be at most ${LIMITS.channelNameLength} characters`)
  .regex(/^[\w.:-]+$/, 'may only contain letters, digits, "_", ".", ":" and "-"')

/** A chat message's text: 1–2000 characters after trimming. */
export const chatTextSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.chatMessageLength, `must be at most ${LIMITS.chatMessageLength} characters`)
