import type { Bus, DomainEvents } from '../bus.js'
import type { HubServer } from '../hub-server.js'
import type { Logger } from '../logger.js'
import type { Membership } from '../membership/membership.js'
import type { Outbox } from '../socket/outbox.js'
import type { Store } from '../store/store.js'

/** What every module is given by the composition root. */
export interface ModuleContext {
  bus: Bus
  io: HubServer
  log: Logger
  store: Store
  /** Paces long sends (catch-ups) to one connection. */
  outbox: Outbox
  /** Who is online and in which chat room (the only place modules learn it). */
  membership: Membership
}

/** A running module; `dispose` removes its bus listeners. */
export interface HubModule {
  dispose(): void
}

/** Subscribes listeners to the bus and returns a module whose `dispose` unsubscribes them all. */
export function listenAll<E extends keyof DomainEvents>(
  bus: Bus,
  listeners: { [K in E]: (payload: DomainEvents[K]) => void },
): HubModule {
  const entries = Object.entries(listeners) as [E, (payload: never) => void][]
  for (const [event, listener] of entries) bus.on(event, listener as never)
  return {
    dispose() {
      for (const [event, listener] of entries) bus.off(event, listener as never)
    },
  }
}

/** Socket.IO room keys, one prefix per concept so names from users can never collide. */
export const roomKey = {
  chat: (room: string) => `room:${room}`,
  topic: (topic: string) => `topic:${topic}`,
  user: (username: string) => `user:${username}`,
  /** Sockets of users who follow the topic in their inbox (kept apart from live subscriptions). */
  followers: (topic: string) => `followers:${topic}`,
  /** Sockets whose missed notifications are being sent; live ones wait until that is done. */
  catchingUp: 'catching-up',
  /** Sockets whose missed messages of a chat room are being sent. */
  chatCatchingUp: (room: string) => `catching-up:room:${room}`,
}
