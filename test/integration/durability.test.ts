import { io, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ChatMessage, ClientToServerEvents, Notification, ServerToClientEvents } from '../../shared/index.js'
import { closeAllClients, collect, connectClient, nextEvent, postNotify, request } from '../helpers/clients.js'
import { startHub, type HubProcess } from '../helpers/hub-process.js'

type Client = Socket<ServerToClientEvents, ClientToServerEvents>

// These tests publish hundreds of notifications one request at a time, on purpose: each one is
// acknowledged before the next, which is what the guarantees are about.
vi.setConfig({ testTimeout: 90_000 })

const hubs: HubProcess[] = []
const start = async (env: Record<string, string> = {}) => {
  const hub = await startHub(env)
  hubs.push(hub)
  return hub
}

afterEach(async () => {
  closeAllClients()
  await Promise.all(hubs.splice(0).map((hub) => hub.kill()))
})

/**
 * A client that remembers the last notification id it saw and hands it back as `auth.since`
 * on every reconnection, the way the components do.
 */
function trackingClient(url: string, topics: string[] = []) {
  const received: Notification[] = []
  let since: string | undefined
  const socket: Client = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    auth: (cb) => cb({ since, topics }),
  })
  // `session` (not `connect`) is when the hub has told the client where its stream starts.
  const connected = new Promise<void>((resolve) =>
    socket.on('session', ({ cursor }) => {
      since ??= cursor
      resolve()
    }),
  )
  socket.on('notification', (n) => {
    received.push(n)
    since = n.id
  })
  return { socket, received, connected, lastSeen: () => since }
}

const titles = (ns: Notification[]) => ns.map((n) => n.title)
const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

async function publishAll(hub: HubProcess, list: string[], extra: Record<string, unknown> = {}): Promise<void> {
  for (const title of list) {
    const res = await postNotify(hub.url, hub.apiKey, { title, ...extra })
    expect(res.status).toBe(202)
  }
}

async function waitForCount(received: unknown[], count: number, socket: Client): Promise<void> {
  while (received.length < count) await nextEvent(socket, 'notification')
}

describe('idempotent publishing', () => {
  it('returns the first id for a retried Idempotency-Key and delivers once', async () => {
    const hub = await start()
    const client = await connectClient(hub.url)
    const got = collect(client, 'notification')
    const headers = { 'idempotency-key': 'order-42-shipped' }
    const first = await postNotify(hub.url, hub.apiKey, { title: 'Shipped' }, { headers })
    const retry = await postNotify(hub.url, hub.apiKey, { title: 'Shipped' }, { headers })
    expect(first.status).toBe(202)
    expect(retry.status).toBe(202)
    expect(retry.body.id).toBe(first.body.id)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    const marker = nextEvent(client, 'notification', (n) => n.title === 'marker')
    await postNotify(hub.url, hub.apiKey, { title: 'marker' })
    await marker
    expect(titles(got)).toEqual(['Shipped', 'marker'])
  })

  it('refuses a malformed Idempotency-Key', async () => {
    const hub = await start()
    const res = await postNotify(hub.url, hub.apiKey, { title: 'x' }, { headers: { 'idempotency-key': 'has space' } })
    expect(res.status).toBe(400)
    expect(res.body.error.details[0].path).toBe('Idempotency-Key')
  })
})

describe('chat history', () => {
  it('sends a joiner the room history in order; tutorial-style clients keep working', async () => {
    const hub = await start()
    const author = await connectClient(hub.url)
    await request(author, 'join', 'ann', 'books')
    for (const text of ['one', 'two', 'three']) await request(author, 'chat-message', text, 'books')

    const reader = await connectClient(hub.url)
    const history = nextEvent(reader, 'chat-history')
    await request(reader, 'join', 'ben', 'books')
    const { room, messages } = await history
    expect(room).toBe('books')
    expect(messages.map((m: ChatMessage) => m.message)).toEqual(['one', 'two', 'three'])

    const tutorial = await connectClient(hub.url, { version: '4.5.4' })
    const live = nextEvent(tutorial, 'chat-message')
    tutorial.emit('join', 'tom')
    tutorial.emit('chat-message', 'still fine')
    expect((await live).message).toBe('still fine')
  })
})

describe('restarts lose nothing acknowledged', () => {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`after ${signal}, notifications and chat messages acknowledged before it are all there`, async () => {
      const first = await start()
      const watcher = trackingClient(first.url)
      await watcher.connected
      const cursor = watcher.lastSeen()!
      watcher.socket.disconnect()

      const chatter = await connectClient(first.url)
      await request(chatter, 'join', 'ann', 'ops')
      const chatIds: string[] = []
      for (const text of range(20, 'chat-')) chatIds.push((await request(chatter, 'chat-message', text, 'ops')).id)
      const published = range(200, 'n-')
      await publishAll(first, published)
      if (signal === 'SIGKILL') await first.kill()
      else expect(await first.stop()).toBe(0)

      const second = await start({ PORT: String(first.port), TIDINGS_DB: first.dbPath })
      const client = trackingClient(second.url)
      // Resume from where the first connection started.
      client.socket.auth = { since: cursor }
      client.socket.disconnect().connect()
      await waitForCount(client.received, published.length, client.socket)
      expect(titles(client.received)).toEqual(published)

      const reader = await connectClient(second.url)
      const history = nextEvent(reader, 'chat-history')
      await request(reader, 'join', 'ben', 'ops')
      expect((await history).messages.map((m: ChatMessage) => m.id)).toEqual(chatIds)
      client.socket.disconnect()
    })
  }
})

describe('recovery after disconnects', () => {
  it('a client cut off repeatedly while notifications are published gets each one exactly once, in order', async () => {
    const hub = await start()
    const client = trackingClient(hub.url, ['alerts'])
    await client.connected
    const published = range(300, 'r-')
    const publishing = (async () => {
      for (const [i, title] of published.entries()) {
        await postNotify(hub.url, hub.apiKey, i % 2 ? { title, topic: 'alerts' } : { title })
        // Cut the transport every 25 notifications: the store catch-up from the client's cursor
        // fills the gap. (Not while it is still reopening: socket.io-client only notices a link closed in that
        // state at its 20 s connect timeout.)
        if (i % 25 === 10 && client.socket.connected) client.socket.io.engine.close()
      }
    })()
    await publishing
    await waitForCount(client.received, published.length, client.socket)
    expect(titles(client.received)).toEqual(published)
    client.socket.disconnect()
  })

  it('a reconnection attempt that breaks before it completes does not duplicate what the next one replays', async () => {
    const hub = await start()
    const client = trackingClient(hub.url)
    await client.connected
    await publishAll(hub, ['before'])
    await waitForCount(client.received, 1, client.socket)

    // Cut the link and keep it down while the missed notifications are published.
    client.socket.io.reconnection(false)
    const down = new Promise((resolve) => client.socket.once('disconnect', resolve))
    client.socket.io.engine.close()
    await down
    const missed = range(10, 'm-')
    await publishAll(hub, missed)

    // The next attempt breaks just before the hub's CONNECT answer would be read, as a flaky link
    // does; the one after it (automatic) resumes from the same cursor. Anything the hub sent
    // ahead of CONNECT would sit in the client's buffer across the two attempts.
    client.socket.io.once('open', () => {
      const engine = client.socket.io.engine
      const breakOnConnect = (packet: { type: string; data?: unknown }) => {
        if (packet.type !== 'message' || !String(packet.data).startsWith('0')) return
        engine.off('packet', breakOnConnect)
        engine.close()
      }
      engine.on('packet', breakOnConnect)
    })
    client.socket.io.reconnection(true)
    client.socket.connect()
    await waitForCount(client.received, 1 + missed.length, client.socket)
    await publishAll(hub, ['after'])
    await waitForCount(client.received, 2 + missed.length, client.socket)
    expect(titles(client.received)).toEqual(['before', ...missed, 'after'])
    client.socket.disconnect()
  })

  it('after a gap, the store catch-up fills it exactly once, with only what is for this client', async () => {
    const hub = await start()
    const client = trackingClient(hub.url, ['alerts'])
    await client.connected
    await publishAll(hub, ['before-1', 'before-2'])
    await waitForCount(client.received, 2, client.socket)

    client.socket.disconnect()
    const missed = range(120, 'missed-')
    await publishAll(hub, missed.slice(0, 60))
    await publishAll(hub, missed.slice(60), { topic: 'alerts' })
    await publishAll(hub, ['not-for-me'], { topic: 'other' })
    await publishAll(hub, ['for-someone-else'], { user: 'zed' })
    client.socket.connect()
    await waitForCount(client.received, 2 + missed.length, client.socket)

    const marker = nextEvent(client.socket as never, 'notification', (n: Notification) => n.title === 'live')
    await publishAll(hub, ['live'])
    await marker
    expect(titles(client.received)).toEqual(['before-1', 'before-2', ...missed, 'live'])
    client.socket.disconnect()
  })

  it('a socket publishing during a long catch-up still receives everything once, in order', async () => {
    const hub = await start()
    const client = trackingClient(hub.url)
    await client.connected
    client.socket.disconnect()
    await publishAll(hub, range(700, 'old-'))
    const during = range(50, 'during-')
    client.socket.connect()
    await publishAll(hub, during)
    await waitForCount(client.received, 750, client.socket)
    expect(titles(client.received)).toEqual([...range(700, 'old-'), ...during])
    client.socket.disconnect()
  })
})
