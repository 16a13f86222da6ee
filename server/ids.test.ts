import { describe, expect, it } from 'vitest'
import { createIdGenerator } from './ids.js'

describe('createIdGenerator', () => {
  it('makes unique ids that sort in creation order, within and across milliseconds', () => {
    let clock = 1_700_000_000_000
    const next = createIdGenerator(() => clock)
    const ids: string[] = []
    for (let i = 0; i < 2000; i++) {
      if (i % 500 === 0) clock += 1
      ids.push(next())
    }
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual(ids)
  })

  it('keeps order when the clock steps back', () => {
    let clock = 2_000_000
    const next = createIdGenerator(() => clock)
    const before = next()
    clock -= 1000
    expect(next() > before).toBe(true)
  })

  it('gives two processes different ids for the same instant', () => {
    const a = createIdGenerator(() => 5)
    const b = createIdGenerator(() => 5)
    expect(a()).not.toBe(b())
  })
})
