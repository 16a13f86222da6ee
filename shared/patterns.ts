/**
 * The character rules behind the hub's input schemas, as plain patterns so that the client can
 * apply the same rules (to leave out of a handshake what the hub would refuse) without pulling
 * the schema library into the embed bundle.
 */

/** Control characters: they would let a name forge extra lines in logs and UIs. */
export const CONTROL_CHARS = /\p{Cc}/u

/** Room and topic names: letters, digits and `_ . : -`. */
export const CHANNEL_NAME = /^[\w.:-]+$/

/** A notification id: a store sequence id, 16 decimal digits (see sequence-id.ts). */
export { SEQUENCE_ID as NOTIFICATION_ID } from './sequence-id.js'
