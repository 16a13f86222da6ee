import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { connectClient, request } from '../helpers/clients.js'
import { useHub } from '../helpers/use-hub.js'

const SECRET = 'wiring-test-secret-0123456789abcdef'

// The hub as createHub wires it: each guard answers through the real stack, in order.
describe('the socket protections createHub wires', () => {
  const hub = useHub({ TIDINGS_JWT_SECRET: SECRET, TIDINGS_CONNECTIONS_PER_IP: '2', TIDINGS_EVENT_RATE: '3', TIDINGS_EVENT_RATE_WINDOW: '60' })

  it('guest policy, event budget, token verification and per-address connections', async () => {
    const guest = await connectClient(hub.url)
    expect(await request(guest, 'subscribe', 'news')).toEqual({ ok: true, topic: 'news' })
    // A read-only guest may not speak; the refusal still counts against its event budget.
    expect(await request(guest, 'chat-message', 'hi')).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await request(guest, 'subscribe', 'more')).toMatchObject({ ok: true })
    expect(await request(guest, 'subscribe', 'again')).toMatchObject({ ok: false, error: { code: 'rate_limited' } })

    const token = await new SignJWT({ name: 'Alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET))
    const alice = await connectClient(hub.url, { auth: { token } })
    expect(await request(alice, 'join', 'someone-else', 'lobby')).toMatchObject({ ok: true, username: 'Alice' })
    // Two connections from this address are open: a third is refused at the engine.
    await expect(connectClient(hub.url)).rejects.toThrow()
  })
})
