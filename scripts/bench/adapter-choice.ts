/**
 * Measures the two Socket.IO Redis adapters the hub could use, on a private redis-server:
 * three Socket.IO servers in this process, clients on each, broadcasts from the first.
 *
 * - latency: one broadcast every 2 ms; time from emit to arrival at every client, p50/p99
 * - throughput: a burst of broadcasts; deliveries per second until the last one arrives
 * - disconnect: Redis drops every client connection (CLIENT KILL) in the middle of a burst;
 *   how many broadcasts never arrive
 *
 *   node --import tsx scripts/bench/adapter-choice.ts
 */
import { createAdapter as createPubSubAdapter } from '@socket.io/redis-adapter'
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter'
import { Redis } from 'ioredis'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { io as connect, type Socket } from 'socket.io-client'
import { startRedisServer, type RedisServer } from '../../test/helpers/redis-server.js'

const NODES = 3
const CLIENTS_PER_NODE = 10
const LATENCY_MESSAGES = 1000
const BURST = 5000

type AdapterName = 'redis-adapter (pub/sub)' | 'redis-streams-adapter'

interface Cluster {
  servers: Server[]
  clients: Socket[]
  close(): Promise<void>
}

async function startCluster(name: AdapterName, redis: RedisServer): Promise<Cluster> {
  const connections: Redis[] = []
  const servers: Server[] = []
  for (let i = 0; i < NODES; i++) {
    const http = createServer()
    let adapter
    if (name === 'redis-streams-adapter') {
      const client = new Redis(redis.url)
      connections.push(client)
      adapter = createStreamsAdapter(client)
    } else {
      const pub = new Redis(redis.url)
      const sub = pub.duplicate()
      connections.push(pub, sub)
      adapter = createPubSubAdapter(pub, sub)
    }
    const io = new Server(http, { adapter })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    servers.push(io)
  }
  const clients: Socket[] = []
  for (const io of servers) {
    const { port } = io.httpServer.address() as AddressInfo
    for (let c = 0; c < CLIENTS_PER_NODE; c++) {
      const socket = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true })
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
      clients.push(socket)
    }
  }
  return {
    servers,
    clients,
    close: async () => {
      for (const c of clients) c.close()
      await Promise.all(servers.map((io) => new Promise<void>((resolve) => io.close(() => resolve()))))
      for (const r of connections) r.disconnect()
    },
  }
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

/** Resolves once every client has received `count` events named `event`, or after `timeoutMs`. */
function collect(clients: Socket[], event: string, count: number, onEach: (payload: number) => void, timeoutMs: number) {
  return new Promise<number>((resolve) => {
    let received = 0
    const expected = clients.length * count
    const done = () => {
      clearTimeout(timer)
      for (const c of clients) c.off(event)
      resolve(received)
    }
    const timer = setTimeout(done, timeoutMs)
    for (const c of clients)
      c.on(event, (payload: number) => {
        received++
        onEach(payload)
        if (received === expected) done()
      })
  })
}

async function measure(name: AdapterName, redis: RedisServer) {
  const cluster = await startCluster(name, redis)
  const [origin] = cluster.servers
  // Let each adapter finish subscribing before measuring.
  await new Promise((resolve) => setTimeout(resolve, 500))

  const latencies: number[] = []
  const arrived = collect(cluster.clients, 'lat', LATENCY_MESSAGES, (sent) => latencies.push(performance.now() - sent), 30_000)
  for (let i = 0; i < LATENCY_MESSAGES; i++) {
    origin!.emit('lat', performance.now())
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
  await arrived
  latencies.sort((a, b) => a - b)

  const started = performance.now()
  const burst = collect(cluster.clients, 'burst', BURST, () => {}, 60_000)
  for (let i = 0; i < BURST; i++) origin!.emit('burst', i)
  const burstReceived = await burst
  const seconds = (performance.now() - started) / 1000

  const cut = collect(cluster.clients, 'cut', 1000, () => {}, 15_000)
  for (let i = 0; i < 1000; i++) {
    if (i === 500) await redis.killClients()
    origin!.emit('cut', i)
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
  const cutReceived = await cut
  await cluster.close()
  return {
    adapter: name,
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    latencySamples: latencies.length,
    burstDeliveriesPerSec: Math.round(burstReceived / seconds),
    burstComplete: burstReceived === BURST * cluster.clients.length,
    lostAcrossClientKill: 1000 * cluster.clients.length - cutReceived,
  }
}

const redis = await startRedisServer()
try {
  const results = []
  for (const name of ['redis-adapter (pub/sub)', 'redis-streams-adapter'] as const) results.push(await measure(name, redis))
  console.table(results)
} finally {
  await redis.dispose()
}
process.exit(0)
