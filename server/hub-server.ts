import type { Server, Socket } from 'socket.io'
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/index.js'

/** What the gateway remembers about each connection. */
export interface SocketData {
  /** Display name: from the token in signed mode, else the handshake's `auth.username` or `join`. */
  username?: string
  /**
   * Who the connection is, for user-addressed notifications, inboxes and presence: the token's
   * `sub` in signed mode, the display name in open mode, undefined for signed-mode guests.
   */
  userId?: string
  /** Signed mode: when the token expires. */
  expiresAt?: Date
  /** Signed mode: admitted without a token. */
  guest?: boolean
  /** Chat rooms entered with `join` (created on first use: see `session-sets.ts`). */
  rooms?: Set<string>
  /** Topics entered with `subscribe` (created on first use). */
  topics?: Set<string>
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type InterServerEvents = {}

export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>
export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>
