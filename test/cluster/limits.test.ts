import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closeAllClients, connectClient, postNotify } from '../helpers/clients.js'
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js'
import { CLUSTER_API_KEY, clusterEnv, startNode, type ClusterNode } from './support.js'

let redis: RedisServer
let a: ClusterNode
let b: ClusterNode

beforeAll(async () => {
  redis = await startRedisServer()
  const env = clusterEnv(redis.url, { TIDINGS_CONNECTIONS_PER_IP: '2', TIDINGS_NOTIFY_RATE: '3', TIDINGS_NOTIFY_RATE_WINDOW: '60' })
  ;[a, b] = await Promise.all([startNode(env), startNode(env)])
})
afterEach(() => closeAllClients())
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()])
  await redis?.dispose()
})

describe('limits that hold across the cluster', () => {
  it('counts connections per address over every node', async () => {
    const first = await connectClient(a.url)
    await connectClient(a.url)

    await expect(connectClient(b.url)).rejects.toThrow()
    first.disconnect()
    // The slot is released once node A has seen the close; a new connection then fits.
    for (;;) {
      const again = await connectClient(b.url).then(
        () => true,
        () => false,
      )
      if (again) break
    }
  })

  it('counts POST /notify per key over every node', async () => {
    const statuses = []
    for (const node of [a, b, a, b]) statuses.push((await postNotify(node.url, CLUSTER_API_KEY, { title: 'rated' })).status)

    expect(statuses).toEqual([202, 202, 202, 429])
  })
})
