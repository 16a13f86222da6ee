import { describe, expect, it } from 'vitest'
import { jwt } from './testing/jwt.js'
import { decodeClaims, tokenExpiry, tokenName } from './token.js'


describe('token claims', () => {
  it('reads exp (as ms) and the name, in UTF-8, from base64url', () => {
    const token = jwt({ sub: 'u1', name: 'Zoé ~~~ ???', exp: 1_900_000_000 })
    expect(tokenExpiry(token)).toBe(1_900_000_000_000)
    expect(tokenName(token)).toBe('Zoé ~~~ ???')
    expect(tokenName(jwt({ sub: 'u2' }))).toBe('u2')
  })

  it('gives nothing for malformed tokens', () => {
    for (const token of [undefined, '', 'abc', 'a.!!!.c', `a.${Buffer.from('[1]').toString('base64')}.c`]) {
      expect(tokenExpiry(token)).toBeUndefined()
      expect(tokenName(token)).toBeUndefined()
    }
    expect(decodeClaims(`a.${Buffer.from('"str"').toString('base64')}.c`)).toBeUndefined()
  })
})
