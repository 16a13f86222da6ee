/**
 * Store-assigned ids. The store numbers notifications (and, separately, chat messages) from a
 * sequence at commit; the wire carries the number as a fixed-width decimal string, so comparing
 * two ids as strings compares their commit order, whichever process or clock made them.
 */

/** Digits in every id: enough for 10^16 commits. */
export const SEQUENCE_ID_DIGITS = 16

/** Exactly one sequence id: 16 decimal digits. */
export const SEQUENCE_ID = /^\d{16}$/

/**
 * The cursor meaning "from the start of retention", for new devices and tools. Any id the hub has
 * sent is a cursor too.
 */
export const START_CURSOR = '0'

/** A catch-up cursor: `START_CURSOR` or a sequence id. */
export const CURSOR = /^(?:0|\d{16})$/

/**
 * The wire form of sequence number `seq` (a positive safe integer).
 *
 * @example
 * formatSequenceId(42) // '0000000000000042'
 */
export function formatSequenceId(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`not a sequence number: ${seq}`)
  return String(seq).padStart(SEQUENCE_ID_DIGITS, '0')
}

/**
 * The sequence number of a wire id, or undefined for anything that is not exactly that format.
 *
 * @example
 * parseSequenceId('0000000000000042') // 42
 * parseSequenceId('42') // undefined
 */
export function parseSequenceId(id: string): number | undefined {
  if (typeof id !== 'string' || !SEQUENCE_ID.test(id)) return undefined
  const seq = Number(id)
  return Number.isSafeInteger(seq) ? seq : undefined
}

/**
 * The sequence number a catch-up cursor resumes after: 0 for `START_CURSOR`, undefined for
 * anything that is not a cursor.
 *
 * @example
 * parseCursor('0') // 0
 * parseCursor('0000000000000042') // 42
 */
export function parseCursor(cursor: string): number | undefined {
  return cursor === START_CURSOR ? 0 : parseSequenceId(cursor)
}
