import { describe, expect, it } from 'vitest'
import { DEFAULT_ROOM } from '../../shared/index.js'
import { collect, connectClient, nextEvent, request } from '../helpers/clients.js'
import { useHub } from '../helpers/use-hub.js'

describe('chat rooms', () => {
  const hub = useHub()

  it('delivers a message only to the members of its room', async () => {
    const alice = await connectClient(hub.url)
    const bob = await connectClient(hub.url)
    const tutorial = await connectClient(hub.url)
    expect(await request(alice, 'join', 'alice', 'support')).toEqual({ ok: true, username: 'alice', room: 'support' })
    await request(bob, 'join', 'bob', 'support')
    expect(await request(tutorial, 'join', 'tom')).toEqual({ ok: true, username: 'tom', room: DEFAULT_ROOM })
    const tutorialGot = collect(tutorial, 'chat-message')

    const toBob = nextEvent(bob, 'chat-message')
    const ack = await request(alice, 'chat-message', 'need help', 'support')
    expect(ack).toEqual({ ok: true, id: expect.any(String) })
    expect(await toBob).toMatchObject({ id: ack.id, room: 'support', username: 'alice', message: 'need help' })

    const inGeneral = nextEvent(tutorial, 'chat-message')
    tutorial.emit('chat-message', 'hello general')
    expect((await inGeneral).room).toBe(DEFAULT_ROOM)
    expect(tutorialGot.map((m) => m.message)).toEqual(['hello general'])
  })

  it('refuses posting to a room not joined, with an ack or a hub-error event', async () => {
    const client = await connectClient(hub.url)
    const withAck = await request(client, 'chat-message', 'hi')
    expect(withAck).toEqual({ ok: false, error: { code: 'not_joined', message: expect.stringContaining(DEFAULT_ROOM) } })

    await request(client, 'join', 'zoe', 'a')
    const errorEvent = nextEvent(client, 'hub-error')
    client.emit('chat-message', 'hi', 'b')
    expect(await errorEvent).toMatchObject({ code: 'not_joined', event: 'chat-message' })
  })

  it('tells room members when a distinct user enters and leaves', async () => {
    const watcher = await connectClient(hub.url)
    await request(watcher, 'join', 'watcher', 'lounge')
    const entered = nextEvent(watcher, 'room-joined', (c) => c.username === 'ann')
    const ann = await connectClient(hub.url)
    await request(ann, 'join', 'ann', 'lounge')
    expect(await entered).toEqual({ room: 'lounge', username: 'ann', memberCount: 2 })

    const left = nextEvent(watcher, 'room-left')
    expect(await request(ann, 'leave', 'lounge')).toEqual({ ok: true })
    expect(await left).toEqual({ room: 'lounge', username: 'ann', memberCount: 1 })

    const annNoLongerGets = collect(ann, 'chat-message')
    const watcherGets = nextEvent(watcher, 'chat-message')
    await request(watcher, 'chat-message', 'anyone?', 'lounge')
    await watcherGets
    expect(annNoLongerGets).toEqual([])
  })

  it('renaming with a second join updates presence and room membership', async () => {
    const watcher = await connectClient(hub.url)
    await request(watcher, 'join', 'w2', 'den')
    const client = await connectClient(hub.url)
    await request(client, 'join', 'oldname', 'den')
    const gone = nextEvent(watcher, 'user-left', (c) => c.username === 'oldname')
    const arrived = nextEvent(watcher, 'room-joined', (c) => c.username === 'newname')
    await request(client, 'join', 'newname', 'den')
    await gone
    expect(await arrived).toMatchObject({ room: 'den', memberCount: 2 })
    const msg = nextEvent(watcher, 'chat-message')
    await request(client, 'chat-message', 'renamed', 'den')
    expect((await msg).username).toBe('newname')
  })

  it('sends the current user count to each new connection', async () => {
    const a = await connectClient(hub.url, { auth: { username: 'counted-1' } })
    await connectClient(hub.url, { auth: { username: 'counted-2' } })
    await request(a, 'identify', 'counted-1') // a round trip: both identities are registered
    const { io } = await import('socket.io-client')
    const socket = io(hub.url, { transports: ['websocket'], forceNew: true })
    const snapshot = await new Promise<{ userCount: number }>((resolve) => socket.once('presence', resolve))
    socket.disconnect()
    expect(snapshot.userCount).toBeGreaterThanOrEqual(2)
  })

  it('refuses invalid arguments with a message naming them', async () => {
    const client = await connectClient(hub.url)
    const res = await request(client, 'join', '', 'bad room!')
    expect(res.ok).toBe(false)
    expect(res.error.code).toBe('invalid_request')
    expect(res.error.details.map((d: { path: string }) => d.path)).toEqual(['username', 'room'])
    expect((await request(client, 'subscribe', 42)).error.message).toContain('topic')
  })

  it('refuses a handshake with an invalid username with a clear connect_error', async () => {
    const err = await connectClient(hub.url, { auth: { username: 'x'.repeat(100) } }).catch((e: Error) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toContain('auth.username')
  })
})
