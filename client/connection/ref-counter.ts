/**
 * Counts how many users hold each key, so a shared resource (a room, a topic) is entered by the
 * first user and left only by the last one.
 *
 * @example
 * const topics = new RefCounter<string>()
 * if (topics.add('deploys')) socket.emit('subscribe', 'deploys')
 */
export class RefCounter<K> {
  private readonly counts = new Map<K, number>()

  /** Adds one holder; true when `key` was not held before (the caller should enter it). */
  add(key: K): boolean {
    const count = this.counts.get(key) ?? 0
    this.counts.set(key, count + 1)
    return count === 0
  }

  /** Removes one holder; true when that was the last one (the caller should leave). */
  remove(key: K): boolean {
    const count = this.counts.get(key)
    if (count === undefined) return false
    if (count > 1) {
      this.counts.set(key, count - 1)
      return false
    }
    this.counts.delete(key)
    return true
  }

  has(key: K): boolean {
    return this.counts.has(key)
  }

  /** Keys held at least once, in the order they were first added. */
  keys(): K[] {
    return [...this.counts.keys()]
  }
}
