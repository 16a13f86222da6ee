import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ErrorResponse } from '../../shared/index.js'
import { startHub, type HubProcess } from '../helpers/hub-process.js'
import { HOSTILE_ENV, notify, openControl, type Control } from './support.js'

let hub: HubProcess
let control: Control

beforeAll(async () => {
  hub = await startHub(HOSTILE_ENV)
  control = await openControl(hub)
})
beforeEach(() => control.mark())
afterAll(async () => {
  control?.close()
  await hub?.stop()
})

async function expectRefusal(res: Response, status: number, code: string): Promise<ErrorResponse> {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const body = (await res.json()) as ErrorResponse
  expect(body.error.code).toBe(code)
  expect(typeof body.error.message).toBe('string')
  await control.assertServing()
  return body
}

describe('hostile POST /notify bodies', () => {
  it('oversized (> 64 KB) → 413 payload_too_large', async () => {
    const body = JSON.stringify({ title: 'big', body: 'x'.repeat(70 * 1024) })
    await expectRefusal(await notify(hub, body), 413, 'payload_too_large')
  })

  it('oversized with a lying Content-Length → refused, not read forever', async () => {
    const chunks = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`{"title":"${'y'.repeat(80 * 1024)}"}`))
        controller.close()
      },
    })
    const res = await fetch(`${hub.url}/notify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.apiKey}`, 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit)
    await expectRefusal(res, 413, 'payload_too_large')
  })

  it('truncated JSON → 400 invalid_json', async () => {
    await expectRefusal(await notify(hub, '{"title":"half'), 400, 'invalid_json')
  })

  it.each([
    [{ title: 42 }, 'title'],
    [{ title: 'x', level: 'catastrophic' }, 'level'],
    [{ title: 'x', topic: ['a'] }, 'topic'],
    [{ title: 'x', data: 'not-an-object' }, 'data'],
    [{ title: 'x', tittle: 'typo' }, ''],
  ])('wrongly typed field %j → 400 naming it', async (body, field) => {
    const error = await expectRefusal(await notify(hub, body), 400, 'invalid_request')
    if (field) {
      expect(error.error.details?.map((d) => d.path)).toContain(field)
      expect(error.error.message).toContain(field)
    } else expect(error.error.message).toContain('tittle')
  })

  it.each(['"just a string"', '[1,2]', 'null', '42'])('a JSON %s that is not an object → 400', async (body) => {
    await expectRefusal(await notify(hub, body), 400, 'invalid_request')
  })

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'Content-Type %s → 415',
    async (type) => {
      await expectRefusal(await notify(hub, '{"title":"x"}', { 'content-type': type }), 415, 'unsupported_media_type')
    },
  )

  it('an unsupported charset → 415', async () => {
    const res = await notify(hub, '{"title":"x"}', { 'content-type': 'application/json; charset=latin1' })
    await expectRefusal(res, 415, 'unsupported_media_type')
  })

  it('Content-Encoding: gzip with garbage → a 4xx refusal, not a 500', async () => {
    const res = await notify(hub, new Uint8Array([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8]), { 'content-encoding': 'gzip' })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    await control.assertServing()
  })

  it('Content-Encoding: gzip of a valid body is accepted', async () => {
    const res = await notify(hub, gzipSync(JSON.stringify({ title: 'zipped' })), { 'content-encoding': 'gzip' })
    expect(res.status).toBe(202)
  })

  it('an unknown Content-Encoding → 415', async () => {
    await expectRefusal(await notify(hub, '{"title":"x"}', { 'content-encoding': 'x-snappy' }), 415, 'unsupported_media_type')
  })

  it('a gzip bomb inflating beyond 64 KB → 413', async () => {
    const bomb = gzipSync(JSON.stringify({ title: 'bomb', body: ' '.repeat(10 * 1024 * 1024) }))
    await expectRefusal(await notify(hub, bomb, { 'content-encoding': 'gzip' }), 413, 'payload_too_large')
  })

  it('invalid UTF-8 → 400 invalid_json (RFC 8259 requires UTF-8)', async () => {
    const bytes = Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')])
    await expectRefusal(await notify(hub, new Uint8Array(bytes)), 400, 'invalid_json')
  })

  it('a prototype-pollution key in data → 400, not silently dropped', async () => {
    const res = await notify(hub, '{"title":"x","data":{"__proto__":{"isAdmin":true}}}')
    await expectRefusal(res, 400, 'invalid_request')
  })

  it('data nested 10 000 levels deep → a 4xx refusal, not a 500', async () => {
    const deep = `{"title":"deep","data":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`
    const res = await notify(hub, deep)
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    await control.assertServing()
  })
})

describe('hostile keys', () => {
  it.each([
    ['no Authorization header', {}],
    ['a wrong key', { authorization: 'Bearer wrong-key-0123456789abcdef' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['another scheme', { authorization: 'Basic dGVzdDp0ZXN0' }],
    ['the key with trailing garbage', { authorization: 'Bearer test-key-0123456789abcdef extra' }],
  ])('%s → 401', async (_name, headers) => {
    const res = await fetch(`${hub.url}/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"title":"x"}',
    })
    const body = await expectRefusal(res, 401, 'unauthorized')
    expect(JSON.stringify(body)).not.toContain(hub.apiKey)
  })

  it('never logs the key or the body', async () => {
    const secretTitle = 'secret-body-marker-7f3a'
    await notify(hub, { title: secretTitle })
    await notify(hub, '{"title":"x"', { authorization: 'Bearer wrong-key-marker-0123456789' })
    await control.assertServing()
    const text = JSON.stringify(hub.logs)
    expect(text).not.toContain(hub.apiKey)
    expect(text).not.toContain('wrong-key-marker')
    expect(text).not.toContain(secretTitle)
  })
})
