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

  it('accepts user targets shaped like real token subjects, up to 255 characters, exactly as given', () => {
    const subjects = [
      'alice.martin@example.com',
      'urn:example:tenant:4a7c9e:user:0f8fad5b-d9cb-469f-a165-70867728950e',
      'auth0|5f7c8ec7c33c6c004bbafe82',
      'x'.repeat(255),
    ]
    for (const user of subjects) expect(notifyRequestSchema.parse({ title: 't', user }).user).toBe(user)
    expect(notifyRequestSchema.safeParse({ title: 't', user: 'x'.repeat(256) }).success).toBe(false)
    expect(notifyRequestSchema.safeParse({ title: 't', user: 'a\nb' }).success).toBe(false)
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
