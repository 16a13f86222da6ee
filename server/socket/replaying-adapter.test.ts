import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server, type Socket as ServerSocket } from 'socket.io'
import { io as connect, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { roomKey } from '../modules/module.js'
import { sendAtStreamEnd } from '../direct-emit.js'
import type { HubServer } from '../hub-server.js'
import { ReplayingSessionAdapter, replayMissedPackets } from './replaying-adapter.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

/** A real Socket.IO server on an ephemeral port, with the adapter under test. */
async function serve(onConnection: (socket: ServerSocket) => void = () => {}) {
  const http = createServer()
  const io = new Server(http, {
    adapter: ReplayingSessionAdapter,
    connectionStateRecovery: { maxDisconnectionDuration: 60_000, skipMiddlewares: false },
  })
  io.on('connection', (socket) => {
    socket.data.replayed = replayMissedPackets(socket)
    onConnection(socket)
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  cleanups.push(() => void io.close())
  return { io, url }
}

/** A client that records every `n` event and never reconnects on its own. */
async function client(url: string) {
  const socket: Socket = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false })
  cleanups.push(() => socket.disconnect())
  const received: unknown[] = []
  socket.on('n', (value: unknown) => received.push(value))
  await once(socket, 'connect')
  return { socket, received }
}

const once = (socket: Socket, event: string) => new Promise<unknown>((resolve) => socket.once(event, resolve))

async function cut(socket: Socket): Promise<void> {
  const down = once(socket, 'disconnect')
  socket.io.engine.close()
  await down
}

async function until(received: unknown[], count: number, socket: Socket): Promise<void> {
  while (received.length < count) await once(socket, 'n')
}

describe('ReplayingSessionAdapter', () => {
  it('replays what a recovered socket missed, in order, only from its rooms', async () => {
    const { io, url } = await serve((socket) => socket.join('mine'))
    const { socket, received } = await client(url)
    io.emit('n', 0)
    await until(received, 1, socket)
    await cut(socket)
    io.to('mine').emit('n', 1)
    io.to('theirs').emit('n', 'not mine')
    io.except('mine').emit('n', 'excluded')
    io.emit('n', 2)
    socket.connect()
    await once(socket, 'connect')
    io.emit('n', 3)
    await until(received, 4, socket)
    expect(socket.recovered).toBe(true)
    expect(received).toEqual([0, 1, 2, 3])
  })

  it('does not lose a broadcast made while the middlewares of a recovering socket run', async () => {
    const { io, url } = await serve()
    const { socket, received } = await client(url)
    io.emit('n', 0)
    await until(received, 1, socket)
    await cut(socket)
    io.use((socket, next) => {
      // A slow check (a token verified off the main thread) during which the hub broadcasts.
      if (!socket.recovered) return next()
      io.emit('n', 'during')
      setTimeout(next, 20)
    })
    socket.connect()
    await until(received, 2, socket)
    expect(socket.recovered).toBe(true)
    expect(received).toEqual([0, 'during'])
  })

  it('does not recover a session cut off while it was catching up from the store', async () => {
    const { io, url } = await serve()
    const { socket, received } = await client(url)
    io.emit('n', 0)
    await until(received, 1, socket)
    io.in(socket.id!).socketsJoin(roomKey.catchingUp)
    await cut(socket)
    socket.connect()
    await once(socket, 'connect')
    expect(socket.recovered).toBe(false)
  })

  it('says so when the packets after the offset are gone', async () => {
    const { io, url } = await serve()
    const { socket, received } = await client(url)
    io.emit('n', 0)
    await until(received, 1, socket)
    await cut(socket)
    const adapter = io.of('/').adapter as unknown as { packets: unknown[] }
    const sockets = io.of('/').sockets
    // Emptied between the handshake (which found the offset) and the connection.
    io.use((_socket, next) => {
      adapter.packets.length = 0
      next()
    })
    socket.connect()
    await once(socket, 'connect')
    const [recovered] = [...sockets.values()]
    expect(recovered?.recovered).toBe(true)
    expect(recovered?.data.replayed).toBe(false)
  })

  it('greets at the end of the stream without storing a packet per connection', async () => {
    const { io, url } = await serve((socket) => sendAtStreamEnd(io as unknown as HubServer, socket.id, 'welcome', 'hi'))
    const stored = (io.of('/').adapter as unknown as { packets: unknown[] }).packets
    io.emit('n', 0)
    const greeted: unknown[] = []
    const socket: Socket = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false })
    cleanups.push(() => socket.disconnect())
    socket.on('welcome', (text: unknown) => greeted.push(text))
    await once(socket, 'welcome')
    expect(greeted).toEqual(['hi'])
    expect(stored).toHaveLength(1)

    // The greeting alone gave the client a valid place: the gap is replayed.
    const received: unknown[] = []
    socket.on('n', (value: unknown) => received.push(value))
    await cut(socket)
    io.emit('n', 1)
    socket.connect()
    await until(received, 1, socket)
    expect(socket.recovered).toBe(true)
    expect(received).toEqual([1])
  })
})
