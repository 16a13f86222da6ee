/**
 * Where an idle connection's memory goes: starts one server of the bench (the built hub or the
 * plain Socket.IO baseline), takes a heap snapshot with no connection and another with N idle
 * ones, and prints the difference per connection grouped by what each object is and what holds
 * it (`constructor <- property of holder`), largest first. The benchmark says how much; this says
 * what, so a change that adds per-connection state shows up by name.
 *
 * Run after `npm run build`: `npm run bench:heap -- [tidings|plain-socketio] [connections]`
 * (defaults: tidings, 2000). Snapshots are V8's own (`--heapsnapshot-signal`), in a temporary
 * directory removed at the end.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { LightClientPool } from '../bench/light-client.js'
import { BENCH_API_KEY, projectRoot } from '../bench/servers/catalog.js'

const server = process.argv[2] ?? 'tidings'
const connections = Number(process.argv[3] ?? 2000)
const ROWS = 40

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } }
  nodes: number[]
  edges: number[]
  strings: string[]
}
type Tally = Map<string, { count: number; bytes: number }>

function launch(dir: string) {
  const entry =
    server === 'tidings'
      ? [join(projectRoot, 'dist', 'server', 'main.js')]
      : // Resolved here: the server runs in the snapshot folder, where 'tsx' alone would not resolve.
        ['--import', import.meta.resolve('tsx'), join(projectRoot, 'scripts', 'bench', 'servers', 'plain-socketio.ts')]
  return spawn(process.execPath, ['--heapsnapshot-signal=SIGUSR2', ...entry], {
    // Snapshots are written to the working directory.
    cwd: dir,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      TIDINGS_API_KEY: BENCH_API_KEY,
      BENCH_API_KEY,
      TIDINGS_DB: join(dir, 'tidings.db'),
      NODE_PATH: join(projectRoot, 'node_modules'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
}

/** Signals the server and resolves with the parsed snapshot once V8 has finished writing it. */
async function snapshot(pid: number, dir: string): Promise<HeapSnapshot> {
  const before = new Set(readdirSync(dir))
  process.kill(pid, 'SIGUSR2')
  for (let attempt = 0; attempt < 600; attempt++) {
    await sleep(250)
    const file = readdirSync(dir).find((name) => name.endsWith('.heapsnapshot') && !before.has(name))
    if (file === undefined) continue
    try {
      return JSON.parse(readFileSync(join(dir, file), 'utf8')) as HeapSnapshot
    } catch {
      // Still being written.
    }
  }
  throw new Error('no heap snapshot after 150 s')
}

/** Self size and count per "what <- held by", each object under the first strong edge to it. */
function tally(heap: HeapSnapshot): Tally {
  const meta = heap.snapshot.meta
  const nodeFields = meta.node_fields.length
  const edgeFields = meta.edge_fields.length
  const [nodeTypes] = meta.node_types
  const [edgeTypes] = meta.edge_types
  const at = (field: string) => meta.node_fields.indexOf(field)
  const [type, name, edgeCount, selfSize] = [at('type'), at('name'), at('edge_count'), at('self_size')]
  const [edgeType, edgeName, edgeTo] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f)) as [number, number, number]
  const { nodes, edges, strings } = heap
  const what = (node: number): string => {
    const kind = nodeTypes[nodes[node + type]!]!
    if (kind.includes('string')) return '(string)'
    if (kind === 'object' || kind === 'closure') return `${kind === 'closure' ? 'closure ' : ''}${strings[nodes[node + name]!]!.slice(0, 40)}`
    return `(${kind})`
  }
  const holder = new Map<number, string>()
  let edge = 0
  for (let node = 0; node < nodes.length; node += nodeFields) {
    const from = what(node)
    for (let k = 0; k < nodes[node + edgeCount]!; k++, edge += edgeFields) {
      const to = edges[edge + edgeTo]!
      const kind = edgeTypes[edges[edge + edgeType]!]!
      if (kind === 'weak' || kind === 'shortcut' || holder.has(to)) continue
      const label = kind === 'property' || kind === 'context' ? strings[edges[edge + edgeName]!]! : kind
      if (label === '__proto__' || label === 'map') continue
      holder.set(to, `${label} of ${from}`)
    }
  }
  const result: Tally = new Map()
  for (let node = 0; node < nodes.length; node += nodeFields) {
    const key = `${what(node)} <- ${holder.get(node) ?? '(root)'}`
    const entry = result.get(key) ?? { count: 0, bytes: 0 }
    entry.count++
    entry.bytes += nodes[node + selfSize]!
    result.set(key, entry)
  }
  return result
}

const dir = mkdtempSync(join(tmpdir(), 'tidings-heap-'))
const child = launch(dir)
try {
  const url = await new Promise<string>((resolve, reject) => {
    let seen = ''
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      const port = /"port":(\d+)/.exec(seen)?.[1]
      if (port !== undefined) resolve(`http://127.0.0.1:${port}`)
    })
  })
  await sleep(500)
  const empty = tally(await snapshot(child.pid!, dir))
  const pool = new LightClientPool(url)
  const { connected, failed } = await pool.open(connections, 50)
  await sleep(1500)
  const full = tally(await snapshot(child.pid!, dir))
  pool.closeAll()

  const rows = [...full].map(([key, { count, bytes }]) => ({
    key,
    count: (count - (empty.get(key)?.count ?? 0)) / connected,
    bytes: (bytes - (empty.get(key)?.bytes ?? 0)) / connected,
  }))
  const total = rows.reduce((sum, row) => sum + row.bytes, 0)
  console.log(`${server}: ${connected} idle connections (${failed} failed), ${(total / 1024).toFixed(2)} KB per connection in the heap snapshot`)
  console.log('bytes/conn  objects/conn  what <- held by')
  for (const row of rows.sort((a, b) => b.bytes - a.bytes).slice(0, ROWS)) {
    console.log(`${row.bytes.toFixed(0).padStart(10)}  ${row.count.toFixed(2).padStart(12)}  ${row.key}`)
  }
} finally {
  child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
}
