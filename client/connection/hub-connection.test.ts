import { afterEach, describe, expect, it } from 'vitest'
import { HubConnection, acquireConnection, hubKey, releaseConnection } from './hub-connection.js'
import type { HubResult } from './hub-result.js'
import type { ReplayCommand } from './session-memory.js'
import { fakeSockets, settle, type FakeSocket } from './testing/fake-socket.js'

function open(): { connection: HubConnection; socket: FakeSocket } {
  const { made, createSocket } = fakeSockets()
  const connection = new HubConnection('http://hub.test', { createSocket })
  return { connection, socket: made[0]! }
}

describe('HubConnection', () => {
  it('asks Socket.IO for endless, jittered reconnection, WebSocket first', () => {
    const { socket } = open()
    expect(socket.options).toMatchObject({
      reconnection: true,
      reconnectionAttempts: Infinity,
      transports: ['websocket', 'polling'],
    })
    expect(socket.options.randomizationFactor).toBeGreaterThan(0)
  })

  it('sends the known name in the handshake, and only a name the hub would accept', async () => {
    const { connection, socket } = open()
    expect(await socket.auth()).toEqual({})
    connection.identify('alice')
    expect(await socket.auth()).toEqual({ username: 'alice' })
    connection.identify('x'.repeat(41))
    expect(await socket.auth()).toEqual({})
  })

  it('sends the subscribed topics in the handshake', async () => {
    const { connection, socket } = open()
    connection.subscribe('deploys')
    connection.subscribe('billing')
    expect(await socket.auth()).toEqual({ topics: ['deploys', 'billing'] })
    connection.unsubscribe('deploys')
    expect(await socket.auth()).toEqual({ topics: ['billing'] })
  })

  it('sends nothing while offline, then joins, identifies and subscribes on connect', async () => {
    const { connection, socket } = open()
    connection.joinRoom('general', 'alice')
    connection.subscribe('deploys')
    expect(socket.sent).toEqual([])

    socket.goOnline()
    await settle()
    expect(socket.sentLines()).toEqual(['join alice general', 'subscribe deploys'])
  })

  it('applies the whole session again after every reconnect', async () => {
    const { connection, socket } = open()
    socket.goOnline()
    connection.joinRoom('ops', 'bob')
    connection.joinRoom('general', 'bob')
    connection.subscribe('billing')
    await settle()
    socket.sent.length = 0

    socket.dropConnection()
    socket.goOnline()
    await settle()
    expect(socket.sentLines()).toEqual(['join bob ops', 'join bob general', 'subscribe billing'])
  })

  it('identifies on reconnect when the page is in no room', async () => {
    const { connection, socket } = open()
    connection.identify('carol')
    socket.goOnline()
    await settle()
    expect(socket.sentLines()).toEqual(['identify carol'])
  })

  it('counts topic holders: subscribes for the first, unsubscribes after the last', async () => {
    const { connection, socket } = open()
    socket.goOnline()
    connection.subscribe('deploys')
    connection.subscribe('deploys')
    await settle()
    expect(socket.sentLines()).toEqual(['subscribe deploys'])

    connection.unsubscribe('deploys')
    expect(socket.sentLines()).toEqual(['subscribe deploys'])
    connection.unsubscribe('deploys')
    expect(socket.sentLines()).toEqual(['subscribe deploys', 'unsubscribe deploys'])

    socket.dropConnection()
    socket.sent.length = 0
    socket.goOnline()
    await settle()
    expect(socket.sentLines()).toEqual([])
  })

  it('counts room holders too, and leaves with the last one', async () => {
    const { connection, socket } = open()
    socket.goOnline()
    connection.joinRoom('ops', 'dan')
    connection.joinRoom('ops', 'dan')
    connection.leaveRoom('ops')
    await settle()
    expect(socket.sentLines()).toEqual(['join dan ops'])
    connection.leaveRoom('ops')
    expect(socket.sentLines()).toEqual(['join dan ops', 'leave ops'])
  })

  it('reports connecting, connected, reconnecting and disconnected', () => {
    const { connection, socket } = open()
    const seen: string[] = []
    connection.onStateChange((state) => seen.push(state))
    expect(connection.state).toBe('connecting')
    socket.goOnline()
    socket.dropConnection()
    socket.fire('connect_error', new Error('refused'))
    socket.goOnline()
    connection.close()
    expect(seen).toEqual(['connected', 'reconnecting', 'connected', 'disconnected'])
  })

  it("reports the hub's refusals of replayed requests", async () => {
    const { connection, socket } = open()
    const results: [ReplayCommand, HubResult][] = []
    connection.onResult((command, result) => results.push([command, result]))
    const refusal = { ok: false, error: { code: 'invalid_request', message: 'join: username must not be empty' } }
    socket.answer = (event) => (event === 'join' ? refusal : { ok: true })
    connection.joinRoom('general', ' ')
    socket.goOnline()
    await settle()
    expect(results).toEqual([[{ event: 'join', username: ' ', room: 'general' }, refusal]])
  })

  it('refuses to post while offline instead of queueing the message', async () => {
    const { connection, socket } = open()
    const result = await connection.sendChatMessage('hello', 'general')
    expect(result).toMatchObject({ ok: false, error: { code: 'offline' } })
    expect(socket.sent).toEqual([])
  })

  it('turns a missing acknowledgement into a timeout error', async () => {
    const { connection, socket } = open()
    socket.goOnline()
    socket.answer = () => undefined
    expect(await connection.sendChatMessage('hello', 'general')).toMatchObject({
      ok: false,
      error: { code: 'timeout' },
    })
  })

  it('remembers the latest user count, for components attached after `presence`', () => {
    const { connection, socket } = open()
    expect(connection.userCount).toBeUndefined()
    socket.fire('presence', { userCount: 3 })
    expect(connection.userCount).toBe(3)
    socket.fire('user-left', { username: 'x', userCount: 2 })
    expect(connection.userCount).toBe(2)
  })
})

describe('the connection registry', () => {
  const { made, createSocket } = fakeSockets()
  const held: HubConnection[] = []
  const acquire = (server: string) => {
    const connection = acquireConnection(server, { createSocket })
    held.push(connection)
    return connection
  }
  afterEach(async () => {
    for (const connection of held.splice(0)) releaseConnection(connection)
    await settle()
    made.length = 0
  })

  it('keys hubs by origin', () => {
    expect(hubKey('https://hub.test/some/path')).toBe('https://hub.test')
    expect(hubKey('https://hub.test:8443/')).toBe('https://hub.test:8443')
  })

  it('shares one socket per hub, and opens one per distinct hub', () => {
    const a = acquire('http://one.test')
    const b = acquire('http://one.test/')
    const c = acquire('http://two.test')
    expect(a).toBe(b)
    expect(c).not.toBe(a)
    expect(made).toHaveLength(2)
  })

  it('disconnects when the last holder releases', async () => {
    const a = acquireConnection('http://three.test', { createSocket })
    const b = acquireConnection('http://three.test', { createSocket })
    const socket = made[0]!
    releaseConnection(a)
    await settle()
    expect(socket.active).toBe(true)
    releaseConnection(b)
    await settle()
    expect(socket.active).toBe(false)
    expect(b.state).toBe('disconnected')
    // A later user gets a fresh connection.
    const c = acquire('http://three.test')
    expect(c).not.toBe(b)
  })

  it('keeps the socket of an element that is released and acquired again at once (a DOM move)', async () => {
    const a = acquireConnection('http://four.test', { createSocket })
    releaseConnection(a)
    const again = acquire('http://four.test')
    await settle()
    expect(again).toBe(a)
    expect(made[0]!.active).toBe(true)
  })
})
