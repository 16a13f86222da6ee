import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Notification } from '../../shared/index.js'
import { openRedisStore } from '../../server/store/redis-store.js'
import { StoreUnavailableError } from '../../server/store/store-unavailable.js'
import type { Store, StoreFeedEvent } from '../../server/store/store.js'
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js'

const draft = (title: string) => ({ title, body: '', level: 'info' as const, timestamp: new Date().toISOString() })

/** Resolves once `check` resolves, asking as a readiness probe would: the store noticed Redis is back. */
async function untilReady(store: Store): Promise<void> {
  for (;;) {
    try {
      return await store.check()
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

describe('Redis store while Redis is away', () => {
  let redis: RedisServer
  beforeAll(async () => {
    redis = await startRedisServer({ durable: true })
  })
  afterAll(async () => {
    await redis.dispose()
  })

  it('refuses at once while Redis is down, recovers by itself, and its feed misses nothing across the outage', async () => {
    const writer = await openRedisStore({ url: redis.url, prefix: 'outage:' })
    const reader = await openRedisStore({ url: redis.url, prefix: 'outage:' })
    const fed: StoreFeedEvent[] = []
    let fedTwo!: () => void
    const twoFed = new Promise<void>((resolve) => (fedTwo = resolve))
    reader.subscribe((event) => {
      if (fed.push(event) === 2) fedTwo()
    })
    const before = (await writer.appendNotification(draft('before'))).notification

    await redis.stop()
    const refused = await writer.appendNotification(draft('during')).then(
      () => undefined,
      (err: unknown) => err,
    )
    const reason = await writer.check().then(
      () => undefined,
      (err: unknown) => (err as Error).message,
    )
    await redis.start()
    await untilReady(writer)
    const after = (await writer.appendNotification(draft('after'))).notification
    await twoFed

    expect(refused).toBeInstanceOf(StoreUnavailableError)
    expect(reason).toBe('redis unreachable')
    const seen = fed.map((e) => (e as { notification: Notification }).notification)
    expect(seen).toEqual([before, after])
    // Acknowledged before the restart, kept by the append-only file.
    expect(await writer.notificationsAfter({ topics: [] }, undefined, 10)).toEqual([before, after])
    await Promise.all([writer.close(), reader.close()])
  })
})
