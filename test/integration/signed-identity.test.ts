import { SignJWT } from 'jose'
import { io, type Socket } from 'socket.io-client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { collect, nextEvent, postNotify } from '../helpers/clients.js'
import { startHub, type HubProcess } from '../helpers/hub-process.js'

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long'
const AUDIENCE = 'tidings-test'

async function token(claims: { sub: string; name?: string }, options: { expiresIn?: number; secret?: string; audience?: string } = {}) {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ name: claims.name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 600))
    .sign(new TextEncoder().encode(options.secret ?? SECRET))
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
const unsignedToken = (sub: string) =>
  `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 })}.`

const open: Socket[] = []
afterEach(() => {
  for (const socket of open.splice(0)) socket.disconnect()
})

function socketFor(hub: HubProcess, auth: Record<string, unknown>, options: Record<string, unknown> = {}): Socket {
  const socket = io(hub.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth, ...options })
  open.push(socket)
  return socket
}

function connected(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', reject)
  })
}

function refusal(socket: Socket): Promise<{ message: string; code?: string }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, but a refusal was expected')))
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve({ message: err.message, code: err.data?.code }))
  })
}

describe('signed identities (HS256, guests read-only)', () => {
  let hub: HubProcess
  beforeAll(async () => {
    hub = await startHub({ TIDINGS_JWT_SECRET: SECRET, TIDINGS_JWT_AUDIENCE: AUDIENCE, TIDINGS_JWT_CLOCK_TOLERANCE: '0' })
  })
  afterAll(async () => {
    await hub.stop()
  })

  it('says at start that names come from tokens', async () => {
    const line = await hub.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('signed identities'))
    expect(line).toMatchObject({ algorithm: 'HS256', guests: 'read' })
  })

  it.each([
    ['alg none', async () => unsignedToken('alice'), 'token_invalid'],
    ['a bad signature', () => token({ sub: 'alice' }, { secret: 'another-secret-that-is-32-characters-long!' }), 'token_invalid'],
    ['an expired token', () => token({ sub: 'alice' }, { expiresIn: -60 }), 'token_expired'],
    ['a wrong audience', () => token({ sub: 'alice' }, { audience: 'someone-else' }), 'token_audience'],
    ['garbage', async () => 'not.a.jwt', 'token_invalid'],
  ])('refuses %s at the handshake with a clear connect_error', async (_, make, code) => {
    const err = await refusal(socketFor(hub, { token: await make() }))
    expect(err.code).toBe(code)
    expect(err.message.length).toBeGreaterThan(10)
  })

  it('takes the name from the token; join cannot override it', async () => {
    const alice = await connected(socketFor(hub, { token: await token({ sub: 'u-alice', name: 'Alice' }), username: 'Mallory' }))
    const joined = await alice.emitWithAck('join', 'Mallory', 'lobby')
    expect(joined).toEqual({ ok: true, username: 'Alice', room: 'lobby' })
    const message = nextEvent(alice as never, 'chat-message')
    await alice.emitWithAck('chat-message', 'hi', 'lobby')
    expect((await message).username).toBe('Alice')
  })

  it('delivers user notifications (by token subject) only to connections verified as that user', async () => {
    const bob = await connected(socketFor(hub, { token: await token({ sub: 'u-bob', name: 'Bob' }) }))
    const impostor = await connected(socketFor(hub, { username: 'u-bob' }))
    const impostorGot = collect(impostor as never, 'notification')
    const toBob = nextEvent(bob as never, 'notification')
    expect((await postNotify(hub.url, hub.apiKey, { title: 'for bob', user: 'u-bob' })).status).toBe(202)
    expect((await toBob).title).toBe('for bob')
    const marker = nextEvent(impostor as never, 'notification')
    await postNotify(hub.url, hub.apiKey, { title: 'marker' })
    await marker
    expect(impostorGot.map((n: { title: string }) => n.title)).toEqual(['marker'])
  })

  it('lets read-only guests listen but not speak', async () => {
    const guest = await connected(socketFor(hub, {}))
    expect(await guest.emitWithAck('subscribe', 'news')).toMatchObject({ ok: true })
    const refused = await guest.emitWithAck('join', 'guest', 'lobby')
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const got = nextEvent(guest as never, 'notification')
    await postNotify(hub.url, hub.apiKey, { title: 'news!', topic: 'news' })
    expect((await got).title).toBe('news!')
  })

  it('ends a connection when its token expires, unless it was refreshed in time', async () => {
    const short = () => token({ sub: 'u-carol', name: 'Carol' }, { expiresIn: 2 })
    const lapsing = await connected(socketFor(hub, { token: await short() }))
    const refreshed = await connected(socketFor(hub, { token: await short() }))
    const expiredError = nextEvent(lapsing as never, 'hub-error')
    const lapsed = new Promise<string>((resolve) => lapsing.once('disconnect', resolve))
    expect(await refreshed.emitWithAck('refresh-token', await token({ sub: 'u-carol', name: 'Carol' }))).toMatchObject({
      ok: true,
    })
    expect(await expiredError).toMatchObject({ code: 'token_expired' })
    expect(await lapsed).toBe('io server disconnect')
    // Both tokens expired at the same moment: the refreshed connection is still serving.
    expect(await refreshed.emitWithAck('subscribe', 'still-here')).toMatchObject({ ok: true })
    expect(await refreshed.emitWithAck('refresh-token', await token({ sub: 'someone-else' }))).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
  })

  it('checks the token again when a dropped connection recovers', async () => {
    const dave = socketFor(hub, { token: await token({ sub: 'u-dave' }, { expiresIn: 2 }) }, { reconnection: true, reconnectionDelay: 2500, randomizationFactor: 0 })
    await connected(dave)
    const refused = new Promise<{ code?: string }>((resolve) =>
      dave.io.on('reconnect_attempt', () =>
        dave.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve({ code: err.data?.code })),
      ),
    )
    dave.io.engine.close() // a network cut: Socket.IO will try to recover the session after 2.5 s
    expect((await refused).code).toBe('token_expired')
  })
})

describe('signed identities with guests off', () => {
  it('refuses connections without a token', async () => {
    const hub = await startHub({ TIDINGS_JWT_SECRET: SECRET, TIDINGS_GUESTS: 'off' })
    try {
      const err = await refusal(socketFor(hub, {}))
      expect(err.code).toBe('token_missing')
    } finally {
      await hub.stop()
    }
  })
})

describe('open mode', () => {
  it('warns at start that anyone can claim any name', async () => {
    const hub = await startHub()
    try {
      const line = await hub.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('open mode'))
      expect(line.level).toBe(40)
    } finally {
      await hub.stop()
    }
  })
})
