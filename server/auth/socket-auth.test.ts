import { SignJWT } from 'jose'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server, type Socket as ServerSocket } from 'socket.io'
import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { usernameSchema } from '../../shared/index.js'
import { guestEventGuard, socketAuth, type AuthSocketData, type GuestPolicy } from './socket-auth.js'
import { tokenExpiry } from './token-expiry.js'
import { createTokenVerifier, type TokenVerifier } from './token-verifier.js'

const SECRET = 'socket-auth-test-secret-0123456789abcdef'
const nowSec = () => Math.floor(Date.now() / 1000)
const sign = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET))

let verifier: TokenVerifier
let clockOffsetMs = 0
const clients: Socket[] = []
const servers: Server[] = []

beforeAll(async () => {
  verifier = await createTokenVerifier({ secret: SECRET })
})
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect()
  clockOffsetMs = 0
})
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
})

/** A real Socket.IO server with the auth pieces wired the way the hub is meant to wire them. */
async function startServer(options: { verifier?: TokenVerifier; guests: GuestPolicy }): Promise<string> {
  const http = createServer()
  const io = new Server(http)
  servers.push(io)
  io.use(socketAuth({ ...options, checkName: (name) => usernameSchema.safeParse(name).error?.issues[0]?.message }))
  const expiry = options.verifier ? tokenExpiry({ verifier: options.verifier, now: () => Date.now() + clockOffsetMs }) : undefined
  io.on('connection', (socket: ServerSocket) => {
    socket.use(guestEventGuard(socket, options.guests))
    if (expiry) {
      expiry.watch(socket)
      socket.on('refresh-token', expiry.refreshHandler(socket))
    }
    socket.on('whoami', (ack: (data: unknown) => void) => {
      const { userId, username, guest, expiresAt } = socket.data as AuthSocketData
      ack({ userId, username, guest, expiresAt: expiresAt?.toISOString() })
    })
    socket.on('chat-message', (_text: string, ack?: (r: unknown) => void) => ack?.({ ok: true }))
    socket.on('subscribe', (_topic: string, ack?: (r: unknown) => void) => ack?.({ ok: true }))
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`
}

function client(url: string, auth: Record<string, unknown> = {}): Socket {
  const socket = connect(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true })
  clients.push(socket)
  return socket
}

/** Moves the hub's clock ahead so that a token expiring at `exp` has `ms` left by that clock. */
function leaveOnTheHubClock(exp: number, ms: number): void {
  clockOffsetMs = exp * 1000 - Date.now() - ms
}

const connected = (socket: Socket) =>
  new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('connect_error', reject)
  })

const refused = (socket: Socket) =>
  new Promise<{ message: string; data?: { code: string; message: string } }>((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, expected a refusal')))
    socket.once('connect_error', (err) => resolve(err as never))
  })

describe('socketAuth', () => {
  let url: string
  beforeAll(async () => {
    url = await startServer({ verifier, guests: 'read' })
  })

  it('admits a valid token and puts its identity in socket.data', async () => {
    const exp = nowSec() + 600
    const socket = client(url, { token: await sign({ sub: 'u-1', name: 'Alice', exp }) })
    await connected(socket)
    expect(await socket.emitWithAck('whoami')).toEqual({
      userId: 'u-1',
      username: 'Alice',
      guest: false,
      expiresAt: new Date(exp * 1000).toISOString(),
    })
  })

  it('refuses an expired token with a clear connect_error', async () => {
    const err = await refused(client(url, { token: await sign({ sub: 'u', exp: nowSec() - 3600 }) }))
    expect(err.data).toEqual({ code: 'token_expired', message: 'the token has expired' })
    expect(err.message).toBe('the token has expired')
  })

  it('refuses a bad token instead of downgrading it to a guest', async () => {
    for (const token of ['garbage', 12345, { nested: true }]) {
      const err = await refused(client(url, { token }))
      expect(err.data?.code).toBe('token_invalid')
    }
  })

  it('refuses a token whose name is not a valid display name', async () => {
    const err = await refused(client(url, { token: await sign({ sub: 'u', name: 'x'.repeat(41), exp: nowSec() + 60 }) }))
    expect(err.data?.code).toBe('token_invalid')
    expect(err.data?.message).toMatch(/name/)
  })

  it('admits a read-only guest who may listen but not speak', async () => {
    const socket = client(url)
    await connected(socket)
    expect(await socket.emitWithAck('whoami')).toEqual({ guest: true })
    expect(await socket.emitWithAck('subscribe', 'deploys')).toEqual({ ok: true })
    const ack = (await socket.emitWithAck('chat-message', 'hi')) as { ok: boolean; error: { code: string } }
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const hubError = new Promise((resolve) => socket.once('hub-error', resolve))
    socket.emit('join', 'mallory')
    expect(await hubError).toMatchObject({ code: 'forbidden', event: 'join' })
  })

  it('lets a token holder speak', async () => {
    const socket = client(url, { token: await sign({ sub: 'u-2', exp: nowSec() + 60 }) })
    await connected(socket)
    expect(await socket.emitWithAck('chat-message', 'hi')).toEqual({ ok: true })
  })
})

describe('socketAuth guest policies', () => {
  it('off: refuses connections without a token with token_missing', async () => {
    const url = await startServer({ verifier, guests: 'off' })
    const err = await refused(client(url))
    expect(err.data?.code).toBe('token_missing')
  })

  it('chat: lets guests speak', async () => {
    const url = await startServer({ verifier, guests: 'chat' })
    const socket = client(url)
    await connected(socket)
    expect(await socket.emitWithAck('chat-message', 'hi')).toEqual({ ok: true })
  })

  it('no verifier: admits everyone as today, tokens are not looked at', async () => {
    const url = await startServer({ guests: 'off' })
    const socket = client(url, { token: 'ignored' })
    await connected(socket)
    expect(await socket.emitWithAck('whoami')).toEqual({ guest: false })
  })
})

describe('tokenExpiry over a real connection', () => {
  let url: string
  beforeAll(async () => {
    url = await startServer({ verifier, guests: 'read' })
  })

  it('disconnects at expiry after saying why', async () => {
    const exp = nowSec() + 60
    const socket = client(url, { token: await sign({ sub: 'u', exp }) })
    leaveOnTheHubClock(exp, 300)
    const hubError = new Promise((resolve) => socket.once('hub-error', resolve))
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve))
    await connected(socket)
    expect(await hubError).toMatchObject({ code: 'token_expired', event: 'refresh-token' })
    expect(await disconnected).toBe('io server disconnect')
  })

  it('a refresh for the same user moves the deadline', async () => {
    const exp = nowSec() + 60
    const socket = client(url, { token: await sign({ sub: 'u', exp }) })
    leaveOnTheHubClock(exp, 300)
    await connected(socket)
    const started = Date.now()
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve))
    const ack = await socket.timeout(5000).emitWithAck('refresh-token', await sign({ sub: 'u', exp: exp + 2 }))
    expect(ack).toEqual({ ok: true, expiresAt: new Date((exp + 2) * 1000).toISOString() })
    await disconnected
    // The first deadline was 300 ms away; the refreshed one 2.3 s.
    expect(Date.now() - started).toBeGreaterThan(1500)
  })

  it('refuses a refresh for another user, a bad token, and a guest', async () => {
    const socket = client(url, { token: await sign({ sub: 'u', exp: nowSec() + 600 }) })
    await connected(socket)
    expect(await socket.emitWithAck('refresh-token', await sign({ sub: 'other', exp: nowSec() + 600 }))).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(await socket.emitWithAck('refresh-token', 'garbage')).toMatchObject({ ok: false, error: { code: 'token_invalid' } })
    expect(await socket.emitWithAck('refresh-token', await sign({ sub: 'u', exp: nowSec() - 600 }))).toMatchObject({
      ok: false,
      error: { code: 'token_expired' },
    })
    const hubError = new Promise((resolve) => socket.once('hub-error', resolve))
    socket.emit('refresh-token', 'garbage')
    expect(await hubError).toMatchObject({ code: 'token_invalid', event: 'refresh-token' })

    const guest = client(url)
    await connected(guest)
    expect(await guest.emitWithAck('refresh-token', 'x')).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })
})
