import { describe, expect, it } from 'vitest'
import { apiKeyChecker } from './api-keys.js'
import { useNotifyServer } from './notify-test-server.js'

const KEY_A = 'key-a-0123456789abcdef'
const KEY_B = 'key-b-0123456789abcdef'
const server = useNotifyServer({ apiKeys: [KEY_A, KEY_B] })

async function publish(authorization: string, idempotencyKey: string): Promise<{ id: string; replayed: boolean }> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: '{"title":"Shipped"}',
  })
  expect(res.status).toBe(202)
  return { id: ((await res.json()) as { id: string }).id, replayed: res.headers.get('idempotent-replayed') === 'true' }
}

describe('idempotency scope', () => {
  it('is the key that sent the request, however its Authorization header is spelled', async () => {
    const first = await publish(`Bearer ${KEY_A}`, 'order-1')
    const retry = await publish(`bearer   ${KEY_A} `, 'order-1')
    expect(retry).toEqual({ id: first.id, replayed: true })
  })

  it('keeps two keys apart even when they pick the same Idempotency-Key', async () => {
    const a = await publish(`Bearer ${KEY_A}`, 'order-2')
    const b = await publish(`Bearer ${KEY_B}`, 'order-2')
    expect(b.replayed).toBe(false)
    expect(b.id).not.toBe(a.id)
  })

  it('identifies a key the same way whatever its place in the configured list', () => {
    const id = apiKeyChecker([KEY_A, KEY_B])(`Bearer ${KEY_B}`).id
    expect(apiKeyChecker([KEY_B, KEY_A])(`Bearer ${KEY_B}`).id).toBe(id)
    expect(apiKeyChecker([KEY_A, KEY_B])(`Bearer ${KEY_A}`).id).not.toBe(id)
    expect(id).not.toContain(KEY_B)
  })
})
