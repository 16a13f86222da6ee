import { SEQUENCE_ID_DIGITS, type ChatMessage, type Notification } from '../../shared/index.js'

// Stored values are "<16-digit id><JSON without the id>": the id is assigned inside a script,
// after the JSON was made, and the JSON is never re-encoded by Lua.
const split = (value: string): [id: string, json: string] => [
  value.slice(0, SEQUENCE_ID_DIGITS),
  value.slice(SEQUENCE_ID_DIGITS),
]

/**
 * A notification from its stored form (in the store's keys and in its commit stream).
 *
 * @example
 * toNotification('0000000000000042{"title":"Hi","body":"","level":"info","timestamp":"…"}')
 */
export function toNotification(value: string): Notification {
  const [id, json] = split(value)
  return { id, ...(JSON.parse(json) as Omit<Notification, 'id'>) }
}

/** A chat message from its stored form, as {@link toNotification}. */
export function toChatMessage(value: string): ChatMessage {
  const [id, json] = split(value)
  return { id, ...(JSON.parse(json) as Omit<ChatMessage, 'id'>) }
}
