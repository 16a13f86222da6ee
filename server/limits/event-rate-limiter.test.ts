import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { RateLimiterMemory } from 'rate-limiter-flexible'
import { Server } from 'socket.io'
import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, describe, expect, it } from 'vitest'
import { eventRateLimiter, limitSocketEvents } from './event-rate-limiter.js'
import type { LimiterSpec } from './store.js'

describe('eventRateLimiter', () => {
  it('allows `points` events, then limits, then asks for a disconnect', async () => {
    const limiter = eventRateLimiter({ points: 3, durationSec: 60, disconnectAfter: 2 })
    const verdicts = []
    for (let i = 0; i < 6; i++) verdicts.push(await limiter.consume('s1'))
    expect(verdicts).toEqual(['ok', 'ok', 'ok', 'limited', 'limited', 'disconnect'])
    // Connections have separate budgets.
    expect(await limiter.consume('s2')).toBe('ok')
  })

  it('starts over for a key it was told to forget', async () => {
    const limiter = eventRateLimiter({ points: 1, durationSec: 60, disconnectAfter: 5 })
    expect(await limiter.consume('s')).toBe('ok')
    expect(await limiter.consume('s')).toBe('limited')
    await limiter.forget('s')
    expect(await limiter.consume('s')).toBe('ok')
  })

  it('builds its counter from the given store, so a shared one can replace memory', async () => {
    const specs: LimiterSpec[] = []
    const limiter = eventRateLimiter({
      points: 2,
      durationSec: 5,
      store: (spec) => {
        specs.push(spec)
        return new RateLimiterMemory(spec)
      },
    })
    expect(specs).toEqual([{ points: 2, duration: 5, keyPrefix: 'tidings:events' }])
    expect(await limiter.consume('a')).toBe('ok')
  })

  it('lets events through when the store fails rather than failing the hub', async () => {
    const broken = new RateLimiterMemory({ points: 1, duration: 1 })
    broken.consume = () => Promise.reject(new Error('store unreachable'))
    const limiter = eventRateLimiter({ store: () => broken })
    expect(await limiter.consume('a')).toBe('ok')
  })
})

describe('limitSocketEvents on a real Socket.IO connection', () => {
  const io = new Server(createServer())
  afterAll(() => new Promise((resolve) => io.close(resolve)))

  it('answers rate_limited through acks or hub-error, then disconnects a flooder', async () => {
    const limiter = eventRateLimiter({ points: 3, durationSec: 60, disconnectAfter: 2 })
    io.on('connection', (socket) => {
      socket.use(limitSocketEvents(socket, limiter))
      socket.on('ping-me', (ack?: (r: unknown) => void) => ack?.({ ok: true }))
    })
    await new Promise<void>((resolve) => io.httpServer.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(io.httpServer.address() as AddressInfo).port}`
    const client: Socket = connect(url, { transports: ['websocket'], reconnection: false })
    await new Promise<void>((resolve) => client.once('connect', () => resolve()))

    for (let i = 0; i < 3; i++) expect(await client.emitWithAck('ping-me')).toEqual({ ok: true })
    expect(await client.emitWithAck('ping-me')).toMatchObject({ ok: false, error: { code: 'rate_limited' } })
    const hubError = new Promise((resolve) => client.once('hub-error', resolve))
    client.emit('ping-me')
    expect(await hubError).toMatchObject({ code: 'rate_limited', event: 'ping-me' })
    const disconnected = new Promise((resolve) => client.once('disconnect', resolve))
    client.emit('ping-me')
    expect(await disconnected).toBe('io server disconnect')
  })
})
