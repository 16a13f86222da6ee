import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server, type Socket as ServerSocket } from 'socket.io'
import { io as connect } from 'socket.io-client'
import { afterEach, expect, it } from 'vitest'
import { handshakeRelease } from './handshake-release.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

it('keeps the handshake request for earlier listeners, then lets go of it and its headers', async () => {
  const http = createServer()
  const io = new Server(http)
  cleanups.push(() => void io.close())
  const seenByEarlierListener: unknown[] = []
  io.on('connection', (socket) => seenByEarlierListener.push(socket.conn.request?.headers.host))
  io.on('connection', handshakeRelease(io.engine))
  const connected = new Promise<ServerSocket>((resolve) => io.on('connection', resolve))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo

  const client = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true })
  cleanups.push(() => client.disconnect())
  const socket = await connected

  expect(seenByEarlierListener).toEqual([`127.0.0.1:${port}`])
  expect(socket.conn.request).toBeNull()
  expect(socket.handshake.headers).toEqual({})
  expect(socket.handshake.address).toMatch(/127\.0\.0\.1/)
  // Still a working connection.
  const echoed = new Promise((resolve) => client.once('pong', resolve))
  socket.emit('pong', 'still here')
  expect(await echoed).toBe('still here')
})
