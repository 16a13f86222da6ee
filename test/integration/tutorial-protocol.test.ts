import { describe, expect, it } from 'vitest'
import { collect, connectClient, nextEvent, request, type ClientVersion } from '../helpers/clients.js'
import { useHub } from '../helpers/use-hub.js'

// The tutorial's clients use socket.io-client 4.5.4 from a CDN; both it and today's client
// must work against the hub with the tutorial's exact event shapes.
describe.each<ClientVersion>(['4.5.4', 'latest'])('the tutorial protocol with socket.io-client %s', (version) => {
  const hub = useHub()

  it('greets each connection with welcome and echoes message to everyone', async () => {
    const welcomed = async () => {
      const { io } = (version === '4.5.4' ? await import('socket.io-client-454') : await import('socket.io-client')) as typeof import('socket.io-client')
      const socket = io(hub.url, { transports: ['websocket'], forceNew: true })
      const greeting = await new Promise<string>((resolve) => socket.once('welcome', resolve))
      return { socket, greeting }
    }
    const a = await welcomed()
    const b = await welcomed()
    expect(a.greeting).toMatch(/welcome/i)
    const echoedToB = new Promise<string>((resolve) => b.socket.once('message', resolve))
    const echoedToA = new Promise<string>((resolve) => a.socket.once('message', resolve))
    a.socket.emit('message', 'bonjour')
    expect(await echoedToB).toBe('bonjour')
    expect(await echoedToA).toBe('bonjour')
    a.socket.disconnect()
    b.socket.disconnect()
  })

  it('announces join, relays chat-message with username and ISO timestamp, announces leave', async () => {
    const alice = await connectClient(hub.url, { version })
    const bob = await connectClient(hub.url, { version })

    const aliceSeesHerself = nextEvent(alice, 'user-joined', (p) => p.username === 'alice')
    alice.emit('join', 'alice')
    expect(await aliceSeesHerself).toEqual({ username: 'alice', userCount: 1 })

    const aliceSeesBob = nextEvent(alice, 'user-joined', (p) => p.username === 'bob')
    bob.emit('join', 'bob')
    expect(await aliceSeesBob).toEqual({ username: 'bob', userCount: 2 })

    const bobGets = nextEvent(bob, 'chat-message')
    const aliceGets = nextEvent(alice, 'chat-message')
    const before = Date.now()
    alice.emit('chat-message', 'Salut tout le monde')
    const received = await bobGets
    expect(received).toMatchObject({ username: 'alice', message: 'Salut tout le monde' })
    expect(new Date(received.timestamp).toISOString()).toBe(received.timestamp)
    expect(Date.parse(received.timestamp)).toBeGreaterThanOrEqual(before - 1000)
    expect(await aliceGets).toEqual(received)

    const bobSeesLeave = nextEvent(bob, 'user-left')
    alice.disconnect()
    expect(await bobSeesLeave).toEqual({ username: 'alice', userCount: 1 })
  })

  it('counts two tabs of one name as one user and says user-left only when the last closes', async () => {
    const watcher = await connectClient(hub.url, { version })
    const joined = collect(watcher, 'user-joined')
    const left = collect(watcher, 'user-left')
    const tab1 = await connectClient(hub.url, { version })
    const tab2 = await connectClient(hub.url, { version })

    const first = nextEvent(watcher, 'user-joined', (p) => p.username === 'carol')
    tab1.emit('join', 'carol')
    expect((await first).userCount).toBe(1)
    // The second tab's join is acknowledged before any broadcast it could cause, so once the
    // ack is back we know whether a second user-joined was sent.
    await request(tab2, 'join', 'carol')
    const dave = nextEvent(watcher, 'user-joined', (p) => p.username === 'dave')
    watcher.emit('join', 'dave')
    expect((await dave).userCount).toBe(2)
    expect(joined.filter((p) => p.username === 'carol')).toHaveLength(1)

    tab1.disconnect()
    // Closing the first tab must not announce carol's departure: prove it with a later event.
    const marker = await connectClient(hub.url, { version })
    const eve = nextEvent(watcher, 'user-joined', (p) => p.username === 'eve')
    marker.emit('join', 'eve')
    expect((await eve).userCount).toBe(3)
    expect(left).toEqual([])

    const carolLeft = nextEvent(watcher, 'user-left', (p) => p.username === 'carol')
    tab2.disconnect()
    expect(await carolLeft).toEqual({ username: 'carol', userCount: 2 })
  })
})
