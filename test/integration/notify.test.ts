import { describe, expect, it } from 'vitest'
import { collect, connectClient, nextEvent, postNotify, request } from '../helpers/clients.js'
import { useHub } from '../helpers/use-hub.js'

describe('POST /notify', () => {
  // Open mode with user targets on, as on a trusted network (open-mode.test.ts covers the default).
  const hub = useHub({ TIDINGS_OPEN_USER_TARGETS: 'true' })

  it('delivers a notification without target to every connection, with defaults filled in', async () => {
    const anonymous = await connectClient(hub.url)
    const named = await connectClient(hub.url, { auth: { username: 'alice' } })
    const toAnonymous = nextEvent(anonymous, 'notification')
    const toNamed = nextEvent(named, 'notification')

    const res = await postNotify(hub.url, hub.apiKey, { title: 'Deploy finished', data: { build: 42 } })

    expect(res.status).toBe(202)
    expect(res.body).toMatchObject({ id: expect.any(String), target: { kind: 'everyone' } })
    const delivered = await toAnonymous
    expect(delivered).toEqual({
      id: res.body.id,
      title: 'Deploy finished',
      body: '',
      level: 'info',
      timestamp: res.body.timestamp,
      data: { build: 42 },
    })
    expect(await toNamed).toEqual(delivered)
  })

  it('delivers to a topic only the connections subscribed to it, until they unsubscribe', async () => {
    const subscriber = await connectClient(hub.url)
    const bystander = await connectClient(hub.url)
    const bystanderGot = collect(bystander, 'notification')
    expect(await request(subscriber, 'subscribe', 'deploys')).toEqual({ ok: true, topic: 'deploys' })

    const first = nextEvent(subscriber, 'notification')
    const accepted = await postNotify(hub.url, hub.apiKey, { title: 'v2 live', topic: 'deploys', level: 'success' })
    expect(accepted.body.target).toEqual({ kind: 'topic', topic: 'deploys' })
    expect(await first).toMatchObject({ title: 'v2 live', topic: 'deploys', level: 'success' })

    expect(await request(subscriber, 'unsubscribe', 'deploys')).toEqual({ ok: true, topic: 'deploys' })
    const marker = nextEvent(subscriber, 'notification')
    const bystanderMarker = nextEvent(bystander, 'notification', (n) => n.title === 'marker')
    await postNotify(hub.url, hub.apiKey, { title: 'v3 live', topic: 'deploys' })
    await postNotify(hub.url, hub.apiKey, { title: 'marker' })
    // Broadcasts and topic posts travel in order on one connection: the marker arriving first
    // proves the unsubscribed topic post was not delivered. (Each connection is checked on its
    // own: two connections are not ordered relative to each other.)
    expect((await marker).title).toBe('marker')
    await bystanderMarker
    expect(bystanderGot.map((n) => n.title)).toEqual(['marker'])
  })

  it('delivers to a user every connection of that user, named by handshake or by join', async () => {
    const byHandshake = await connectClient(hub.url, { auth: { username: 'bob' } })
    const byJoin = await connectClient(hub.url)
    await request(byJoin, 'join', 'bob')
    const byIdentify = await connectClient(hub.url)
    await request(byIdentify, 'identify', 'bob')
    const someoneElse = await connectClient(hub.url, { auth: { username: 'carol' } })
    const carolGot = collect(someoneElse, 'notification')

    const got = [byHandshake, byJoin, byIdentify].map((s) => nextEvent(s, 'notification'))
    const res = await postNotify(hub.url, hub.apiKey, { title: 'Your export is ready', user: 'bob' })
    expect(res.body.target).toEqual({ kind: 'user', user: 'bob' })
    for (const n of await Promise.all(got)) expect(n).toMatchObject({ title: 'Your export is ready', user: 'bob' })

    const marker = nextEvent(someoneElse, 'notification')
    await postNotify(hub.url, hub.apiKey, { title: 'marker' })
    await marker
    expect(carolGot.map((n) => n.title)).toEqual(['marker'])
  })

  describe('refusals', () => {
    it('401 without a key, with a wrong key, or with a malformed header', async () => {
      const variants: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-key-0000000000' }, { authorization: 'Basic abc' }]
      for (const headers of variants) {
        const res = await fetch(`${hub.url}/notify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{"title":"x"}',
        })
        expect(res.status).toBe(401)
        expect((await res.json()).error).toMatchObject({ code: 'unauthorized', message: expect.any(String) })
      }
    })

    it('400 invalid_json for malformed JSON', async () => {
      const res = await postNotify(hub.url, hub.apiKey, null, { raw: '{"title": "unterminated' })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('invalid_json')
    })

    it.each([
      [{ body: 'no title' }, 'title'],
      [{ title: '' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ title: 'x', body: 'y'.repeat(2001) }, 'body'],
      [{ title: 'x', level: 'critical' }, 'level'],
      [{ title: 'x', topic: 'has spaces' }, 'topic'],
      [{ title: 'x', data: ['not', 'an', 'object'] }, 'data'],
      [{ title: 'x', data: { blob: 'z'.repeat(5000) } }, 'data'],
      [{ title: 'x', tittle: 'typo' }, '(body)'],
      [{ title: 'x', topic: 'a', user: 'b' }, 'user'],
      [{ title: 42 }, 'title'],
    ])('400 invalid_request naming the field for %j', async (payload, field) => {
      const res = await postNotify(hub.url, hub.apiKey, payload)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('invalid_request')
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field)
      expect(res.body.error.message).toContain(field === '(body)' ? 'tittle' : field)
    })

    it('400 when the JSON is not an object', async () => {
      const res = await postNotify(hub.url, hub.apiKey, ['title'])
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('invalid_request')
    })

    it('413 over 64 KB', async () => {
      const res = await postNotify(hub.url, hub.apiKey, { title: 'big', body: 'x'.repeat(70 * 1024) })
      expect(res.status).toBe(413)
      expect(res.body.error.code).toBe('payload_too_large')
    })

    it('415 when the body is not JSON', async () => {
      const res = await postNotify(hub.url, hub.apiKey, null, { contentType: 'text/plain', raw: 'title=hello' })
      expect(res.status).toBe(415)
      expect(res.body.error.code).toBe('unsupported_media_type')
    })

    it('keeps serving: a valid notification after every refusal is delivered', async () => {
      const client = await connectClient(hub.url)
      const got = nextEvent(client, 'notification')
      await postNotify(hub.url, hub.apiKey, null, { raw: '{{{' })
      await postNotify(hub.url, 'nope-nope-nope-nope', { title: 'x' })
      expect((await postNotify(hub.url, hub.apiKey, { title: 'still here' })).status).toBe(202)
      expect((await got).title).toBe('still here')
    })
  })

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${hub.url}/no/such/route`)
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe('not_found')
  })
})
