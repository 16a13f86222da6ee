import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Notification } from '../../shared/index.js'
import { closeAllClients, collect, connectClient, nextEvent, postNotify, type HubClient } from '../helpers/clients.js'
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js'
import { CLUSTER_API_KEY, clusterEnv, startNode, startNodeProcess, tokenFor, type ClusterNode } from './support.js'

/** How long Redis stays down in the outage test: the ten seconds. */
const OUTAGE_MS = 10_000
/** The bound on recovering by itself once Redis is back. */
const RECOVERY_BOUND_MS = 10_000

let redis: RedisServer
const nodes: ClusterNode[] = []

beforeAll(async () => {
  redis = await startRedisServer({ durable: true })
})
afterEach(async () => {
  closeAllClients()
  await Promise.all(nodes.splice(0).map((node) => node.close()))
})
afterAll(async () => {
  await redis?.dispose()
})

async function node(extra: Record<string, string> = {}): Promise<ClusterNode> {
  const started = await startNode(clusterEnv(redis.url, extra))
  nodes.push(started)
  return started
}

async function publish(url: string, title: string): Promise<string> {
  const { status, body } = await postNotify(url, CLUSTER_API_KEY, { title })
  expect(status).toBe(202)
  return (body as { id: string }).id
}

/** Resolves once `check` resolves, asking every 100 ms as a readiness probe would. */
async function whenReady(check: () => Promise<void>): Promise<void> {
  for (;;) {
    if (await check().then(() => true, () => false)) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Every notification `client` receives until one titled `title`, in order. */
function receiveUntil(client: HubClient, title: string): Promise<Notification[]> {
  const seen = collect(client, 'notification')
  return nextEvent(client, 'notification', (n) => n.title === title).then(() => seen.slice())
}

describe('a cluster under faults', () => {
  it("takes a killed node's users out of the count within the TTL; its clients catch up on another node, nothing missing or doubled", async () => {
    const env = clusterEnv(redis.url, { TIDINGS_PRESENCE_TTL_SECONDS: '2' })
    const survivor = await node({ TIDINGS_PRESENCE_TTL_SECONDS: '2' })
    const doomed = await startNodeProcess(env)
    try {
      const watcher = await connectClient(survivor.url, { auth: { token: await tokenFor('watcher') } })
      const ada = await connectClient(doomed.url, { auth: { token: await tokenFor('ada-killed') } })
      await nextEvent(watcher, 'user-joined', (change) => change.username === 'ada-killed')
      const before = receiveUntil(ada, 'seen')
      await publish(survivor.url, 'seen')
      const cursor = (await before).at(-1)!.id

      const gone = nextEvent(watcher, 'user-left', (change) => change.username === 'ada-killed')
      await doomed.kill()
      const missed = [await publish(survivor.url, 'missed 1'), await publish(survivor.url, 'missed 2')]
      const left = await gone

      expect(left.userCount).toBe(1)
      const back = await connectClient(survivor.url, { auth: { token: await tokenFor('ada-killed'), since: cursor } })
      const received = receiveUntil(back, 'live')
      const live = await publish(survivor.url, 'live')
      expect((await received).map((n) => n.id)).toEqual([...missed, live])
    } finally {
      await doomed.kill()
    }
    // Starting a node process from the source takes seconds on a busy machine.
  }, 60_000)

  it('keeps local clients through a Redis outage, refuses with 503 (never 500, never a hang), recovers by itself and delivers every 202', async () => {
    const a = await node()
    const b = await node()
    const client = await connectClient(b.url)
    const received = collect(client, 'notification')
    const accepted: string[] = []
    const statuses = new Set<number>()
    let publishing = true
    const publisher = (async () => {
      for (let i = 0; publishing; i++) {
        const { status, body } = await postNotify(a.url, CLUSTER_API_KEY, { title: `n${i}` }, {})
        statuses.add(status)
        if (status === 202) accepted.push((body as { id: string }).id)
        else expect(body).toMatchObject({ error: { code: 'unavailable' } })
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    })()

    await new Promise((resolve) => setTimeout(resolve, 500))
    await redis.stop()
    const reason = await a.hub.store.check().then(
      () => 'ready',
      (err: unknown) => (err as Error).message,
    )
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS))
    await redis.start()
    const restarted = Date.now()
    await Promise.all([whenReady(() => a.hub.store.check()), whenReady(() => b.hub.store.check())])
    const recoveredMs = Date.now() - restarted
    await new Promise((resolve) => setTimeout(resolve, 500))
    publishing = false
    await publisher

    expect(reason).toBe('redis unreachable')
    expect(recoveredMs).toBeLessThan(RECOVERY_BOUND_MS)
    expect([...statuses].sort()).toEqual([202, 503])
    expect(client.connected).toBe(true)
    const all = receiveUntil(client, 'end')
    await publish(a.url, 'end')
    await all
    const live = received.map((n) => n.id).filter((id) => accepted.includes(id))
    expect(live).toEqual(accepted)
    // And from the store: a client resuming from before the outage gets each one once.
    const late = await connectClient(a.url, { auth: { since: '0' } })
    const replayed = receiveUntil(late, 'after')
    await publish(a.url, 'after')
    expect((await replayed).map((n) => n.id).filter((id) => accepted.includes(id))).toEqual(accepted)
  }, 60_000)

  it('carries on when Redis drops every connection (CLIENT KILL)', async () => {
    const a = await node()
    const b = await node()
    const client = await connectClient(b.url)
    const received = receiveUntil(client, 'after the kill')
    const before = await publish(a.url, 'before the kill')

    await redis.killClients()
    await whenReady(() => a.hub.store.check())
    const after = await publish(a.url, 'after the kill')

    expect((await received).map((n) => n.id)).toEqual([before, after])
    // Broadcasts through the adapter come back too: presence from the other node.
    const joined = nextEvent(client, 'user-joined', (change) => change.username === 'after-kill')
    await connectClient(a.url, { auth: { token: await tokenFor('after-kill') } })
    expect((await joined).username).toBe('after-kill')
  })
})
