import { io } from 'socket.io-client'
import { ADMIN_NAMESPACE, type NodeStats, type Notification } from '../../shared/index.js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closeAllClients, collect, connectClient, nextEvent, postNotify, request, type HubClient } from '../helpers/clients.js'
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js'
import { CLUSTER_API_KEY, clusterEnv, startNode, tokenFor, type ClusterNode } from './support.js'

let redis: RedisServer
let a: ClusterNode
let b: ClusterNode
let c: ClusterNode

beforeAll(async () => {
  redis = await startRedisServer()
  const env = clusterEnv(redis.url)
  ;[a, b, c] = await Promise.all([startNode(env), startNode(env), startNode(env)])
})
afterEach(() => closeAllClients())
afterAll(async () => {
  await Promise.all([a, b, c].map((node) => node?.close()))
  await redis?.dispose()
})

const signedIn = async (node: ClusterNode, sub: string, topics: string[] = []) =>
  connectClient(node.url, { auth: { token: await tokenFor(sub), topics } })

/** Posts through `node` and resolves with the stored notification's id. */
async function publish(node: ClusterNode, body: Record<string, unknown>): Promise<string> {
  const { status, body: answer } = await postNotify(node.url, CLUSTER_API_KEY, body)
  expect(status).toBe(202)
  return (answer as { id: string }).id
}

/** What each client received, once a final broadcast posted after everything else reached them all. */
async function settle(clients: HubClient[], received: Notification[][]): Promise<string[][]> {
  const last = Promise.all(clients.map((client) => nextEvent(client, 'notification', (n) => n.title === 'end')))
  await publish(b, { title: 'end' })
  await last
  return received.map((list) => list.map((n) => n.title).filter((title) => title !== 'end'))
}

describe('three hub processes sharing one Redis', () => {
  it('delivers a notification posted to B to the right clients on A and C, exactly once each', async () => {
    const adaOnA = await signedIn(a, 'ada', ['deploys'])
    const adaOnC = await signedIn(c, 'ada')
    const bobOnC = await signedIn(c, 'bob', ['deploys'])
    const guestOnA = await connectClient(a.url)
    const clients = [adaOnA, adaOnC, bobOnC, guestOnA]
    const received = clients.map((client) => collect(client, 'notification'))

    await publish(b, { title: 'everyone' })
    await publish(b, { title: 'deploys', topic: 'deploys' })
    await publish(b, { title: 'for ada', user: 'ada' })

    expect(await settle(clients, received)).toEqual([
      ['everyone', 'deploys', 'for ada'],
      ['everyone', 'for ada'],
      ['everyone', 'deploys'],
      ['everyone'],
    ])
  })

  it('gives ids in commit order across nodes, so every client sees one order', async () => {
    const onA = await connectClient(a.url)
    const onC = await connectClient(c.url)
    const received = [collect(onA, 'notification'), collect(onC, 'notification')]

    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => publish([a, b, c][i % 3]!, { title: `n${i}` })))
    await settle([onA, onC], received)

    const sorted = [...ids].sort()
    for (const list of received) expect(list.map((n) => n.id).filter((id) => ids.includes(id))).toEqual(sorted)
  })

  it('carries chat across nodes and serves the same history from any node', async () => {
    const onA = await connectClient(a.url)
    const onC = await connectClient(c.url)
    expect(await request(onA, 'join', 'alice', 'support')).toMatchObject({ ok: true })
    expect(await request(onC, 'join', 'carol', 'support')).toMatchObject({ ok: true })
    const atC = nextEvent(onC, 'chat-message')

    const sent = await request(onA, 'chat-message', 'hello from A', 'support')
    const message = await atC

    expect(message).toMatchObject({ id: sent.id, username: 'alice', message: 'hello from A' })
    const onB = await connectClient(b.url)
    const history = nextEvent(onB, 'chat-history')
    await request(onB, 'join', 'bert', 'support')
    expect((await history).messages.map((m) => m.id)).toContain(sent.id)
  })

  it('shows the same inbox from any node and keeps read state in step across nodes', async () => {
    const adaOnA = await signedIn(a, 'ada-inbox')
    const adaOnC = await signedIn(c, 'ada-inbox')
    // Broadcasts from the tests before are in every inbox: start from a clean slate.
    await request(adaOnA, 'inbox-read-all')
    const first = await publish(b, { title: 'one', user: 'ada-inbox' })
    await publish(b, { title: 'two', user: 'ada-inbox' })

    const fromA = await request(adaOnA, 'inbox', { limit: 10 })
    const fromC = await request(adaOnC, 'inbox', { limit: 10 })
    expect(fromA).toEqual(fromC)
    expect(fromA.unread).toBe(2)

    const seenOnC = nextEvent(adaOnC, 'inbox-unread', (s) => s.count === 1)
    expect(await request(adaOnA, 'inbox-read', first)).toMatchObject({ ok: true, unread: 1 })
    expect(await seenOnC).toEqual({ count: 1 })
  })

  it('counts a user with tabs on two nodes once, cluster-wide', async () => {
    const carl = await signedIn(a, 'presence-carl')
    await nextEvent(carl, 'user-joined', (change) => change.username === 'presence-carl')
    const dora = await signedIn(c, 'presence-dora')
    await nextEvent(carl, 'user-joined', (change) => change.username === 'presence-dora')
    const carlAgain = await signedIn(b, 'presence-carl')
    const own = await nextEvent(carlAgain, 'user-joined')

    expect(own.userCount).toBe(2)
    const left = nextEvent(dora, 'user-left', (change) => change.username === 'presence-carl')
    carl.disconnect()
    carlAgain.disconnect()
    expect((await left).userCount).toBe(1)
  })

  it('shows every node on a dashboard connected to any one of them', async () => {
    const dashboard = io(`${a.url}${ADMIN_NAMESPACE}`, { auth: { key: CLUSTER_API_KEY }, transports: ['websocket'], forceNew: true })
    try {
      const nodes = new Set<string>()
      await new Promise<void>((resolve, reject) => {
        dashboard.on('connect_error', reject)
        dashboard.on('stats', (stats: NodeStats) => {
          nodes.add(stats.node)
          if (nodes.size === 3) resolve()
        })
      })
      expect(nodes.size).toBe(3)
    } finally {
      dashboard.disconnect()
    }
  })
})
