import { isCursor } from './handshake.js'

/** Where the cursor is kept between page loads: the tab's `sessionStorage` when it is usable. */
export type CursorStorage = Pick<Storage, 'getItem' | 'setItem'>

function tabStorage(): CursorStorage | undefined {
  try {
    return globalThis.sessionStorage
  } catch {
    // Sandboxed frames and some privacy modes throw on access: no reload catch-up then.
    return undefined
  }
}

/**
 * A connection's place in the hub's notification stream. Notification ids sort in commit
 * order, so the largest id delivered says what the page has seen: anything at or below it is a
 * duplicate (a replay after reconnecting), and it is what the next handshake sends as `since`.
 * Before any notification arrived, the `session` cursor stands in for it.
 *
 * @example
 * const cursor = new NotificationCursor('https://hub.example.com')
 * socket.on('session', ({ cursor: c }) => cursor.start(c))
 * socket.on('notification', (n) => cursor.accept(n.id) && show(n))
 */
export class NotificationCursor {
  private lastSeen: string | undefined
  private sessionCursor: string | undefined
  private readonly key: string

  constructor(
    hubOrigin: string,
    private readonly storage: CursorStorage | undefined = tabStorage(),
  ) {
    this.key = `tidings:since:${hubOrigin}`
    // What the previous page of this tab had reached. Kept as a cursor, not as a delivered id:
    // it only says where to resume, and dropping live ids at or below it could lose one.
    try {
      const stored = storage?.getItem(this.key)
      if (isCursor(stored)) this.sessionCursor = stored
    } catch {
      // Unreadable storage: no reload catch-up.
    }
  }

  /** What to send as `since`: the last id delivered, else the first cursor the hub gave. */
  get since(): string | undefined {
    return this.lastSeen ?? this.sessionCursor
  }

  /** Records a `session` cursor, unless the page already has a place in the stream. */
  start(cursor: string): void {
    if (this.since !== undefined || !isCursor(cursor)) return
    this.sessionCursor = cursor
    this.save()
  }

  /** True when `id` is new (and records it); false for one at or below an id already delivered. */
  accept(id: string): boolean {
    if (this.lastSeen !== undefined && id <= this.lastSeen) return false
    this.lastSeen = id
    this.save()
    return true
  }

  private save(): void {
    try {
      this.storage?.setItem(this.key, this.since!)
    } catch {
      // Full or forbidden storage: catch-up still works within this page.
    }
  }
}
