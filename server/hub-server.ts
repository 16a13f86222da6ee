import type { Server, Socket } from 'socket.io'
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/index.js'

/** What the gateway remembers about each connection. */
export interface SocketData {
  /** Set by the handshake's `auth.username` or by `join`. */
  username?: string
  /** Chat rooms entered with `join`. */
  rooms: Set<string>
  /** Topics entered with `subscribe`. */
  topics: Set<string>
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type InterServerEvents = {}

export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>
export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>
