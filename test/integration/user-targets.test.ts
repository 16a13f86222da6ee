import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { connectClient, nextEvent, postNotify, request } from '../helpers/clients.js'
import { useHub } from '../helpers/use-hub.js'

const SECRET = 'user-targets-test-secret-0123456789ab'

const tokenFor = (sub: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET))

describe('user targets shaped like real token subjects', () => {
  const hub = useHub({ TIDINGS_JWT_SECRET: SECRET })

  it.each([
    ['an email', 'alice.martin-dupont+notifications@mail.example.com'],
    ['a URN', `urn:example:tenant:4a7c9e:user:${'0f8fad5b-d9cb-469f-a165-70867728950e'.repeat(6)}`],
  ])('reaches the connection whose token has %s as sub, and its inbox', async (_, sub) => {
    expect(sub.length).toBeGreaterThan(40)
    const user = await connectClient(hub.url, { auth: { token: await tokenFor(sub) } })
    const delivered = nextEvent(user, 'notification')
    const res = await postNotify(hub.url, hub.apiKey, { title: 'Your export is ready', user: sub })
    expect(res.status).toBe(202)
    expect(res.body.target).toEqual({ kind: 'user', user: sub })
    expect(await delivered).toMatchObject({ id: res.body.id, user: sub })
    expect(await request(user, 'inbox', {})).toMatchObject({ ok: true, unread: 1 })
  })
})
