import { describe, expect, it } from 'vitest'
import { notifyRequestSchema } from './notification.js'
import { utf8Length } from './utf8.js'

describe('notifyRequestSchema', () => {
  it('fills in the default level and keeps optional fields', () => {
    expect(notifyRequestSchema.parse({ title: 'Hi', topic: 'a.b:c-d_e' })).toEqual({
      title: 'Hi',
      level: 'info',
      topic: 'a.b:c-d_e',
    })
  })

  it('measures data in UTF-8 bytes, not characters', () => {
    const fits = { s: 'é'.repeat(2000) } // 4000 bytes + JSON punctuation
    const tooBig = { s: 'é'.repeat(2100) }
    expect(notifyRequestSchema.safeParse({ title: 't', data: fits }).success).toBe(true)
    expect(notifyRequestSchema.safeParse({ title: 't', data: tooBig }).success).toBe(false)
  })
})

describe('utf8Length', () => {
  it.each(['', 'abc', 'é', '€', '😀', 'a😀é€', '\ud800'])('agrees with Buffer for %j', (text) => {
    expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'))
  })
})
