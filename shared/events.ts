import type { ChatMessage, PresenceChange, PresenceSnapshot, RoomMemberChange } from './chat.js'
import type { ErrorBody } from './errors.js'
import type { Notification } from './notification.js'

/**
 * The answer to every client event that takes an acknowledgement callback.
 * A refused event always gets `{ok: false, error}`; the connection stays open.
 */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody }
export type AckCallback<T extends object = object> = (response: Ack<T>) => void

/** What a `join` acknowledgement carries. */
export interface JoinResult {
  username: string
  room: string
}

/**
 * Events a client sends to the hub. The first parameters keep the tutorial's shapes
 * (`join(username)`, `chat-message(text)`, `message(text)`); everything after them is optional,
 * so a tutorial client works unchanged. The acknowledgement callback is always last.
 *
 * @example
 * socket.emit('join', 'alice', 'support', (ack) => { if (!ack.ok) console.error(ack.error) })
 * socket.emit('chat-message', 'hello', 'support')
 */
export interface ClientToServerEvents {
  /** Take a display name and enter a room (the default room when none is named). */
  join: (username: string, room?: string, ack?: AckCallback<JoinResult>) => void
  /**
   * Take a display name without entering a room (for connections that only receive
   * notifications addressed to that user). Same rules as `join`'s name.
   */
  identify: (username: string, ack?: AckCallback<{ username: string }>) => void
  /** Leave a chat room entered with `join`. */
  leave: (room: string, ack?: AckCallback) => void
  /** Post to a room the connection has joined (the default room when none is named). */
  'chat-message': (message: string, room?: string, ack?: AckCallback<{ id: string }>) => void
  /** The tutorial's first client: text echoed to every connection as `message`. */
  message: (text: string, ack?: AckCallback) => void
  /** Receive the notifications published to `topic`. */
  subscribe: (topic: string, ack?: AckCallback<{ topic: string }>) => void
  unsubscribe: (topic: string, ack?: AckCallback<{ topic: string }>) => void
}

/**
 * Events the hub sends to clients.
 *
 * @example
 * socket.on('notification', (n) => showToast(n.title, n.level))
 */
export interface ServerToClientEvents {
  /** Greeting sent on every new connection (the tutorial's first client logs it). */
  welcome: (message: string) => void
  /** The tutorial's echo: any connection's `message`, to every connection. */
  message: (text: string) => void
  'chat-message': (message: ChatMessage) => void
  /** A distinct user came online (their first connection), to every connection. */
  'user-joined': (change: PresenceChange) => void
  /** A distinct user went offline (their last connection closed), to every connection. */
  'user-left': (change: PresenceChange) => void
  /** The current distinct-user count, sent once to each new connection. */
  presence: (snapshot: PresenceSnapshot) => void
  'room-joined': (change: RoomMemberChange) => void
  'room-left': (change: RoomMemberChange) => void
  notification: (notification: Notification) => void
  /** A refused event that had no acknowledgement callback to carry the error. */
  'hub-error': (error: ErrorBody & { event: string }) => void
}

/** Names of client events, for validation and rate-limit bookkeeping. */
export type ClientEventName = keyof ClientToServerEvents
