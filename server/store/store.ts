import type { z } from 'zod'
import type { ChatMessage, InboxPage, inboxQuerySchema, Notification } from '../../shared/index.js'

/** How long an `Idempotency-Key` keeps answering with the notification it first created. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

/** Notifications older than this many days are removed by `prune`, unless configured otherwise. */
export const DEFAULT_RETENTION_DAYS = 30

/** Chat messages kept per room; older ones are removed as new ones arrive. */
export const DEFAULT_CHAT_HISTORY_PER_ROOM = 1000

/** Messages returned by `recentChatMessages` when no limit is given. */
export const DEFAULT_RECENT_CHAT_MESSAGES = 50

/** Largest `limit` any listing accepts: callers page through longer results. */
export const MAX_PAGE_SIZE = 1000

/**
 * Who should have received a notification: broadcasts reach everyone, topic notifications reach
 * the listed topics, user notifications reach `userId` (the hub's identity of a user: the token's
 * subject in signed mode, the name in open mode).
 */
export interface Recipient {
  userId?: string
  topics: readonly string[]
}

/**
 * An `Idempotency-Key` header value, namespaced by `scope` (for instance a digest of the API key)
 * so that two publishers choosing the same key never see each other's notifications.
 */
export interface IdempotencyKey {
  scope: string
  key: string
}

/**
 * A notification before it is stored: the store gives it its id at commit, so that id order is
 * commit order whichever process published it.
 */
export type NotificationDraft = Omit<Notification, 'id'>

/** A chat message before it is stored; the store gives it its id at commit. */
export type ChatMessageDraft = Omit<ChatMessage, 'id'>

/**
 * What `Store.subscribe` listeners receive: each committed notification and chat message, once,
 * in commit order.
 */
export type StoreFeedEvent = { kind: 'notification'; notification: Notification } | { kind: 'chat'; message: ChatMessage }

export type StoreFeedListener = (event: StoreFeedEvent) => void

export interface AppendResult {
  /** The stored notification (with its id), or the earlier one a retried key refers to. */
  notification: Notification
  /** False when an unexpired idempotency key matched and nothing new was stored. */
  created: boolean
}

/** A validated inbox request: `before` is the previous page's `nextCursor`. */
export type InboxPageQuery = z.output<typeof inboxQuerySchema>

export interface PruneResult {
  notifications: number
  idempotencyKeys: number
}

/**
 * Durable state of the hub: notifications (with idempotency, catch-up and per-user inboxes) and
 * chat history. The store is the single source of order: it numbers notifications and chat
 * messages at commit (ids from `shared/sequence-id.ts`, one sequence each), no id becomes
 * visible before a smaller one, and `subscribe` hands every committed item to every process in
 * that order. Every method is asynchronous so that a networked implementation can satisfy the
 * same contract; a write's promise resolves only once the write is durable.
 *
 * Ids passed back in (`afterId`, `before`, `notificationId`) are ids the store made; anything
 * else is refused (`RangeError`) or, for `markRead`, not found.
 *
 * @example
 * const { notification, created } = await store.appendNotification(draft, { scope, key })
 * const missed = await store.notificationsAfter({ userId: 'ada', topics: ['deploys'] }, lastId, 500)
 */
export interface Store {
  /**
   * Stores `draft` under the next notification id; resolves once it is committed, with the
   * stored notification. With `idempotency`, a key already used in the last 24 hours returns the
   * notification it created (`created: false`) and stores nothing, even when the two calls race.
   */
  appendNotification(draft: NotificationDraft, idempotency?: IdempotencyKey): Promise<AppendResult>

  /**
   * The greatest notification id ever committed (pruned or not), or undefined when none was.
   * Anything committed later has a greater id, whichever process writes it: a safe catch-up
   * cursor to hand to a new connection.
   */
  newestNotificationId(): Promise<string | undefined>

  /**
   * The notifications `recipient` should have received after `afterId` (from the oldest kept
   * one when undefined), oldest first, at most `limit` (1 to `MAX_PAGE_SIZE`).
   */
  notificationsAfter(recipient: Recipient, afterId: string | undefined, limit: number): Promise<Notification[]>

  /** Makes `userId`'s inbox include notifications published to `topic`. Idempotent. */
  followTopic(userId: string, topic: string): Promise<void>
  unfollowTopic(userId: string, topic: string): Promise<void>
  /** Followed topics, in name order. */
  followedTopics(userId: string): Promise<string[]>

  /**
   * A page of `userId`'s notifications, newest first: addressed to them, to a topic they
   * follow, or to everyone; with their unread count and followed topics from the same snapshot.
   * `limit` may be 1 to `MAX_PAGE_SIZE`.
   */
  inbox(userId: string, query: InboxPageQuery): Promise<InboxPage>
  /** Resolves false when the notification is not in this user's inbox (unknown or not theirs). */
  markRead(userId: string, notificationId: string): Promise<boolean>
  /** Marks everything published so far as read; later notifications stay unread. */
  markAllRead(userId: string): Promise<void>
  unreadCount(userId: string): Promise<number>

  /**
   * Stores a chat message under the next chat id; resolves once committed, with the stored
   * message. Each room keeps only its latest messages.
   */
  appendChatMessage(draft: ChatMessageDraft): Promise<ChatMessage>
  /** The room's latest `limit` messages (default 50), oldest first. */
  recentChatMessages(room: string, limit?: number): Promise<ChatMessage[]>
  /**
   * The room's messages after `afterId` (from the oldest kept one when undefined), oldest first,
   * at most `limit` (1 to `MAX_PAGE_SIZE`): a rejoining client's catch-up.
   */
  chatMessagesAfter(room: string, afterId: string | undefined, limit: number): Promise<ChatMessage[]>

  /**
   * Calls `listener` with every notification and chat message committed from now on (by any
   * process sharing the store), in commit order, exactly once each; idempotent retries that
   * stored nothing are not repeated. Returns the function that stops it.
   *
   * @example
   * const stop = store.subscribe((event) => { if (event.kind === 'chat') deliver(event.message) })
   */
  subscribe(listener: StoreFeedListener): () => void

  /**
   * Resolves when the store can serve reads and writes now; rejects with a short reason
   * (`store closed`, `redis unreachable`) otherwise. For readiness probes.
   */
  check(): Promise<void>

  /**
   * Removes expired notifications and idempotency keys, in small batches with pauses between
   * them so that deliveries are never held up for long. Call it periodically.
   */
  prune(now?: Date): Promise<PruneResult>

  /** Commits pending writes, then releases the store; later calls reject. */
  close(): Promise<void>
}

/** Refuses a page size outside 1..`MAX_PAGE_SIZE`, so an unbounded read is a bug, not a stall. */
export function checkPageLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`)
  }
  return limit
}
