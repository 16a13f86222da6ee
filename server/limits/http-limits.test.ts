import { describe, expect, it } from 'vitest'
import { useNotifyServer } from '../http/notify-test-server.js'
import { authFailureLimiter } from './auth-failure-limiter.js'
import { clientAddress } from './client-address.js'

const KEY_A = 'key-a-0123456789abcdef'
const KEY_B = 'key-b-0123456789abcdef'
const authFailures = authFailureLimiter({ name: 'http', points: 3, durationSec: 60 })
const server = useNotifyServer({
  apiKeys: [KEY_A, KEY_B],
  authFailures,
  notifyRate: { points: 2, windowSec: 60 },
})

const post = (key: string) =>
  fetch(server.url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"title":"x"}' })

describe('notify rate limit', () => {
  it('counts per API key, sends RateLimit headers, and answers 429 with Retry-After', async () => {
    const first = await post(KEY_A)
    expect(first.status).toBe(202)
    expect(first.headers.get('ratelimit-limit')).toBe('2')
    expect(first.headers.get('ratelimit-remaining')).toBe('1')
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(0)
    expect(Number(first.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(60)
    expect(first.headers.get('retry-after')).toBeNull()

    expect((await post(KEY_A)).status).toBe(202)
    const refused = await post(KEY_A)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('ratelimit-remaining')).toBe('0')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = (await refused.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('rate_limited')
    expect(body.error.message).toContain(`retry after ${refused.headers.get('retry-after')} s`)
    expect(body.error.message).not.toContain(KEY_A)

    // Another key has its own budget.
    expect((await post(KEY_B)).status).toBe(202)
  })
})

describe('authFailureLimiter', () => {
  it('checks the key first: past the budget failures get 429, a valid key from the same address still 202', async () => {
    for (let i = 0; i < 3; i++) expect((await post('wrong-key-0123456789')).status).toBe(401)
    const limited = await post('wrong-key-0123456789')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    // Someone else behind the same address (a NAT, a proxy) with a valid key is never refused.
    expect((await post(KEY_B)).status).toBe(202)
    expect((await post('wrong-key-0123456789')).status).toBe(429)
  })

  it('counts ::ffff:10.1.1.1 and 10.1.1.1 as one address, and only failures', async () => {
    const limiter = authFailureLimiter({ name: 'test', points: 2, durationSec: 60 })
    expect(await limiter.recordFailure('::ffff:10.1.1.1')).toEqual({ limited: false })
    expect(await limiter.recordFailure('10.1.1.1')).toEqual({ limited: false })
    expect(await limiter.recordFailure('10.1.1.1')).toMatchObject({ limited: true })
    expect(await limiter.recordFailure('10.1.1.2')).toEqual({ limited: false })
  })
})

describe('failure budgets behind a trusted proxy', () => {
  const proxied = useNotifyServer({
    apiKeys: [KEY_A],
    authFailures: authFailureLimiter({ name: 'http', points: 2, durationSec: 60 }),
    clientAddress: clientAddress(['loopback']),
  })
  const postFrom = (forwardedFor: string, key: string) =>
    fetch(proxied.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: '{"title":"x"}',
    })

  it('counts each client named by X-Forwarded-For, not the proxy', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) statuses.push((await postFrom('203.0.113.1', 'wrong-key-0123456789')).status)
    expect(statuses).toEqual([401, 401, 429])
    // Another client behind the same proxy has a budget of its own.
    expect((await postFrom('203.0.113.2', 'wrong-key-0123456789')).status).toBe(401)
    // A client cannot dodge its budget by prepending addresses: only the trusted hop is believed.
    expect((await postFrom('198.51.100.9, 203.0.113.1', 'wrong-key-0123456789')).status).toBe(429)
    expect((await postFrom('203.0.113.1', KEY_A)).status).toBe(202)
  })
})
