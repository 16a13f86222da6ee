/** Why a toast is being kept on screen. */
export type HoldReason = 'hover' | 'focus'

/**
 * Counts down a toast's time on screen, pausing while anything holds it (the pointer is over
 * it, or focus is inside it) and resuming with the time that was left, so a toast being read
 * never vanishes and one left alone does.
 *
 * @example
 * const timer = new DismissTimer(5000, () => remove(toast))
 * timer.hold('hover'); timer.release('hover')
 */
export class DismissTimer {
  private remaining: number
  private startedAt = 0
  private handle: ReturnType<typeof setTimeout> | undefined
  private readonly holds = new Set<HoldReason>()
  private done = false

  constructor(
    duration: number,
    private readonly onExpire: () => void,
  ) {
    this.remaining = duration
    this.run()
  }

  hold(reason: HoldReason): void {
    this.holds.add(reason)
    if (this.handle === undefined) return
    clearTimeout(this.handle)
    this.handle = undefined
    this.remaining -= Date.now() - this.startedAt
  }

  release(reason: HoldReason): void {
    this.holds.delete(reason)
    if (this.holds.size === 0) this.run()
  }

  /** Stops for good, without calling `onExpire`. */
  cancel(): void {
    this.done = true
    clearTimeout(this.handle)
    this.handle = undefined
  }

  private run(): void {
    if (this.done || this.handle !== undefined) return
    this.startedAt = Date.now()
    this.handle = setTimeout(() => {
      this.done = true
      this.handle = undefined
      this.onExpire()
    }, Math.max(0, this.remaining))
  }
}
