import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server, type Socket as ServerSocket } from 'socket.io'
import { io as connect } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { slowConsumerGuard } from './slow-consumer-guard.js'

const CAP = 256 * 1024
const cutOffs: { socketId: string; bytes: number }[] = []
const guard = slowConsumerGuard({ maxBufferedBytes: CAP, onCutOff: (socketId, bytes) => cutOffs.push({ socketId, bytes }) })
const io = new Server(createServer(), { maxHttpBufferSize: 1e6 })
const connections: ((socket: ServerSocket) => void)[] = []
io.on('connection', (socket) => {
  guard.watch(socket)
  connections.shift()?.(socket)
})
let url: string

beforeAll(async () => {
  await new Promise<void>((resolve) => io.httpServer.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(io.httpServer.address() as AddressInfo).port}`
})
afterAll(() => new Promise((resolve) => io.close(resolve)))

const nextConnection = () => new Promise<ServerSocket>((resolve) => connections.push(resolve))
const chunk = 'x'.repeat(16 * 1024)

/** Sends 16 KB messages, one per macrotask so healthy transports get to write, until cut off. */
async function pushUntilClosed(socket: ServerSocket, maxBytes: number): Promise<{ sent: number; reason?: string }> {
  let reason: string | undefined
  socket.once('disconnect', (r) => (reason = r))
  let sent = 0
  while (reason === undefined && sent < maxBytes) {
    socket.emit('bulk', chunk)
    sent += chunk.length
    await new Promise((resolve) => setImmediate(resolve))
  }
  return { sent, reason }
}

/** A bare WebSocket client that connects to the main namespace and then reads nothing on its own. */
async function rawWebSocket(): Promise<{ raw: WebSocket; socket: ServerSocket }> {
  const raw = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`)
  const connected = nextConnection()
  raw.on('message', (data) => {
    if (data.toString().startsWith('0')) raw.send('40')
  })
  return { raw, socket: await connected }
}

/** A long-polling client that connects to the main namespace and polls only when told to. */
async function pollingClient(): Promise<{ socket: ServerSocket; poll: () => Promise<string> }> {
  const handshake = await (await fetch(`${url}/socket.io/?EIO=4&transport=polling`)).text()
  const session = `${url}/socket.io/?EIO=4&transport=polling&sid=${(JSON.parse(handshake.slice(1)) as { sid: string }).sid}`
  const connected = nextConnection()
  await fetch(session, { method: 'POST', body: '40' })
  return { socket: await connected, poll: async () => (await fetch(session)).text() }
}

describe('slowConsumerGuard', () => {
  it('cuts off a polling client that stopped polling, near the cap', async () => {
    const { socket } = await pollingClient()
    // The client never sends another GET: everything queues in the engine's write buffer.
    const { sent, reason } = await pushUntilClosed(socket, 8 * CAP)
    expect(reason).toBe('server namespace disconnect')
    expect(sent).toBeLessThanOrEqual(CAP + 2 * chunk.length)
    expect(cutOffs.at(-1)).toMatchObject({ socketId: socket.id })
    expect(cutOffs.at(-1)!.bytes).toBeGreaterThan(CAP)
  })

  it('cuts off a WebSocket connection whose TCP socket stopped draining, near the cap', async () => {
    const { raw, socket } = await rawWebSocket()
    // What a reader that stopped reading looks like from the hub once the kernel's buffers are
    // full: writes wait in the hub's TCP socket. Corking it gets there at once, without first
    // filling megabytes of loopback buffers (the upgrade request's socket is the connection's).
    socket.request.socket.cork()
    const { sent, reason } = await pushUntilClosed(socket, 8 * CAP)
    expect(reason).toBe('server namespace disconnect')
    expect(sent).toBeLessThanOrEqual(CAP + 2 * chunk.length)
    expect(cutOffs.at(-1)).toMatchObject({ socketId: socket.id })
    raw.terminate()
  })

  // The guard and the catch-up pacing read engine.io's flush cycle and ws's buffer (see
  // `EngineConnection`): this fails if a Socket.IO upgrade moves either.
  it('counts the bytes a WebSocket holds after the engine has flushed them to it', async () => {
    const { raw, socket } = await rawWebSocket()
    socket.request.socket.cork()
    socket.emit('bulk', chunk)
    const transport = socket.conn.transport as unknown as { name: string; socket: { bufferedAmount: number } }
    expect(transport.name).toBe('websocket')
    expect(transport.socket.bufferedAmount).toBeGreaterThan(chunk.length)
    expect(guard.bufferedBytes(socket)).toBe(transport.socket.bufferedAmount)
    raw.terminate()
  })

  // The same for the engine's write buffer: the guard counts a packet's bytes as `packetCreate`
  // fires, and reads the buffer's length to tell whether the packets counted before were flushed.
  it('counts the bytes waiting in the engine write buffer of a client that does not poll', async () => {
    const { socket, poll } = await pollingClient()
    const engine = socket.conn as unknown as { writeBuffer: unknown[] }
    // The CONNECT answer may still wait for the first poll: measure from what is there now.
    const before = guard.bufferedBytes(socket)
    const waiting = engine.writeBuffer.length
    socket.emit('bulk', chunk)
    socket.emit('bulk', chunk)
    expect(engine.writeBuffer.length).toBe(waiting + 2)
    const packet = `2["bulk","${chunk}"]`
    expect(guard.bufferedBytes(socket)).toBe(before + 2 * packet.length)
    // A poll flushes the buffer: nothing is counted as waiting any more.
    await poll()
    expect(engine.writeBuffer.length).toBe(0)
    expect(guard.bufferedBytes(socket)).toBe(0)
    socket.disconnect(true)
  })

  it('leaves a client that keeps up alone', async () => {
    const connected = nextConnection()
    const client = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true })
    const socket = await connected
    let received = 0
    const all = new Promise<void>((resolve) =>
      client.on('bulk', () => {
        if (++received === 64) resolve()
      }),
    )
    const { sent, reason } = await pushUntilClosed(socket, 64 * chunk.length)
    await all
    expect(reason).toBeUndefined()
    expect(sent).toBe(4 * CAP)
    expect(guard.bufferedBytes(socket)).toBeLessThanOrEqual(CAP)
    client.disconnect()
  })
})
