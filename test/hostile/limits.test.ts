import { SignJWT } from 'jose'
import { io as connect, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startHub, TEST_API_KEY, type HubProcess } from '../helpers/hub-process.js'
import { HOSTILE_ENV, notify, openControl, openRaw, type Control } from './support.js'

const hubs: HubProcess[] = []
const controls: Control[] = []
const sockets: Socket[] = []

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect()
  for (const control of controls.splice(0)) control.close()
  await Promise.all(hubs.splice(0).map((hub) => hub.stop()))
})

async function hubWith(env: Record<string, string>): Promise<{ hub: HubProcess; control: Control }> {
  const hub = await startHub({ ...HOSTILE_ENV, ...env })
  hubs.push(hub)
  const control = await openControl(hub)
  controls.push(control)
  await control.mark()
  return { hub, control }
}

async function client(hub: HubProcess): Promise<Socket> {
  const socket = connect(hub.url, { transports: ['websocket'], reconnection: false, forceNew: true })
  sockets.push(socket)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
  return socket
}

describe('per-connection event budget (defaults)', () => {
  it('refuses a flood with rate_limited, then disconnects it; neighbours are unaffected', async () => {
    const { hub, control } = await hubWith({})
    const flooder = await client(hub)
    const neighbour = await client(hub)
    await neighbour.emitWithAck('join', 'neighbour')
    const refusals: string[] = []
    flooder.on('hub-error', (e: { code: string }) => refusals.push(e.code))
    const disconnected = new Promise<string>((resolve) => flooder.once('disconnect', resolve))

    for (let i = 0; i < 1000; i++) flooder.emit('subscribe', `t${i}`)
    expect(await disconnected).toBe('io server disconnect')
    expect(refusals.length).toBeGreaterThan(0)
    expect(new Set(refusals)).toEqual(new Set(['rate_limited']))

    const echoed = new Promise<unknown>((resolve) => neighbour.once('chat-message', resolve))
    expect(await neighbour.emitWithAck('chat-message', 'still here')).toMatchObject({ ok: true })
    expect(await echoed).toMatchObject({ message: 'still here' })
    await control.assertServing()
  })

  it('answers an over-budget event with an error ack, without disconnecting a modest excess', async () => {
    const { hub, control } = await hubWith({ TIDINGS_EVENT_RATE: '5', TIDINGS_EVENT_RATE_WINDOW: '60' })
    const socket = await client(hub)
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => socket.emitWithAck('subscribe', `t${i}`)))
    expect(answers.filter((a) => a.ok)).toHaveLength(5)
    expect(answers.filter((a) => !a.ok).map((a) => a.error.code)).toEqual(['rate_limited', 'rate_limited', 'rate_limited'])
    expect(socket.connected).toBe(true)
    await control.assertServing()
  })
})

describe('POST /notify limits', () => {
  it('limits each key, answering 429 with RateLimit and Retry-After headers', async () => {
    const second = 'second-key-0123456789'
    const { hub, control } = await hubWith({
      TIDINGS_NOTIFY_RATE: '3',
      TIDINGS_NOTIFY_RATE_WINDOW: '60',
      TIDINGS_API_KEY: `${TEST_API_KEY},${second}`,
    })
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 4; i++) {
      last = await notify(hub, { title: `n${i}` }, { authorization: `Bearer ${TEST_API_KEY}` })
      statuses.push(last.status)
    }
    expect(statuses).toEqual([202, 202, 202, 429])
    expect((await last!.json()).error.code).toBe('rate_limited')
    expect(last!.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(last!.headers.get('ratelimit-limit')).toBe('3')
    expect(last!.headers.get('ratelimit-remaining')).toBe('0')
    // Another key has its own budget (the control publishes with it).
    expect((await notify(hub, { title: 'other key' }, { authorization: `Bearer ${second}` })).status).toBe(202)
  })

})

describe('failed authentications', () => {
  const secret = 'limits-test-secret-0123456789abcdef'
  const tokenFor = (sub: string, key = secret) =>
    new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('5m').sign(new TextEncoder().encode(key))
  const handshake = (hub: HubProcess, token: string) =>
    new Promise<string>((resolve) => {
      const socket = connect(hub.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } })
      sockets.push(socket)
      socket.once('connect', () => resolve('connected'))
      socket.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve(err.data?.code ?? err.message))
    })

  it('never refuse a valid key or token for failures from the same address; HTTP and handshakes count apart', async () => {
    const { hub, control } = await hubWith({
      TIDINGS_AUTH_FAILURES: '3',
      TIDINGS_AUTH_FAILURE_WINDOW: '60',
      TIDINGS_JWT_SECRET: secret,
    })
    const bad = { authorization: 'Bearer guess-guess-guess-1' }
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await notify(hub, { title: 'x' }, bad)).status)
    expect(statuses).toEqual([401, 401, 401, 429])
    const limited = await notify(hub, { title: 'x' }, bad)
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    expect((await limited.json()).error.code).toBe('rate_limited')
    // A publisher with a valid key behind the same address is served.
    expect((await notify(hub, { title: 'valid key' })).status).toBe(202)

    // Handshakes have a budget of their own: the publisher's failures did not use it.
    const forged = await tokenFor('mallory', 'another-secret-that-is-long-enough-0123')
    const outcomes: string[] = []
    for (let i = 0; i < 4; i++) outcomes.push(await handshake(hub, forged))
    expect(outcomes).toEqual(['token_invalid', 'token_invalid', 'token_invalid', 'rate_limited'])
    // A valid token from the same address is admitted all the same.
    expect(await handshake(hub, await tokenFor('alice'))).toBe('connected')
    expect((await notify(hub, { title: 'still valid' })).status).toBe(202)
    await control.assertServing()
  })
})

describe('connection limits', () => {
  it('refuses connections past the per-address limit and frees the slot on close', async () => {
    const { hub } = await hubWith({ TIDINGS_CONNECTIONS_PER_IP: '3' }) // the control holds one
    const a = await client(hub)
    await client(hub)
    await expect(client(hub)).rejects.toThrow()
    a.disconnect()
    // The slot comes back once the hub has seen the close; poll by connecting.
    let admitted: Socket | undefined
    while (!admitted) admitted = await client(hub).catch(() => undefined)
    expect(admitted.connected).toBe(true)
  })

  it('closes a connection that sends a message over TIDINGS_MAX_MESSAGE_BYTES', async () => {
    const { hub, control } = await hubWith({ TIDINGS_MAX_MESSAGE_BYTES: '2048' })
    const raw = await openRaw(hub)
    raw.ws.send(`42["message","${'x'.repeat(4096)}"]`)
    await raw.closed
    await control.assertServing()
  })
})

describe('slow consumers', () => {
  it('cuts off a client that stops reading during a large broadcast, instead of buffering for it', async () => {
    const { hub, control } = await hubWith({ TIDINGS_MAX_BUFFERED_BYTES: String(64 * 1024) })
    // A long-polling client that stops polling: everything sent to it waits in the hub's memory.
    // (Over WebSocket the same cap applies, but the kernel's socket buffers on loopback absorb
    // tens of megabytes first, which would make this test slow rather than better.)
    const base = `${hub.url}/socket.io/?EIO=4&transport=polling`
    const open = await (await fetch(base)).text()
    const sid = JSON.parse(open.slice(open.indexOf('{'))).sid as string
    await fetch(`${base}&sid=${sid}`, { method: 'POST', body: '40' })
    expect(await (await fetch(`${base}&sid=${sid}`)).text()).toMatch(/^40/)

    const cutOff = hub.waitForLog((line) => line.msg === 'slow consumer disconnected')
    let seen = false
    void cutOff.then(() => (seen = true))
    const body = 'b'.repeat(2000)
    const data = { blob: 'd'.repeat(3500) }
    // Bounded: 200 notifications of about 6 KB, three times the cap.
    for (let i = 0; i < 200 && !seen; i++) expect((await notify(hub, { title: `big ${i}`, body, data })).status).toBe(202)
    const line = await cutOff
    expect(line.bufferedBytes as number).toBeGreaterThan(64 * 1024)
    expect(line.bufferedBytes as number).toBeLessThan(64 * 1024 + 8 * 1024) // cut at the first packet over
    // The session is gone: polling it again is refused.
    expect((await fetch(`${base}&sid=${sid}`)).status).toBe(400)
    await control.assertServing()
  })
})
