import { describe, expect, it } from 'vitest'
import { formatSequenceId, parseCursor, parseSequenceId } from './sequence-id.js'

describe('sequence ids', () => {
  it('format as 16 digits, so string order is number order', () => {
    expect(formatSequenceId(42)).toBe('0000000000000042')
    const ids = [1, 9, 10, 99, 100, 123456789].map(formatSequenceId)
    expect(ids.toSorted()).toEqual(ids)
    expect(() => formatSequenceId(-1)).toThrow(RangeError)
    expect(() => formatSequenceId(1.5)).toThrow(RangeError)
  })

  it('parse back only what format makes', () => {
    expect(parseSequenceId(formatSequenceId(7))).toBe(7)
    for (const bad of ['7', '00000000000000007', '000000000000000a', ' 0000000000000007', '', 'lx2k9a0000abcdef123']) {
      expect(parseSequenceId(bad)).toBeUndefined()
    }
  })

  it('read "0" as the start of retention and any id as itself', () => {
    expect(parseCursor('0')).toBe(0)
    expect(parseCursor('0000000000000042')).toBe(42)
    expect(parseCursor('00')).toBeUndefined()
    expect(parseCursor('nope')).toBeUndefined()
  })
})
