/**
 * The catch-up handoff for one recipient: from "the last id I saw" to live delivery with no gap,
 * no duplicate and nothing out of order, whatever the store's timing.
 *
 * The owner marks the recipient as catching up (live items for it are handed to `offer` instead
 * of being sent) BEFORE calling `startCatchUp`, which then reads the store from the cursor in
 * pages, yielding between pages so that the process keeps serving others. After the last page it
 * sends the offered items newer than the last one read, in order, and goes live (`onLive`), all
 * in the same turn as that last read's answer.
 *
 * With a store whose feed may lag behind its reads (a feed shared by several processes), the
 * last read can return items the feed has not delivered here yet; sending those again live
 * would duplicate them. So the handoff goes live only once the owner reports (`advance`) that
 * the local feed has reached the last id read; until then later items keep coming through
 * `offer`, and those already read are dropped.
 */

/** Anything with a store-assigned id: ids compare as strings in commit order. */
export interface Sequenced {
  id: string
}

export interface CatchUpOptions<T extends Sequenced> {
  /** The cursor: the last id the recipient saw (undefined: from the start of retention). */
  after: string | undefined
  /** Items per store read; the process yields to other work between pages. */
  pageSize: number
  /** Reads up to `limit` items after `after`, oldest first. */
  readPage(after: string | undefined, limit: number): Promise<T[]>
  send(item: T): void
  /** The newest id the local feed has delivered so far (undefined: none). */
  feedPosition(): string | undefined
  /** Called once, synchronously, when the recipient must from now on get live items directly. */
  onLive(): void
  /** Called instead of `onLive` when a read fails; nothing more is sent. */
  onError(error: unknown): void
  /** Between pages; `setImmediate` unless a test needs otherwise. */
  pause?: () => Promise<void>
}

export interface CatchUp<T extends Sequenced> {
  /** A live item for this recipient that arrived while catching up. */
  offer(item: T): void
  /** The local feed has delivered everything up to `position` (call on every feed item). */
  advance(position: string): void
  /** Stops: nothing more is sent and `onLive` is not called. */
  cancel(): void
}

const nextTurn = (): Promise<void> => new Promise((done) => setImmediate(done))

const newer = (id: string, than: string | undefined): boolean => than === undefined || id > than

/**
 * Starts one recipient's catch-up.
 *
 * @example
 * catching.set(socket.id, startCatchUp({
 *   after: since, pageSize: 500, readPage: (after, limit) => store.notificationsAfter(who, after, limit),
 *   send: (n) => socket.emit('notification', n), feedPosition: () => lastFeedId,
 *   onLive: () => catching.delete(socket.id), onError: () => socket.disconnect(),
 * }))
 */
export function startCatchUp<T extends Sequenced>(options: CatchUpOptions<T>): CatchUp<T> {
  const { pageSize, readPage, send, feedPosition, onLive, onError, pause = nextTurn } = options
  let last = options.after
  // Offered while reading: sent after the last page, those not already read.
  let buffered: T[] | undefined = []
  let state: 'reading' | 'waiting' | 'done' = 'reading'

  const sendNewer = (item: T): void => {
    if (!newer(item.id, last)) return
    last = item.id
    send(item)
  }

  const goLiveIfFeedCaughtUp = (position: string | undefined): void => {
    if (state !== 'waiting') return
    if (last !== undefined && (position === undefined || position < last)) return
    state = 'done'
    onLive()
  }

  const finishReading = (): void => {
    const pending = buffered ?? []
    buffered = undefined
    pending.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    for (const item of pending) sendNewer(item)
    state = 'waiting'
    goLiveIfFeedCaughtUp(feedPosition())
  }

  const run = async (): Promise<void> => {
    for (;;) {
      const page = await readPage(last, pageSize)
      if (state !== 'reading') return
      for (const item of page) sendNewer(item)
      if (page.length < pageSize) return finishReading()
      await pause()
      if (state !== 'reading') return
    }
  }
  run().catch((error: unknown) => {
    if (state === 'done') return
    state = 'done'
    buffered = undefined
    onError(error)
  })

  return {
    offer(item) {
      if (state === 'reading') buffered?.push(item)
      else if (state === 'waiting') sendNewer(item)
    },
    advance(position) {
      goLiveIfFeedCaughtUp(position)
    },
    cancel() {
      state = 'done'
      buffered = undefined
    },
  }
}
