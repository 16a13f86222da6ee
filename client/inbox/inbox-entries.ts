import type { InboxEntry, Notification } from '../../shared/index.js'

/**
 * Whether a live notification goes into the connection's inbox: broadcasts, those addressed to
 * its user, and those of a topic they follow. (Topics a page merely subscribed to are not kept.)
 * A user-addressed one that reached this connection is for its user: the hub routes them by
 * identity, which in signed mode is the token's subject, not the name shown.
 */
export function belongsToInbox(notification: Notification, followed: ReadonlySet<string>): boolean {
  return notification.topic === undefined || followed.has(notification.topic)
}

/** The unread badge's text: the count, capped at `99+`. */
export const badgeText = (unread: number): string => (unread > 99 ? '99+' : String(unread))

/** Entries merged by notification id, newest first, each id once (the first seen wins). */
export function mergeEntries(...lists: readonly InboxEntry[][]): InboxEntry[] {
  const byId = new Map<string, InboxEntry>()
  for (const list of lists) for (const entry of list) if (!byId.has(entry.notification.id)) byId.set(entry.notification.id, entry)
  return [...byId.values()].sort((a, b) => (a.notification.id < b.notification.id ? 1 : -1))
}
