import type { ChatMessage, PresenceChange, PresenceSnapshot, RoomMemberChange } from './chat.js'
import type { ErrorBody } from './errors.js'
import type { Notification } from './notification.js'
import type { InboxPage, InboxQuery } from './inbox.js'

/**
 * The answer to every client event that takes an acknowledgement callback.
 * A refused event always gets `{ok: false, error}`; the connection stays open.
 */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody }
export type AckCallback<T extends object = object> = (response: Ack<T>) => void

/**
 * `join`'s optional third argument. `since`: the last chat message id this client saw in the
 * room (or `"0"` for everything kept); the hub then sends every message after it, oldest first,
 * as `chat-message` events before live ones, instead of the `chat-history` of a fresh join.
 */
export interface JoinOptions {
  since?: string
}

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
  /**
   * Take a display name and enter a room (the default room when none is named). A client that
   * re-joins after a reconnect passes `{since}` (see `JoinOptions`).
   */
  join: (
    username: string,
    room?: string,
    options?: JoinOptions | AckCallback<JoinResult>,
    ack?: AckCallback<JoinResult>,
  ) => void
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
  /** Add a topic to the user's inbox (kept by the hub across connections). Needs a name. */
  follow: (topic: string, ack?: AckCallback<{ topic: string }>) => void
  unfollow: (topic: string, ack?: AckCallback<{ topic: string }>) => void
  /** A page of the user's inbox, newest first. Needs a name. */
  inbox: (query: InboxQuery, ack: AckCallback<InboxPage>) => void
  /** Mark one notification read; every tab of the user gets the new `inbox-unread`. */
  'inbox-read': (id: string, ack?: AckCallback<{ unread: number }>) => void
  /** Mark everything published so far read. */
  'inbox-read-all': (ack?: AckCallback<{ unread: number }>) => void
  /**
   * Hand the hub a fresh signed token for the same user before the current one expires; without
   * it the hub ends the connection at expiry (`hub-error` with code `token_expired`, then a
   * server-side disconnect).
   */
  'refresh-token': (token: string, ack?: AckCallback<{ expiresAt: string }>) => void
}

/**
 * What a client may put in the handshake: `io(url, {auth: {username, topics, since}})`.
 * All optional. `topics` subscribes before anything is delivered and `since` (the last
 * notification id the client saw, the `cursor` of its previous `session` event, or `"0"` for
 * everything kept) asks for every notification after it, delivered before live ones. Any other
 * `since` is refused with a `connect_error` whose `data.code` is `invalid_cursor`.
 */
export interface HandshakeAuth {
  username?: string
  topics?: string[]
  since?: string
  /** Signed identity, when the hub is configured for it. */
  token?: string
}

/** Sent once to each connection, first. */
export interface SessionInfo {
  /**
   * Where this connection's notification stream starts: the newest notification id (or `"0"`
   * when there is none yet). A client that has seen no notification yet sends it back as
   * `since` when it reconnects, so nothing in between is lost.
   */
  cursor: string
}

/**
 * Events the hub sends to clients.
 *
 * @example
 * socket.on('notification', (n) => showToast(n.title, n.level))
 */
export interface ServerToClientEvents {
  session: (info: SessionInfo) => void
  /** Greeting sent on every new connection (the tutorial's first client logs it). */
  welcome: (message: string) => void
  /** The tutorial's echo: any connection's `message`, to every connection. */
  message: (text: string) => void
  'chat-message': (message: ChatMessage) => void
  /**
   * A distinct user came online (their first connection), to every connection. A further
   * connection of a user already online gets it too, alone, so its count is right.
   */
  'user-joined': (change: PresenceChange) => void
  /** A distinct user went offline (their last connection closed), to every connection. */
  'user-left': (change: PresenceChange) => void
  /** The current distinct-user count, sent once to each new connection. */
  presence: (snapshot: PresenceSnapshot) => void
  'room-joined': (change: RoomMemberChange) => void
  'room-left': (change: RoomMemberChange) => void
  notification: (notification: Notification) => void
  /**
   * A room's latest messages, oldest first, sent after `join`. Clients merge by `id`: a live
   * message may arrive around it.
   */
  'chat-history': (history: { room: string; messages: ChatMessage[] }) => void
  /** The user's unread inbox count: on identification and whenever read state changes. */
  'inbox-unread': (state: { count: number }) => void
  /** A refused event that had no acknowledgement callback to carry the error. */
  'hub-error': (error: ErrorBody & { event: string }) => void
}

/** Names of client events, for validation and rate-limit bookkeeping. */
export type ClientEventName = keyof ClientToServerEvents
