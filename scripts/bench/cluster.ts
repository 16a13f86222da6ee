/**
 * `npm run bench:cluster`: the hub alone vs the same hub as 1, 2 and 3 nodes sharing a Redis
 * (each node its own process, started from `dist/`, so run `npm run build` first).
 *
 * - latency: one POST at a time to the first node; time until every receiver (spread over all
 *   nodes) has the notification; p50 / p99
 * - throughput: a burst of POSTs spread over the nodes, 32 in flight; deliveries per second
 *   until every receiver has every notification
 *
 *   npm run build && npm run bench:cluster
 *   RECEIVERS=200 POSTS=2000 npm run bench:cluster
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { io, type Socket } from 'socket.io-client'
import { startRedisServer, type RedisServer } from '../../test/helpers/redis-server.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const API_KEY = 'bench-cluster-key-0123456789'
const RECEIVERS = Number(process.env.RECEIVERS ?? 100)
const LATENCY_POSTS = Number(process.env.LATENCY_POSTS ?? 200)
const POSTS = Number(process.env.POSTS ?? 1000)
const IN_FLIGHT = 32

interface Node {
  url: string
  child: ChildProcess
}

async function startNode(env: Record<string, string>): Promise<Node> {
  const child = spawn(process.execPath, [join(root, 'dist', 'server', 'main.js')], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', TIDINGS_API_KEY: API_KEY, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { msg?: string; port?: number }
        if (parsed.msg === 'listening' && parsed.port) resolve(parsed.port)
      } catch {
        // not a log line
      }
    })
    child.once('exit', (code) => reject(new Error(`node exited (${code}) before listening`)))
  })
  return { url: `http://127.0.0.1:${port}`, child }
}

const stopNode = (node: Node) =>
  new Promise<void>((resolve) => {
    if (node.child.exitCode !== null) return resolve()
    node.child.once('exit', () => resolve())
    node.child.kill('SIGTERM')
  })

async function post(url: string, title: string): Promise<number> {
  const res = await fetch(`${url}/notify`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title, body: 'Benchmark notification body' }),
  })
  await res.arrayBuffer()
  return res.status
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
}

/** Receivers spread round-robin over the nodes; `delivered` counts notifications received in total. */
async function connectReceivers(nodes: Node[]) {
  const sockets: Socket[] = []
  let delivered = 0
  let waiter: { target: number; resolve: () => void } | undefined
  for (let i = 0; i < RECEIVERS; i++) {
    const socket = io(nodes[i % nodes.length]!.url, { transports: ['websocket'], forceNew: true, reconnection: false })
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('connect_error', reject)
    })
    socket.on('notification', () => {
      delivered++
      if (waiter && delivered >= waiter.target) {
        waiter.resolve()
        waiter = undefined
      }
    })
    sockets.push(socket)
  }
  return {
    delivered: () => delivered,
    until: (target: number) =>
      delivered >= target ? Promise.resolve() : new Promise<void>((resolve) => (waiter = { target, resolve })),
    close: () => sockets.forEach((s) => s.close()),
  }
}

async function measure(label: string, nodes: Node[]) {
  const receivers = await connectReceivers(nodes)
  const latencies: number[] = []
  for (let i = 0; i < LATENCY_POSTS; i++) {
    const target = receivers.delivered() + RECEIVERS
    const sent = performance.now()
    const arrived = receivers.until(target)
    if ((await post(nodes[0]!.url, `latency ${i}`)) !== 202) throw new Error('POST refused')
    await arrived
    latencies.push(performance.now() - sent)
  }
  const start = receivers.delivered()
  const started = performance.now()
  const all = receivers.until(start + POSTS * RECEIVERS)
  let next = 0
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < POSTS) {
        const i = next++
        await post(nodes[i % nodes.length]!.url, `burst ${i}`)
      }
    }),
  )
  await all
  const seconds = (performance.now() - started) / 1000
  receivers.close()
  return {
    setup: label,
    receivers: RECEIVERS,
    'p50 ms': Number(quantile(latencies, 0.5).toFixed(1)),
    'p99 ms': Number(quantile(latencies, 0.99).toFixed(1)),
    'notifications/s': Math.round(POSTS / seconds),
    'deliveries/s': Math.round((POSTS * RECEIVERS) / seconds),
  }
}

const results: Record<string, string | number>[] = []
const scratch = mkdtempSync(join(tmpdir(), 'tidings-bench-cluster-'))
let redis: RedisServer | undefined
try {
  const single = await startNode({ TIDINGS_DB: join(scratch, 'single.db') })
  results.push(await measure('1 node, SQLite (no Redis)', [single]))
  await stopNode(single)

  redis = await startRedisServer({ durable: true })
  for (const count of [1, 2, 3]) {
    await redis.command('FLUSHALL')
    const nodes = await Promise.all(Array.from({ length: count }, () => startNode({ TIDINGS_REDIS_URL: redis!.url })))
    results.push(await measure(`${count} node${count > 1 ? 's' : ''}, Redis (appendfsync always)`, nodes))
    await Promise.all(nodes.map(stopNode))
  }
  console.table(results)
} finally {
  await redis?.dispose()
  rmSync(scratch, { recursive: true, force: true })
}
process.exit(0)
