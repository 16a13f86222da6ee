/**
 * Holds departures back for a grace period. Reloading a page closes its connection and opens
 * another a moment later; announced at once, that would show everyone the user leaving and
 * coming back. Held back, the new connection arrives while the old one still counts, so nobody
 * else hears anything, and the old one's departure then changes nothing.
 */
export interface DepartureGrace {
  /** Runs `depart` once the grace period is over (at once with a grace of 0). */
  later(depart: () => void): void
  /** Drops the departures still waiting (the hub is closing). */
  dispose(): void
}

/**
 * @example
 * const grace = departureGrace(config.presenceGraceMs)
 * bus.on('session:closed', (s) => grace.later(() => depart(s)))
 */
export function departureGrace(graceMs: number): DepartureGrace {
  const waiting = new Set<NodeJS.Timeout>()
  return {
    later(depart) {
      if (graceMs <= 0) return depart()
      const timer = setTimeout(() => {
        waiting.delete(timer)
        depart()
      }, graceMs)
      // A hub with nothing else to do need not stay up for an announcement.
      timer.unref()
      waiting.add(timer)
    },
    dispose() {
      for (const timer of waiting) clearTimeout(timer)
      waiting.clear()
    },
  }
}
