import { EventEmitter } from 'eventemitter3'
import type { ChatMessage, Notification } from '../shared/index.js'
import type { Recipient } from './store/store.js'

/**
 * Every domain event the hub knows, with its payload: the one map that types the whole bus.
 * Names are facts in the past tense. Producers (the socket gateway, HTTP routes) emit them once
 * the input is valid; modules turn them into Socket.IO rooms and broadcasts, and never call
 * each other.
 */
export interface DomainEvents {
  /** A socket connected (every connection is new: nothing survives a reconnect). */
  'session:opened': { socketId: string }
  /**
   * A socket took a name (token, handshake `auth.username` or `join`); `previous` on a rename.
   * `userId` is who it is for addressing (absent for signed-mode guests).
   */
  'session:identified': { socketId: string; username: string; userId?: string; previous?: Identity }
  /** A socket disconnected, for whatever reason. */
  'session:closed': { socketId: string; username?: string; userId?: string; rooms: string[]; topics: string[] }
  /**
   * `history`: send the room's latest messages (a fresh join, not a rename). `since`: send every
   * message after this cursor instead, before live ones (a re-join after a reconnect; `"0"`:
   * everything kept).
   */
  'chat:room-entered': { socketId: string; username: string; room: string; history: boolean; since?: string }
  'chat:room-exited': { socketId: string; username: string; room: string }
  /** The store committed a chat message (on any process): deliver it to the room's local sockets. */
  'chat:message-posted': ChatMessage
  /** The tutorial's first client: text to echo to everyone. */
  'echo:message-sent': { text: string }
  'topic:subscribed': { socketId: string; topic: string }
  'topic:unsubscribed': { socketId: string; topic: string }
  /**
   * The store committed a notification (on any process sharing it): deliver it to local sockets.
   * Emitted by the composition root from the store's feed only, in commit order.
   */
  'notification:published': Notification
  /**
   * A (re)connecting socket asked for what it missed after `since` (undefined: everything kept).
   * The socket is in the catching-up room (excluded from live notifications) until the missed
   * ones are sent.
   */
  'notification:catch-up-requested': {
    socketId: string
    since: string | undefined
    recipient: Recipient
  }
  /** The user followed or unfollowed a topic; the change is committed. */
  'inbox:topic-followed': { userId: string; topic: string }
  'inbox:topic-unfollowed': { userId: string; topic: string }
  /** The user's read state changed (committed); every tab must learn the new unread count. */
  'inbox:read-state-changed': { userId: string; unread: number }
}

export type DomainEventName = keyof DomainEvents

/** A connection's name as others see it, and who it is for addressing. */
export interface Identity {
  username: string
  userId?: string
}

type Listeners = { [K in DomainEventName]: (payload: DomainEvents[K]) => void }

/**
 * The in-process domain event bus. Delivery is synchronous, in subscription order: when
 * `emit` returns, every module has applied the event (joined the rooms, sent the broadcast).
 *
 * @example
 * const bus = createBus()
 * bus.on('chat:message-posted', (m) => console.log(m.room, m.id))
 */
export type Bus = EventEmitter<Listeners>

export function createBus(): Bus {
  return new EventEmitter<Listeners>()
}
