import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closeAllClients, connectClient, nextEvent, request } from '../helpers/clients.js'
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js'
import { startNginx, type Nginx } from './nginx.js'
import { clusterEnv, startNode, type ClusterNode } from './support.js'

let redis: RedisServer
let nodes: ClusterNode[] = []
let nginx: Nginx

beforeAll(async () => {
  redis = await startRedisServer()
  const env = clusterEnv(redis.url)
  nodes = await Promise.all([startNode(env), startNode(env)])
  nginx = await startNginx(nodes.map((node) => new URL(node.url).host))
})
afterEach(() => closeAllClients())
afterAll(async () => {
  await nginx?.stop()
  await Promise.all(nodes.map((node) => node.close()))
  await redis?.dispose()
})

// The tutorial's client (socket.io-client 4.5.4) through nginx in front of two nodes, once on
// WebSocket and once on long-polling only; its partner is connected to each node directly.
describe.each([['websocket'], ['polling']])('the tutorial protocol through nginx (%s)', (transport) => {
  it('joins, chats with people on either node, sees them come and go', async () => {
    const viaNginx = await connectClient(nginx.url, { version: '4.5.4', transports: [transport] })
    const onA = await connectClient(nodes[0]!.url, { version: '4.5.4' })
    const onB = await connectClient(nodes[1]!.url, { version: '4.5.4' })
    const name = `nginx-${transport}`
    await Promise.all([request(onA, 'join', `${name}-a`), request(onB, 'join', `${name}-b`)])

    const seen = nextEvent(onA, 'user-joined', (change) => change.username === name)
    viaNginx.emit('join', name)
    expect((await seen).username).toBe(name)

    const [atA, atB, atProxy] = [onA, onB, viaNginx].map((client) =>
      nextEvent(client, 'chat-message', (m) => m.username === name),
    )
    viaNginx.emit('chat-message', 'bonjour à tous')
    expect(await atA).toMatchObject({ username: name, message: 'bonjour à tous' })
    expect(await atB).toMatchObject({ username: name, message: 'bonjour à tous' })
    expect(await atProxy).toMatchObject({ username: name })
    const reply = nextEvent(viaNginx, 'chat-message', (m) => m.username === `${name}-b`)
    onB.emit('chat-message', 'salut')
    expect((await reply).message).toBe('salut')

    const left = nextEvent(onB, 'user-left', (change) => change.username === name)
    viaNginx.disconnect()
    expect((await left).username).toBe(name)
  })
})
