/**
 * The character rules behind the hub's input schemas, as plain patterns so that the client can
 * apply the same rules (to leave out of a handshake what the hub would refuse) without pulling
 * the schema library into the embed bundle.
 */

/** Control characters: they would let a name forge extra lines in logs and UIs. */
export const CONTROL_CHARS = /\p{Cc}/u

/** Room and topic names: letters, digits and `_ . : -`. */
export const CHANNEL_NAME = /^[\w.:-]+$/

/** A notification id: 19 lowercase base-36 characters (see the hub's id generator). */
export const NOTIFICATION_ID = /^[0-9a-z]{19}$/
