import type { Notification } from '../../shared/index.js'

/**
 * Whether a toast stack shows `notification`. A stack with a topic shows that topic only; one
 * without shows what has no topic (broadcasts and notifications addressed to its user), so two
 * stacks sharing a connection never show each other's toasts.
 */
export function belongsTo(topic: string | undefined, notification: Notification): boolean {
  return topic ? notification.topic === topic : notification.topic === undefined
}

/**
 * `stack` with `item` added last, and the oldest items dropped past `max` (at least one toast
 * is always shown). Returns the dropped ones too, so their timers can be stopped.
 */
export function pushBounded<T>(stack: readonly T[], item: T, max: number): { kept: T[]; dropped: T[] } {
  const limit = Math.max(1, Math.floor(Number.isFinite(max) ? max : 1))
  const next = [...stack, item]
  const excess = Math.max(0, next.length - limit)
  return { kept: next.slice(excess), dropped: next.slice(0, excess) }
}
