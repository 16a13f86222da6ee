import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { io as connect } from 'socket.io-client'
import { afterAll, expect, it } from 'vitest'
import { guestEventGuard, socketAuth } from '../auth/socket-auth.js'
import { tokenExpiry } from '../auth/token-expiry.js'
import { createTokenVerifier } from '../auth/token-verifier.js'
import type { HubServer } from '../hub-server.js'
import { connectionLimiter } from './connection-limiter.js'
import { eventRateLimiter, limitSocketEvents } from './event-rate-limiter.js'
import { slowConsumerGuard } from './slow-consumer-guard.js'

// Wires every factory into a server typed exactly like the hub's, the way the lead will: this
// file failing to compile means the wiring described for the hub no longer fits its types.
const connections = connectionLimiter()
const io: HubServer = new Server(createServer(), { allowRequest: connections.allowRequest })
afterAll(() => new Promise((resolve) => io.close(resolve)))

it('all factories wire into a HubServer and a guest can connect and subscribe', async () => {
  const verifier = await createTokenVerifier({ secret: 'wiring-test-secret-0123456789abcdef' })
  const expiry = tokenExpiry({ verifier })
  const events = eventRateLimiter()
  const guard = slowConsumerGuard()
  connections.attach(io.engine)
  io.use((socket, next) => {
    socket.data.rooms = new Set()
    socket.data.topics = new Set()
    next()
  })
  io.use(socketAuth({ verifier, guests: 'read' }))
  io.on('connection', (socket) => {
    guard.watch(socket)
    socket.use(limitSocketEvents(socket, events))
    socket.use(guestEventGuard(socket, 'read'))
    expiry.watch(socket)
    socket.on('subscribe', (topic, ack) => ack?.({ ok: true, topic }))
  })
  await new Promise<void>((resolve) => io.httpServer.listen(0, '127.0.0.1', resolve))
  const client = connect(`http://127.0.0.1:${(io.httpServer.address() as AddressInfo).port}`, {
    transports: ['websocket'],
    reconnection: false,
  })
  expect(await client.emitWithAck('subscribe', 'news')).toEqual({ ok: true, topic: 'news' })
  expect(await client.emitWithAck('chat-message', 'hi')).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  client.disconnect()
})
