import { describe, expect, it } from 'vitest'
import type { Notification } from '../../shared/index.js'
import { useNotifyServer } from '../http/notify-test-server.js'
import { openSqliteStore } from '../store/index.js'
import { findForbiddenKey } from './json-guard.js'

describe('findForbiddenKey', () => {
  it.each([
    ['{"__proto__":{"admin":true}}', '__proto__'],
    ['{"a":{"b":[1,{"constructor":{"prototype":{}}}]}}', 'a.b.1.constructor'],
    ['[{"prototype":1}]', '0.prototype'],
    ['{"data":{"nested":{"__proto__":null}}}', 'data.nested.__proto__'],
  ])('finds the key in %s', (json, path) => {
    expect(findForbiddenKey(JSON.parse(json))).toBe(path)
  })

  it.each(['{"title":"x","data":{"proto":1,"Constructor":2,"__proto":3}}', '"__proto__"', '["constructor"]', 'null', '42'])(
    'accepts %s (names as values, or near misses, are fine)',
    (json) => {
      expect(findForbiddenKey(JSON.parse(json))).toBeUndefined()
    },
  )

  it('walks 100 000 levels of nesting without overflowing the stack', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(100_000)}{"__proto__":1}${'}'.repeat(100_000)}`)
    expect(findForbiddenKey(deep)?.endsWith('a.__proto__')).toBe(true)
  })
})

describe('pollutionError and requireValidUtf8 in the notify handler', () => {
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

  it('refuses a body with __proto__ naming the path', async () => {
    const res = await post('{"title":"x","data":{"__proto__":{"polluted":true}}}')
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } }
    expect(body.error.code).toBe('invalid_request')
    expect(body.error.details[0]?.path).toBe('data.__proto__')
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

  it('accepts valid multi-byte UTF-8', async () => {
    const res = await post(Buffer.from('{"title":"Grüße 👋"}'))
    expect(res.status).toBe(202)
    expect(published.at(-1)?.title).toBe('Grüße 👋')
  })
})
