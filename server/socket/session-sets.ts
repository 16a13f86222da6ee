import type { SocketData } from '../hub-server.js'

type SetKey = 'rooms' | 'topics'
const NONE: ReadonlySet<string> = new Set()

/**
 * A connection's rooms and topics, created on first use: most connections never join or
 * subscribe, and an empty `Set` is about 170 bytes each, per connection, for its whole life.
 */
export const roomsOf = (data: SocketData): ReadonlySet<string> => data.rooms ?? NONE
export const topicsOf = (data: SocketData): ReadonlySet<string> => data.topics ?? NONE

/** Adds `value`; true when it was not there yet. */
export function addTo(data: SocketData, key: SetKey, value: string): boolean {
  const set = (data[key] ??= new Set())
  if (set.has(value)) return false
  set.add(value)
  return true
}

/** Removes `value`; true when it was there. */
export function removeFrom(data: SocketData, key: SetKey, value: string): boolean {
  return data[key]?.delete(value) ?? false
}
