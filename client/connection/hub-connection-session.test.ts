import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Notification } from '../../shared/index.js'
import { HubConnection } from './hub-connection.js'
import { fakeSockets, settle, type FakeSocket } from './testing/fake-socket.js'
import { jwt } from './testing/jwt.js'

const id = (n: number) => String(n).padStart(16, '0')
const notification = (n: number): Notification => ({
  id: id(n),
  title: `n${n}`,
  body: '',
  level: 'info',
  timestamp: '2024-01-01T00:00:00.000Z',
})

function open(): { connection: HubConnection; socket: FakeSocket } {
  const { made, createSocket } = fakeSockets()
  const connection = new HubConnection('http://hub.test', { createSocket })
  return { connection, socket: made[0]! }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('HubConnection catch-up', () => {
  it('delivers each notification once, in id order, to every listener', () => {
    const { connection, socket } = open()
    const seen: string[] = []
    connection.on('notification', (n) => seen.push(n.title))
    for (const n of [1, 2, 2, 1, 3]) socket.fire('notification', notification(n))
    expect(seen).toEqual(['n1', 'n2', 'n3'])
  })

  it('asks to resume from the session cursor, then from the last notification seen', async () => {
    const { connection, socket } = open()
    connection.identify('alice')
    socket.goOnline()
    expect(await socket.auth()).toEqual({ username: 'alice' })
    socket.fire('session', { cursor: id(10) })
    socket.dropConnection()
    expect(await socket.auth()).toEqual({ username: 'alice', since: id(10) })
    // A later session's cursor does not move it: what happened in between was not seen yet.
    socket.fire('session', { cursor: id(20) })
    expect(await socket.auth()).toEqual({ username: 'alice', since: id(10) })
    socket.fire('notification', notification(15))
    expect(await socket.auth()).toEqual({ username: 'alice', since: id(15) })
  })

  it('still re-joins and re-subscribes after a reconnect', async () => {
    const { connection, socket } = open()
    connection.joinRoom('ops', 'bob')
    connection.subscribe('deploys')
    socket.goOnline()
    socket.dropConnection()
    socket.sent.length = 0
    socket.goOnline()
    await settle()
    expect(socket.sentLines()).toEqual(['join bob ops', 'subscribe deploys'])
    expect(await socket.auth()).toEqual({ username: 'bob', topics: ['deploys'] })
  })

  it('re-joins each room with the last chat message id it saw there, or from the start of an empty one', async () => {
    const { connection, socket } = open()
    connection.joinRoom('ops', 'bob')
    connection.joinRoom('quiet', 'bob')
    socket.goOnline()
    socket.fire('chat-history', { room: 'ops', messages: [{ id: id(3), room: 'ops' }] })
    socket.fire('chat-history', { room: 'quiet', messages: [] })
    socket.fire('chat-message', { id: id(7), room: 'ops', username: 'ann', message: 'hi', timestamp: '' })
    socket.dropConnection()
    socket.sent.length = 0
    socket.goOnline()
    await settle()
    expect(socket.sentLines()).toEqual([`join bob ops {"since":"${id(7)}"}`, 'join bob quiet {"since":"0"}'])
  })
})

describe('HubConnection signed identities', () => {
  const future = () => Math.floor(Date.now() / 1000) + 3600

  it('sends the token in the handshake and goes by its name', async () => {
    const { connection, socket } = open()
    const token = jwt({ sub: 'u1', name: 'Alice', exp: future() })
    connection.useToken(token)
    expect(await socket.auth()).toEqual({ token })
    expect(connection.username).toBe('Alice')
  })

  it('asks the provider when there is no token yet', async () => {
    const { connection, socket } = open()
    const token = jwt({ sub: 'u1', exp: future() })
    connection.useToken(undefined, async () => token)
    expect(await socket.auth()).toEqual({ token })
  })

  it('shows unauthorized when the hub refuses the token and nothing can renew it', () => {
    const { connection, socket } = open()
    connection.useToken('bad.token.here')
    socket.refuse('token_invalid')
    expect(connection.state).toBe('unauthorized')
    expect(socket.connectCalls).toBe(0)
  })

  it('gets a fresh token and connects again when the hub refuses one, a few times at most', async () => {
    vi.useFakeTimers()
    const { connection, socket } = open()
    const provider = vi.fn(() => jwt({ sub: 'u1', n: provider.mock.calls.length, exp: future() }))
    connection.useToken(jwt({ sub: 'u1', exp: 1 }), provider)
    socket.refuse('token_expired')
    expect(connection.state).toBe('reconnecting')
    await vi.runOnlyPendingTimersAsync()
    expect(socket.connectCalls).toBe(1)
    const auth = (await socket.auth()) as { token: string }
    expect(provider).toHaveBeenCalled()
    expect(auth.token).toBe(provider.mock.results.at(-1)!.value)

    socket.refuse('token_invalid')
    await vi.runOnlyPendingTimersAsync()
    socket.refuse('token_invalid')
    await vi.runOnlyPendingTimersAsync()
    expect(socket.connectCalls).toBe(3)
    socket.refuse('token_invalid')
    expect(connection.state).toBe('unauthorized')
  })

  it('reconnects with a fresh token after the hub ends an expired session', async () => {
    const { connection, socket } = open()
    const fresh = jwt({ sub: 'u1', n: 1, exp: future() })
    connection.useToken(jwt({ sub: 'u1', exp: future() }), () => fresh)
    socket.goOnline()
    socket.fire('hub-error', { code: 'token_expired', message: 'expired', event: 'refresh-token' })
    socket.serverDisconnect()
    expect(socket.connectCalls).toBe(1)
    expect(connection.state).toBe('reconnecting')
    expect(await socket.auth()).toEqual({ token: fresh })
  })

  it('without a provider, an expired session ends unauthorized', () => {
    const { connection, socket } = open()
    connection.useToken(jwt({ sub: 'u1', exp: future() }))
    socket.goOnline()
    socket.fire('hub-error', { code: 'token_expired', message: 'expired', event: 'refresh-token' })
    socket.serverDisconnect()
    expect(connection.state).toBe('unauthorized')
    expect(socket.connectCalls).toBe(0)
  })

  it('hands the hub a fresh token about 30 s before the current one expires', async () => {
    vi.useFakeTimers()
    const { connection, socket } = open()
    const exp = Math.floor(Date.now() / 1000) + 120
    const fresh = jwt({ sub: 'u1', exp: exp + 3600 })
    connection.useToken(jwt({ sub: 'u1', exp }), () => fresh)
    socket.goOnline()
    await vi.advanceTimersByTimeAsync(80_000)
    expect(socket.sentLines().filter((l) => l.startsWith('refresh-token'))).toEqual([])
    await vi.advanceTimersByTimeAsync(15_000)
    expect(socket.sentLines().filter((l) => l.startsWith('refresh-token'))).toEqual([`refresh-token ${fresh}`])
  })

  it('hands a token set later to the open session', () => {
    const { connection, socket } = open()
    socket.goOnline()
    const token = jwt({ sub: 'u1', exp: future() })
    connection.useToken(token)
    expect(socket.sentLines()).toEqual([`refresh-token ${token}`])
  })
})
