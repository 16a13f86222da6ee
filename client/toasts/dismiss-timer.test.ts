import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DismissTimer } from './dismiss-timer.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('DismissTimer', () => {
  it('expires after its duration', () => {
    const expire = vi.fn()
    new DismissTimer(5000, expire)
    vi.advanceTimersByTime(4999)
    expect(expire).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(expire).toHaveBeenCalledOnce()
  })

  it('pauses while held and resumes with the time that was left', () => {
    const expire = vi.fn()
    const timer = new DismissTimer(5000, expire)
    vi.advanceTimersByTime(3000)
    timer.hold('hover')
    vi.advanceTimersByTime(60_000)
    expect(expire).not.toHaveBeenCalled()
    timer.release('hover')
    vi.advanceTimersByTime(1999)
    expect(expire).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(expire).toHaveBeenCalledOnce()
  })

  it('stays paused until every hold is released (hovered and focused)', () => {
    const expire = vi.fn()
    const timer = new DismissTimer(1000, expire)
    timer.hold('hover')
    timer.hold('focus')
    timer.release('hover')
    vi.advanceTimersByTime(5000)
    expect(expire).not.toHaveBeenCalled()
    timer.release('focus')
    vi.advanceTimersByTime(1000)
    expect(expire).toHaveBeenCalledOnce()
  })

  it('never fires once cancelled, even if released afterwards', () => {
    const expire = vi.fn()
    const timer = new DismissTimer(1000, expire)
    timer.hold('focus')
    timer.cancel()
    timer.release('focus')
    vi.advanceTimersByTime(5000)
    expect(expire).not.toHaveBeenCalled()
  })
})
