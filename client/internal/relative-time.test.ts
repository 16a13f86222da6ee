import { describe, expect, it } from 'vitest'
import { formatRelativeTime } from './relative-time.js'

const now = Date.parse('2024-06-01T12:00:00.000Z')
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString()

describe('formatRelativeTime', () => {
  it('says how long ago, in English and French', () => {
    expect(formatRelativeTime(ago(120), now, 'en')).toMatch(/^2 min\.? ago$/)
    expect(formatRelativeTime(ago(120), now, 'fr')).toMatch(/^il y a 2\s+min$/)
    expect(formatRelativeTime(ago(3 * 3600), now, 'en')).toMatch(/^3 hr\.? ago$/)
    expect(formatRelativeTime(ago(86_400), now, 'en')).toBe('yesterday')
    expect(formatRelativeTime(ago(86_400), now, 'fr-CA')).toBe('hier')
  })

  it('reads under a minute as now', () => {
    expect(formatRelativeTime(ago(20), now, 'en')).toBe('now')
    expect(formatRelativeTime(ago(20), now, 'fr')).toBe('maintenant')
  })

  it('copes with a bad date or an unknown language', () => {
    expect(formatRelativeTime('not a date', now, 'en')).toBe('not a date')
    expect(formatRelativeTime(ago(120), now, 'not a language tag!')).toMatch(/2/)
  })
})
