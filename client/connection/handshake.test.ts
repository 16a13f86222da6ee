import { describe, expect, it } from 'vitest'
import { handshakeAuth } from './handshake.js'

describe('handshakeAuth', () => {
  it('carries an acceptable name, trimmed', () => {
    expect(handshakeAuth(' Zoé ')).toEqual({ username: 'Zoé' })
    expect(handshakeAuth('x'.repeat(40))).toEqual({ username: 'x'.repeat(40) })
  })

  it('leaves out names the hub would refuse (a refused handshake is never retried)', () => {
    expect(handshakeAuth(undefined)).toEqual({})
    expect(handshakeAuth('   ')).toEqual({})
    expect(handshakeAuth('x'.repeat(41))).toEqual({})
    expect(handshakeAuth('evil\nname')).toEqual({})
  })
})
