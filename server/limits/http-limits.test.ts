import { describe, expect, it } from 'vitest'
import { useNotifyServer } from '../http/notify-test-server.js'
import { authFailureLimiter } from './auth-failure-limiter.js'

const KEY_A = 'key-a-0123456789abcdef'
const KEY_B = 'key-b-0123456789abcdef'
const authFailures = authFailureLimiter({ points: 3, durationSec: 60 })
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
  it('answers 429 after repeated 401s from one address, whatever key it then sends', async () => {
    for (let i = 0; i < 3; i++) expect((await post('wrong-key-0123456789')).status).toBe(401)
    const blocked = await post(KEY_B)
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    expect(await authFailures.check('127.0.0.1')).toMatchObject({ blocked: true })
    expect(await authFailures.check('10.0.0.1')).toEqual({ blocked: false, retryAfterSec: 0 })
  })

  it('shares its budget with other callers through recordFailure', async () => {
    const limiter = authFailureLimiter({ points: 2, durationSec: 60 })
    await limiter.recordFailure('::ffff:10.1.1.1')
    expect((await limiter.check('10.1.1.1')).blocked).toBe(false)
    await limiter.recordFailure('10.1.1.1')
    expect((await limiter.check('10.1.1.1')).blocked).toBe(true)
  })
})
