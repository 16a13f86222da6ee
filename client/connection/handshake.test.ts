import { describe, expect, it } from 'vitest'
import { LIMITS } from '../../shared/limits.js'
import { handshakeAuth } from './handshake.js'

const ID = '0000000000000001'

describe('handshakeAuth', () => {
  it('carries an acceptable name, trimmed', () => {
    expect(handshakeAuth({ username: ' Zoé ' })).toEqual({ username: 'Zoé' })
    expect(handshakeAuth({ username: 'x'.repeat(40) })).toEqual({ username: 'x'.repeat(40) })
  })

  it('leaves out names the hub would refuse (a refused handshake is never retried)', () => {
    expect(handshakeAuth({})).toEqual({})
    expect(handshakeAuth({ username: '   ' })).toEqual({})
    expect(handshakeAuth({ username: 'x'.repeat(41) })).toEqual({})
    expect(handshakeAuth({ username: 'evil\nname' })).toEqual({})
  })

  it('carries valid topics only, at most as many as the hub accepts', () => {
    expect(handshakeAuth({ topics: ['deploys', 'bad topic', 'a:b.c-d_e', 'x'.repeat(65)] })).toEqual({
      topics: ['deploys', 'a:b.c-d_e'],
    })
    const many = Array.from({ length: 60 }, (_, i) => `t${i}`)
    expect(handshakeAuth({ topics: many }).topics).toHaveLength(LIMITS.handshakeTopics)
    expect(handshakeAuth({ topics: [] })).toEqual({})
  })

  it('carries `since` only when it is a cursor ("0" or an id), and the token when there is one', () => {
    expect(handshakeAuth({ since: ID, token: 'a.b.c' })).toEqual({ since: ID, token: 'a.b.c' })
    expect(handshakeAuth({ since: '0' })).toEqual({ since: '0' })
    expect(handshakeAuth({ since: 'not-an-id', token: '' })).toEqual({})
    expect(handshakeAuth({ since: '0000000000000000ABC' })).toEqual({})
  })
})
