import { SignJWT } from 'jose'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ChatMessage, ClientToServerEvents, Notification, ServerToClientEvents } from '../../shared/index.js'
import { createTokenVerifier } from '../../server/auth/token-verifier.js'
import { loadConfig } from '../../server/config.js'
import { createHub, type Hub } from '../../server/hub.js'
import { createLogger } from '../../server/logger.js'
import { postNotify } from '../helpers/clients.js'
import { TEST_HUB_ENV } from '../helpers/hub-process.js'

type Client = Socket<ServerToClientEvents, ClientToServerEvents>

vi.setConfig({ testTimeout: 60_000 })

const API_KEY = 'recovery-key-0123456789abcdef'
const SECRET = 'a-test-secret-that-is-at-least-32-characters-long'
const AUDIENCE = 'tidings-test'

interface RunningHub {
  hub: Hub
  url: string
}

const running: { hub: Hub; dir: string }[] = []
const sockets: Client[] = []

/** The hub from source, in this process, on an ephemeral port, with its own SQLite file. */
async function startHub(env: Record<string, string> = {}): Promise<RunningHub> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-recovery-'))
  const config = loadConfig({ ...TEST_HUB_ENV, TIDINGS_API_KEY: API_KEY, TIDINGS_DB: join(dir, 'hub.db'), ...env })
  const verifier = config.jwt ? await createTokenVerifier(config.jwt) : undefined
  const hub = createHub(config, createLogger('silent'), verifier)
  const { port } = await hub.listen()
  running.push({ hub, dir })
  return { hub, url: `http://127.0.0.1:${port}` }
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect()
  for (const { hub, dir } of running.splice(0)) {
    await hub.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

function client(url: string, auth: Record<string, unknown>, options: { reconnection?: boolean } = {}): Client {
  const socket: Client = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: options.reconnection ?? false,
    reconnectionDelay: 20,
    reconnectionDelayMax: 50,
    auth,
  })
  sockets.push(socket)
  return socket
}

const connected = (socket: Client): Promise<Client> =>
  new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', reject)
  })

const next = <E extends keyof ServerToClientEvents>(
  socket: Client,
  event: E,
  filter: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
): Promise<Parameters<ServerToClientEvents[E]>[0]> =>
  new Promise((resolve) => {
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!filter(payload)) return
      socket.off(event, listener as never)
      resolve(payload)
    }
    socket.on(event, listener as never)
  })

const publish = async (url: string, body: Record<string, unknown>): Promise<string> => {
  const res = await postNotify(url, API_KEY, body)
  expect(res.status).toBe(202)
  return res.body.id as string
}

async function token(sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ name: sub })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(SECRET))
}

describe('identity is proved by every connection on its own', () => {
  for (const [label, nextAuth] of [
    ['another user’s token', async () => ({ token: await token('mallory') })],
    ['no token', async () => ({})],
  ] as const) {
    it(`a socket reconnecting with ${label} gets none of the first user's notifications or rooms`, async () => {
      const { url } = await startHub({ TIDINGS_JWT_SECRET: SECRET, TIDINGS_JWT_AUDIENCE: AUDIENCE, TIDINGS_GUESTS: 'read' })
      const socket = await connected(client(url, { token: await token('alice') }, { reconnection: true }))
      expect(await socket.emitWithAck('join', 'alice', 'private')).toMatchObject({ ok: true })
      const author = await connected(client(url, { token: await token('bob') }))
      expect(await author.emitWithAck('join', 'bob', 'private')).toMatchObject({ ok: true })

      // Same client, link cut; it reconnects with what the page now has.
      socket.auth = await nextAuth()
      const reconnected = new Promise((resolve) => socket.io.once('reconnect', resolve))
      socket.io.engine.close()
      await reconnected

      const got: string[] = []
      socket.on('notification', (n) => got.push(n.title))
      socket.on('chat-message', (m) => got.push(`chat:${m.message}`))
      await publish(url, { title: 'for alice', user: 'alice' })
      await author.emitWithAck('chat-message', 'private words', 'private')
      const marker = next(socket, 'notification', (n) => n.title === 'marker')
      await publish(url, { title: 'marker' })
      await marker
      expect(got).toEqual(['marker'])
    })
  }
})

describe('cursors', () => {
  it('refuses a cursor the hub never sent with invalid_cursor; "0" replays everything kept', async () => {
    const { url } = await startHub()
    await publish(url, { title: 'first' })
    await publish(url, { title: 'second' })

    for (const since of ['lx2k9a000000abcdefg', '12', 'x'.repeat(16)]) {
      const err = await connected(client(url, { since })).then(
        () => undefined,
        (e: Error & { data?: { code?: string } }) => e,
      )
      expect(err?.data?.code).toBe('invalid_cursor')
    }
    const socket = client(url, { since: '0' })
    const got: string[] = []
    socket.on('notification', (n) => got.push(n.title))
    const session = next(socket, 'session')
    const second = next(socket, 'notification', (n) => n.title === 'second')
    await connected(socket)
    await second
    expect(got).toEqual(['first', 'second'])
    expect(await session).toEqual({ cursor: expect.stringMatching(/^\d{16}$/) })
  })

  it('a room re-joined with {since} gets the messages it missed, once, in order, before live ones', async () => {
    const { hub, url } = await startHub()
    const author = await connected(client(url, {}))
    await author.emitWithAck('join', 'ann', 'ops')
    const seen = await author.emitWithAck('chat-message', 'seen', 'ops')

    // More than a page of messages, committed (as by another hub process) while the reader joins.
    const missed = Array.from({ length: 450 }, (_, i) => `m${i}`)
    const sending = (async () => {
      for (let i = 0; i < missed.length; i += 50) {
        const batch = missed.slice(i, i + 50)
        await Promise.all(
          batch.map((message) => hub.store.appendChatMessage({ room: 'ops', username: 'ann', message, timestamp: new Date().toISOString() })),
        )
      }
    })()
    const reader = await connected(client(url, {}))
    const got: ChatMessage[] = []
    reader.on('chat-message', (m) => got.push(m))
    const histories: unknown[] = []
    reader.on('chat-history', (h) => histories.push(h))
    expect(await reader.emitWithAck('join', 'ben', 'ops', { since: seen.ok ? seen.id : '' })).toMatchObject({ ok: true })
    await sending
    const live = next(reader, 'chat-message', (m) => m.message === 'live')
    await author.emitWithAck('chat-message', 'live', 'ops')
    await live

    expect(got.map((m) => m.message)).toEqual([...missed, 'live'])
    expect(got.map((m) => m.id)).toEqual(got.map((m) => m.id).toSorted())
    expect(histories).toEqual([])
  })
})

describe('catch-up is paged and leaves the hub responsive', () => {
  it('20 000 missed notifications arrive once each, in order, while another client is answered meanwhile', async () => {
    const { hub, url } = await startHub()
    const watcher = client(url, {})
    const session = next(watcher, 'session')
    await connected(watcher)
    const { cursor } = await session
    watcher.disconnect()
    const total = 20_000
    const drafts = Array.from({ length: total }, (_, i) => ({
      title: `n${i}`,
      body: '',
      level: 'info' as const,
      timestamp: new Date().toISOString(),
    }))
    for (let i = 0; i < total; i += 1000) await Promise.all(drafts.slice(i, i + 1000).map((d) => hub.store.appendNotification(d)))

    // What the hub had handed the away client's connection when it served the other request:
    // a catch-up that held the event loop would have handed it everything first.
    let packetsToAway = 0
    let packetsWhenServed: number | undefined
    hub.io.on('connection', (socket) => {
      if (socket.handshake.auth.since !== cursor) return
      socket.conn.on('packetCreate', ({ type }: { type: string }) => void (type === 'message' && packetsToAway++))
    })
    hub.bus.on('topic:subscribed', () => void (packetsWhenServed ??= packetsToAway))

    const other = await connected(client(url, {}))
    const away = client(url, { since: cursor })
    const received: Notification[] = []
    let receivedWhenAnswered: number | undefined
    const done = new Promise<void>((resolve) =>
      away.on('notification', (n) => {
        received.push(n)
        // Once the catch-up is under way, another client asks something of the hub.
        if (received.length === 1) {
          void other.emitWithAck('subscribe', 'news').then(() => (receivedWhenAnswered = received.length))
        }
        if (received.length === total) resolve()
      }),
    )
    await connected(away)
    await done

    expect(packetsWhenServed).toBeDefined()
    expect(packetsWhenServed!).toBeLessThan(total)
    expect(receivedWhenAnswered).toBeDefined()
    expect(receivedWhenAnswered!).toBeLessThan(total)
    const titles = received.map((n) => n.title)
    expect(titles).toEqual(drafts.map((d) => d.title))
    expect(new Set(received.map((n) => n.id)).size).toBe(total)
  })
})

describe('the wire carries the tutorial’s arguments only', () => {
  it('every server event frame is the event name and one payload', async () => {
    // User targets on: the inbox events (`inbox-unread`) are among the frames checked.
    const { url } = await startHub({ TIDINGS_OPEN_USER_TARGETS: 'true' })
    await publish(url, { title: 'missed' })
    const socket = client(url, { username: 'ann', since: '0', topics: ['deploys'] })
    const frames: unknown[][] = []
    const watchFrames = () =>
      socket.io.engine.on('packet', ({ type, data }: { type: string; data?: unknown }) => {
        // Socket.IO packets ride in Engine.IO "message" packets; "2" is an EVENT (no ack id here).
        if (type === 'message' && typeof data === 'string' && data.startsWith('2')) frames.push(JSON.parse(data.slice(1)))
      })
    socket.io.on('open', watchFrames)
    const live = next(socket, 'notification', (n) => n.title === 'live')
    await connected(socket)
    await socket.emitWithAck('join', 'ann', 'ops')
    await socket.emitWithAck('chat-message', 'hello', 'ops')
    socket.emit('message', 'echo me')
    socket.emit('leave', 'not a room name!')
    const other = await connected(client(url, {}))
    await other.emitWithAck('join', 'ben', 'ops')
    await other.emitWithAck('leave', 'ops')
    other.disconnect()
    await next(socket, 'user-left')
    await publish(url, { title: 'live', topic: 'deploys' })
    await live

    const names = new Set(frames.map((frame) => frame[0]))
    for (const event of [
      'session',
      'welcome',
      'presence',
      'user-joined',
      'user-left',
      'inbox-unread',
      'notification',
      'room-joined',
      'room-left',
      'chat-history',
      'chat-message',
      'message',
      'hub-error',
    ]) {
      expect(names).toContain(event)
    }
    for (const frame of frames) expect(frame, JSON.stringify(frame)).toHaveLength(2)
  })
})
