import type { HubServer } from '../hub-server.js'

export interface Broadcast {
  /** Room names the broadcast was addressed to; empty means every connection. */
  to: string[]
  /** Rooms excluded from the broadcast. */
  except: string[]
  event: string
  payload: unknown
}

/**
 * A stand-in for the Socket.IO server in module unit tests: records broadcasts and room changes
 * so a module's translation of domain events can be checked without sockets. Integration tests
 * use the real hub.
 */
export function recordingIo(): {
  io: HubServer
  broadcasts: Broadcast[]
  joins: [string, string][]
  leaves: [string, string][]
} {
  const broadcasts: Broadcast[] = []
  const joins: [string, string][] = []
  const leaves: [string, string][] = []
  const operator = (to: string[], except: string[]) => ({
    emit: (event: string, payload: unknown) => broadcasts.push({ to, except, event, payload }),
    to: (room: string) => operator([...to, room], except),
    except: (room: string) => operator(to, [...except, room]),
  })
  const rooms = (room: string | string[]) => (Array.isArray(room) ? room : [room])
  const io = {
    ...operator([], []),
    // The modules deliver the store's feed to local sockets; recorded like any broadcast.
    local: operator([], []),
    // No local sockets: per-connection sends take the `io.to(socketId)` route and are recorded.
    sockets: { sockets: new Map() },
    in: (target: string) => ({
      socketsJoin: (room: string | string[]) => rooms(room).forEach((r) => joins.push([target, r])),
      socketsLeave: (room: string | string[]) => rooms(room).forEach((r) => leaves.push([target, r])),
    }),
  }
  return { io: io as unknown as HubServer, broadcasts, joins, leaves }
}
