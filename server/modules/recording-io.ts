import type { HubServer } from '../hub-server.js'

export interface Broadcast {
  /** Room names the broadcast was addressed to; empty means every connection. */
  to: string[]
  event: string
  payload: unknown
}

/**
 * A stand-in for the Socket.IO server in module unit tests: records broadcasts and room changes
 * so a module's translation of domain events can be checked without sockets. Integration tests
 * use the real hub.
 */
export function recordingIo(): { io: HubServer; broadcasts: Broadcast[]; joins: [string, string][]; leaves: [string, string][] } {
  const broadcasts: Broadcast[] = []
  const joins: [string, string][] = []
  const leaves: [string, string][] = []
  const operator = (to: string[]) => ({
    emit: (event: string, payload: unknown) => broadcasts.push({ to, event, payload }),
    to: (room: string) => operator([...to, room]),
  })
  const io = {
    emit: (event: string, payload: unknown) => broadcasts.push({ to: [], event, payload }),
    to: (room: string) => operator([room]),
    in: (socketId: string) => ({
      socketsJoin: (room: string) => joins.push([socketId, room]),
      socketsLeave: (room: string) => leaves.push([socketId, room]),
    }),
  }
  return { io: io as unknown as HubServer, broadcasts, joins, leaves }
}
