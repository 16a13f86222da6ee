import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { tokenExpiry, type ExpiringSocket } from './token-expiry.js'
import type { TokenVerifier } from './token-verifier.js'

// The timer arithmetic is tested with fake time: days cannot pass in a test. The socket-level
// behaviour is covered over a real connection in socket-auth.test.ts.
const DAY = 24 * 60 * 60 * 1000
const verifier: TokenVerifier = {
  algorithm: 'HS256',
  verify: () => Promise.reject(new Error('not used')),
}

function fakeSocket(expiresAt: Date) {
  const events = new EventEmitter()
  const socket = {
    id: 's1',
    data: { userId: 'u', expiresAt },
    connected: true,
    emitted: [] as unknown[],
    emit(_event: 'hub-error', body: unknown) {
      this.emitted.push(body)
    },
    disconnect() {
      this.connected = false
      events.emit('disconnect')
    },
    once: (event: 'disconnect', listener: () => void) => events.once(event, listener),
  }
  return socket satisfies ExpiringSocket
}

afterEach(() => {
  vi.useRealTimers()
})

describe('tokenExpiry timers', () => {
  it('waits out lifetimes longer than the 24.8-day setTimeout limit', () => {
    vi.useFakeTimers()
    const socket = fakeSocket(new Date(Date.now() + 40 * DAY))
    tokenExpiry({ verifier }).watch(socket)
    vi.advanceTimersByTime(25 * DAY)
    expect(socket.connected).toBe(true)
    vi.advanceTimersByTime(15 * DAY - 1000)
    expect(socket.connected).toBe(true)
    vi.advanceTimersByTime(1000)
    expect(socket.connected).toBe(false)
    expect(socket.emitted).toEqual([expect.objectContaining({ code: 'token_expired' })])
  })

  it('disconnects at once when the token is already past its expiry', () => {
    vi.useFakeTimers()
    const socket = fakeSocket(new Date(Date.now() - 1))
    tokenExpiry({ verifier }).watch(socket)
    expect(socket.connected).toBe(false)
  })

  it('leaves guests (no expiry) alone', () => {
    vi.useFakeTimers()
    const socket = fakeSocket(new Date(0))
    socket.data = { userId: undefined, expiresAt: undefined } as never
    tokenExpiry({ verifier }).watch(socket)
    vi.advanceTimersByTime(100 * DAY)
    expect(socket.connected).toBe(true)
  })
})
