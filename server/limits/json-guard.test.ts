import { describe, expect, it } from 'vitest'
import type { Notification } from '../../shared/index.js'
import { useNotifyServer } from '../http/notify-test-server.js'
import { openSqliteStore } from '../store/index.js'
import { parseJsonText } from './json-guard.js'

describe('parseJsonText', () => {
  it.each([
    '{"__proto__":{"admin":true}}',
    '{"a":{"b":[1,{"constructor":{"prototype":{}}}]}}',
    '{"data":{"nested":{"__proto__":null}}}',
  ])('refuses %s as invalid_request', (json) => {
    expect(() => parseJsonText(json)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_request' }))
  })

  it.each(['{"title":"x","data":{"proto":1,"Constructor":2,"__proto":3}}', '"__proto__"', '["constructor"]', '{"constructor":1}', 'null', '42'])(
    'accepts %s (names as values, near misses and harmless keys are fine)',
    (json) => {
      expect(parseJsonText(json)).toEqual(JSON.parse(json))
    },
  )

  it('refuses text that is not JSON as invalid_json, and reads empty text as {}', () => {
    expect(() => parseJsonText('{"title":')).toThrow(expect.objectContaining({ status: 400, code: 'invalid_json' }))
    expect(parseJsonText('')).toEqual({})
  })

  it('scans 100 000 levels of nesting without overflowing the stack', () => {
    const deep = `${'{"a":'.repeat(100_000)}{"__proto__":1}${'}'.repeat(100_000)}`
    expect(() => parseJsonText(deep)).toThrow(expect.objectContaining({ code: 'invalid_request' }))
  })
})

describe('the JSON guard in the notify handler', () => {
  const KEY = 'guard-key-0123456789abcdef'
  const store = openSqliteStore({ path: ':memory:' })
  const published: Notification[] = []
  store.subscribe((event) => event.kind === 'notification' && published.push(event.notification))
  const server = useNotifyServer({ apiKeys: [KEY], store })

  const post = (body: string | Uint8Array) =>
    fetch(server.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: body as BodyInit,
    })

  it('refuses a body with __proto__, saying which keys are not allowed', async () => {
    const res = await post('{"title":"x","data":{"__proto__":{"polluted":true}}}')
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; details: { message: string }[] } }
    expect(body.error.code).toBe('invalid_request')
    expect(body.error.details[0]?.message).toContain('"__proto__"')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('passes a clean body unchanged', async () => {
    const res = await post('{"title":"<b>x</b>","data":{"k":[1,2]}}')
    expect(res.status).toBe(202)
    expect(published.at(-1)).toMatchObject({ title: '<b>x</b>', data: { k: [1, 2] } })
  })

  it('refuses invalid UTF-8 as invalid_json instead of publishing U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')])
    const res = await post(bytes)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_json')
  })

  it('refuses another charset with 415', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json; charset=latin1' },
      body: '{"title":"x"}',
    })
    expect(res.status).toBe(415)
  })

  it('accepts valid multi-byte UTF-8', async () => {
    const res = await post(Buffer.from('{"title":"Grüße 👋"}'))
    expect(res.status).toBe(202)
    expect(published.at(-1)?.title).toBe('Grüße 👋')
  })
})
