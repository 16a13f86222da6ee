import { RefCounter } from './ref-counter.js'

/** One event to send again after a reconnect, to put the new connection where the old one was. */
export type ReplayCommand =
  | { event: 'join'; username: string; room: string }
  | { event: 'identify'; username: string }
  | { event: 'subscribe'; topic: string }
  | { event: 'watch'; room: string }

/**
 * What a page asked of the hub over one connection: its name, the rooms it is in and the topics
 * it follows. The hub forgets all of it when a connection drops, so the client keeps it and
 * replays it on every (re)connect.
 *
 * @example
 * const memory = new SessionMemory()
 * memory.joinRoom('general', 'alice')
 * memory.replay() // [{ event: 'join', username: 'alice', room: 'general' }]
 */
export class SessionMemory {
  private name: string | undefined
  private readonly rooms = new RefCounter<string>()
  private readonly topics = new RefCounter<string>()
  private readonly watched = new RefCounter<string>()

  /** The display name last asked for, if any. */
  get username(): string | undefined {
    return this.name
  }

  identify(username: string): void {
    this.name = username
  }

  /** Records a room; true when this is the first holder (the room must be joined now). */
  joinRoom(room: string, username: string): boolean {
    this.name = username
    return this.rooms.add(room)
  }

  /** Forgets one holder of a room; true when it was the last (the room must be left now). */
  leaveRoom(room: string): boolean {
    return this.rooms.remove(room)
  }

  /** Records a watched room; true when this is the first holder (it must be watched now). */
  watchRoom(room: string): boolean {
    return this.watched.add(room)
  }

  /** Forgets one watcher of a room; true when it was the last (it must be unwatched now). */
  unwatchRoom(room: string): boolean {
    return this.watched.remove(room)
  }

  /** The topics held, in the order they were first subscribed (for the handshake). */
  get topicList(): string[] {
    return this.topics.keys()
  }

  /** Records a topic; true when this is the first holder (the topic must be subscribed now). */
  subscribe(topic: string): boolean {
    return this.topics.add(topic)
  }

  /** Forgets one holder of a topic; true when it was the last (it must be unsubscribed now). */
  unsubscribe(topic: string): boolean {
    return this.topics.remove(topic)
  }

  /**
   * The events that rebuild this session on a fresh connection. `join` carries the name, so
   * `identify` is only needed when the page is in no room.
   */
  replay(): ReplayCommand[] {
    const commands: ReplayCommand[] = []
    const username = this.name
    const rooms = this.rooms.keys()
    if (username !== undefined) {
      if (rooms.length === 0) commands.push({ event: 'identify', username })
      for (const room of rooms) commands.push({ event: 'join', username, room })
    }
    for (const topic of this.topics.keys()) commands.push({ event: 'subscribe', topic })
    for (const room of this.watched.keys()) commands.push({ event: 'watch', room })
    return commands
  }
}
