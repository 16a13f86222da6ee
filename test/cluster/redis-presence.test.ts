import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createRedisPresence, type RedisPresence } from '../../server/cluster/redis-presence.js'
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js'

let server: RedisServer
const connections: Redis[] = []
const presences: RedisPresence[] = []
let prefixes = 0

beforeAll(async () => {
  server = await startRedisServer()
})
afterEach(async () => {
  await Promise.all(presences.splice(0).map((p) => p.close()))
  for (const c of connections.splice(0)) c.disconnect()
})
afterAll(async () => {
  await server.dispose()
})

/** Nodes sharing one key prefix, as the hubs of one cluster do. */
function cluster() {
  const prefix = `p${++prefixes}:`
  return (options: Partial<Parameters<typeof createRedisPresence>[0]> = {}) => {
    const redis = new Redis(server.url)
    connections.push(redis)
    const presence = createRedisPresence({ redis, prefix, ...options })
    presences.push(presence)
    return presence
  }
}

describe('cluster-wide presence in Redis', () => {
  it('counts a user with connections on two nodes once, and offline only when the last one closes', async () => {
    const node = cluster()
    const [a, b] = [node(), node()]

    expect(await a.add('id:ada', 'Ada')).toEqual({ changed: true, userCount: 1, connections: 1 })
    expect(await b.add('id:ada', 'Ada')).toEqual({ changed: false, userCount: 1, connections: 2 })
    expect(await b.add('id:bob', 'Bob')).toEqual({ changed: true, userCount: 2, connections: 1 })
    expect(await a.remove('id:ada')).toEqual({ changed: false, userCount: 2 })
    expect(await b.remove('id:ada')).toEqual({ changed: true, userCount: 1 })
    // A connection this node does not hold changes nothing.
    expect((await a.remove('id:ada')).changed).toBe(false)
  })

  it("takes a silent node's users out once its heartbeat expired, and only users with no other connection", async () => {
    const node = cluster()
    const expired: string[][] = []
    let reported!: () => void
    const reaped = new Promise<void>((resolve) => (reported = resolve))
    const survivor = node({
      ttlSeconds: 1,
      onUsersExpired: (names) => {
        expired.push(names)
        reported()
      },
    })
    const doomed = node({ ttlSeconds: 1 })
    await doomed.heartbeat()
    await doomed.add('id:ada', 'Ada')
    await doomed.add('id:bob', 'Bob')
    await survivor.add('id:bob', 'Bob')

    // The node stops heartbeating without leaving: a process killed with -9.
    await doomed.close()
    await reaped

    expect(expired).toEqual([['Ada']])
    expect(survivor.userCount()).toBe(1)
    expect(await survivor.remove('id:bob')).toEqual({ changed: true, userCount: 0 })
  })

  it('writes its whole account again after Redis forgot it', async () => {
    const node = cluster()
    const a = node()
    await a.add('id:ada', 'Ada')
    await a.add('id:ada', 'Ada')
    await server.command('FLUSHALL')

    await a.heartbeat()

    expect(a.userCount()).toBe(1)
    const b = node()
    expect(await b.add('id:ada', 'Ada')).toEqual({ changed: false, userCount: 1, connections: 3 })
  })

  it('takes its users out at once on a clean shutdown', async () => {
    const node = cluster()
    const [a, b] = [node(), node()]
    await a.add('id:ada', 'Ada')

    await a.close({ leave: true })

    expect(await b.add('id:bob', 'Bob')).toEqual({ changed: true, userCount: 1, connections: 1 })
  })
})
