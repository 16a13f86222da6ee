import type { Redis } from 'ioredis'
import { openRedis, waitUntilReady } from '../cluster/redis-connection.js'
import type { Logger } from '../logger.js'
import { toChatMessage, toNotification } from './redis-values.js'
import type { StoreFeedEvent } from './store.js'

/** How long one XREAD waits for new entries before asking again. */
const BLOCK_MS = 2000
/** Entries read per XREAD. */
const READ_COUNT = 500

export interface RedisFeedOptions {
  url: string
  key: string
  log?: Logger
}

export interface RedisFeed {
  subscribe(listener: (event: StoreFeedEvent) => void): () => void
  /** False while the reader cannot reach Redis. */
  healthy(): boolean
  close(): void
}

/** Orders two stream ids ("<ms>-<seq>"). */
function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number)
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number)
  return aMs - bMs || aSeq - bSeq
}

type StreamReply = [key: string, entries: [id: string, fields: string[]][]][] | null

function toEvent(fields: string[]): StoreFeedEvent | undefined {
  let kind: string | undefined
  let value: string | undefined
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'k') kind = fields[i + 1]
    else if (fields[i] === 'v') value = fields[i + 1]
  }
  if (value === undefined) return undefined
  if (kind === 'n') return { kind: 'notification', notification: toNotification(value) }
  if (kind === 'c') return { kind: 'chat', message: toChatMessage(value) }
  return undefined
}

/**
 * Reads the store's commit stream on a connection of its own (XREAD blocks it) and hands every
 * entry to the listeners, in commit order, once each. It starts after the newest entry present
 * when it opens and keeps the id of the last entry it read, so after a lost connection it goes
 * on from there: nothing is skipped, nothing read twice.
 *
 * @example
 * const feed = await createRedisFeed({ url, key: 'tidings:feed', log })
 * const stop = feed.subscribe((event) => console.log(event.kind))
 */
export async function createRedisFeed({ url, key, log }: RedisFeedOptions): Promise<RedisFeed> {
  const redis: Redis = openRedis({ url, log, name: 'feed', blockingMs: BLOCK_MS })
  const listeners = new Set<(event: StoreFeedEvent) => void>()
  let closed = false
  let healthy = true
  let lastId: string
  try {
    await waitUntilReady(redis)
    const newest = (await redis.xrevrange(key, '+', '-', 'COUNT', 1))[0]
    lastId = newest?.[0] ?? '0-0'
  } catch (error) {
    redis.disconnect()
    throw error
  }

  const dispatch = (entries: [string, string[]][]) => {
    for (const [id, fields] of entries) {
      lastId = id
      const event = toEvent(fields)
      if (event === undefined) continue
      for (const listener of listeners) {
        try {
          listener(event)
        } catch (err) {
          log?.error({ err }, 'a store feed listener failed')
        }
      }
    }
  }

  // A Redis that restarted without persistence starts its stream ids again from 0: reading on
  // from the old position would wait forever. Such a restart loses data anyway (see the README's
  // durability table); the feed at least goes on with what is committed from then on.
  const rewindIfRedisForgot = async () => {
    let info: unknown[]
    try {
      info = (await redis.call('XINFO', 'STREAM', key)) as unknown[]
    } catch (err) {
      // Only a stream that is gone says Redis forgot; any other failure says nothing yet.
      if (!/no such key/i.test((err as Error).message)) return
      info = []
    }
    const at = info.indexOf('last-generated-id')
    const lastGenerated = at >= 0 ? String(info[at + 1]) : '0-0'
    if (compareStreamIds(lastGenerated, lastId) < 0) {
      log?.warn({ lastId, lastGenerated }, 'redis lost the store feed (restarted without persistence?); reading from its start')
      lastId = '0-0'
    }
  }

  const loop = async () => {
    while (!closed) {
      try {
        const reply = (await redis.xread('COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', key, lastId)) as StreamReply
        if (!healthy) log?.info({ lastId }, 'store feed reading again')
        healthy = true
        if (reply) for (const [, entries] of reply) dispatch(entries)
      } catch (err) {
        if (closed) return
        if (healthy) log?.warn({ err: (err as Error).message }, 'store feed interrupted; resuming when redis is back')
        healthy = false
        // Wait for the reconnection rather than spinning on "connection is closed" errors.
        await waitUntilReady(redis, BLOCK_MS).catch(() => undefined)
        await rewindIfRedisForgot()
      }
    }
  }
  void loop()

  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    healthy: () => healthy,
    close() {
      closed = true
      listeners.clear()
      redis.disconnect()
    },
  }
}
