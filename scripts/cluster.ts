/**
 * `npm run cluster`: a local cluster for trying scale-out. Starts a private redis-server (with
 * every write fsynced, in a temporary folder) and three hubs on consecutive ports sharing it,
 * then prints what to try. Ctrl-C stops everything.
 *
 *   PORT=4000 npm run cluster     # nodes on 4000, 4001, 4002 (default 3000..3002)
 *   NODES=2 npm run cluster
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { startRedisServer } from '../test/helpers/redis-server.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const basePort = Number(process.env.PORT ?? 3000)
const count = Number(process.env.NODES ?? 3)
const apiKey = process.env.TIDINGS_API_KEY ?? randomBytes(24).toString('base64url')

const redis = await startRedisServer({ durable: true })
console.log(`redis   ${redis.url} (appendonly, fsync always) in ${redis.dir}`)

const nodes: ChildProcess[] = []
for (let i = 0; i < count; i++) {
  const port = basePort + i
  const name = `node ${String.fromCharCode(97 + i)}`
  const child = spawn(process.execPath, [join(root, 'dist', 'server', 'main.js')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      TIDINGS_API_KEY: apiKey,
      TIDINGS_REDIS_URL: redis.url,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      const { msg, level } = JSON.parse(line) as { msg?: string; level?: number | string }
      console.log(`${name}  ${level === 40 || level === 'warn' ? 'warn: ' : ''}${msg ?? line}`)
    } catch {
      console.log(`${name}  ${line}`)
    }
  })
  child.once('exit', (code) => {
    console.log(`${name}  exited (${code})`)
  })
  nodes.push(child)
}

console.log(`
${count} hubs on http://localhost:${basePort}..${basePort + count - 1}, sharing ${redis.url}.
Open the demo page on two of them, then publish through a third:

  curl -X POST http://localhost:${basePort + count - 1}/notify -H "Authorization: Bearer ${apiKey}" \\
    -H "Content-Type: application/json" -d '{"title":"Hello from the cluster"}'

Ctrl-C stops the hubs and Redis.
`)

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await Promise.all(
    nodes.map((child) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM'))))),
  )
  await redis.dispose()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
