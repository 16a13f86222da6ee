import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectionLimiter } from './connection-limiter.js'

const limiter = connectionLimiter({ perIp: 2 })
const io = new Server(createServer(), { allowRequest: limiter.allowRequest })
limiter.attach(io.engine)
const serverDisconnects: (() => void)[] = []
// Registered after attach(), so by the time this runs the limiter has released the slot.
io.engine.on('connection', (socket: { once(e: 'close', l: () => void): void }) =>
  socket.once('close', () => serverDisconnects.shift()?.()),
)
let url: string
const clients: Socket[] = []

beforeAll(async () => {
  await new Promise<void>((resolve) => io.httpServer.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(io.httpServer.address() as AddressInfo).port}`
})
afterAll(async () => {
  for (const c of clients) c.disconnect()
  await new Promise((resolve) => io.close(resolve))
})

function open(transport: 'websocket' | 'polling'): Promise<Socket> {
  const socket = connect(url, { transports: [transport], reconnection: false, forceNew: true })
  clients.push(socket)
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', reject)
  })
}

describe('connectionLimiter', () => {
  it('refuses connections beyond perIp from one address, on both transports', async () => {
    const first = await open('websocket')
    await open('polling')
    expect(limiter.count('127.0.0.1')).toBe(2)
    await expect(open('websocket')).rejects.toThrow()
    await expect(open('polling')).rejects.toThrow()
    // Refused handshakes do not hold slots.
    expect(limiter.count('::ffff:127.0.0.1')).toBe(2)

    // Closing a connection frees its slot.
    const released = new Promise<void>((resolve) => serverDisconnects.push(resolve))
    first.disconnect()
    await released
    expect(limiter.count('127.0.0.1')).toBe(1)
    await expect(open('websocket')).resolves.toBeDefined()
  })
})
