/**
 * `npm run bench:paired -- [--against <other checkout>] [--receivers 2000] [--posts 60]`
 *
 * A/B for the notification fan-out: this checkout's built hub, plain Socket.IO and, with
 * `--against`, the built hub of another checkout (e.g. a `git worktree` of an older commit,
 * after `npm run build:server` there) run side by side, each with its own receivers, and the
 * posts alternate between them. Drift in the machine's load then lands on every server alike,
 * which a sequential run cannot promise: use it to say whether a change costs CPU per delivery,
 * on a machine that is not quiet enough for `npm run bench`.
 *
 * Per server: server CPU per delivery (from /proc, over each post and its writes), and the
 * time from `POST /notify` to the first and to the last receiver (p50, p90).
 */
import { join, resolve } from 'node:path'
import { LightClientPool } from './light-client.js'
import { postNotify } from './notify-request.js'
import { LOAD_CORE, SERVER_CORE, canPin, pinProcess } from './pinning.js'
import { processCpuMicros } from './proc-stats.js'
import { startServer, type RunningServer } from './server-process.js'
import { SERVERS } from './servers/catalog.js'
import { quantile, sleep } from './stats.js'

const argv = process.argv.slice(2)
const valueOf = (flag: string): string | undefined => {
  const at = argv.indexOf(flag)
  return at >= 0 ? argv[at + 1] : undefined
}
const receivers = Number(valueOf('--receivers') ?? 2000)
const posts = Number(valueOf('--posts') ?? 60)
const against = valueOf('--against')
// Lets each server finish the writes of one post before the next server's post.
const GAP_MS = 30
const DELIVERY_TIMEOUT_MS = 10_000

interface Contender {
  label: string
  running: RunningServer
  pool: LightClientPool
  cpuMicros: number
  first: number[]
  last: number[]
}

const hub = SERVERS.find((s) => s.name === 'tidings')!
const plain = SERVERS.find((s) => s.name === 'plain-socketio')!
const launches = [
  { label: 'Tidings (this checkout)', launch: hub.launch() },
  { label: 'plain Socket.IO', launch: plain.launch() },
]
if (against !== undefined) {
  const other = hub.launch()
  other.args = [join(resolve(against), 'dist', 'server', 'main.js')]
  launches.push({ label: `Tidings (${against})`, launch: other })
}

const pin = canPin()
if (pin) pinProcess(process.pid, LOAD_CORE)
const contenders: Contender[] = []
try {
  for (const { label, launch } of launches) {
    const running = await startServer(launch)
    if (pin) pinProcess(running.pid, SERVER_CORE)
    const pool = new LightClientPool(running.url)
    contenders.push({ label, running, pool, cpuMicros: 0, first: [], last: [] })
    const { failed } = await pool.open(receivers, 100)
    if (failed > 0) throw new Error(`${label}: ${failed} of ${receivers} connections failed`)
    await pool.settle(200)
  }
  console.log(`${contenders.length} servers, ${receivers} receivers each, ${posts} posts each, alternating${pin ? ', pinned' : ''}`)
  for (let i = 0; i < posts; i++) {
    // Alternate the order too, so that no server always follows the same one.
    for (const c of i % 2 === 0 ? contenders : [...contenders].reverse()) {
      const target = c.pool.counts.notification + receivers
      const cpu0 = processCpuMicros(c.running.pid)
      const sent = performance.now()
      const firstArrival = c.pool.waitForCount('notification', target - receivers + 1, DELIVERY_TIMEOUT_MS)
      const status = postNotify(c.running.url, `paired ${i}`)
      c.first.push((await firstArrival) - sent)
      c.last.push((await c.pool.waitForCount('notification', target, DELIVERY_TIMEOUT_MS)) - sent)
      if ((await status) !== 202) throw new Error(`${c.label}: POST /notify answered ${await status}`)
      await sleep(GAP_MS)
      c.cpuMicros += processCpuMicros(c.running.pid) - cpu0
    }
  }
  const base = contenders[1]!.cpuMicros
  console.log('| server | CPU per delivery (µs) | / plain | first arrival p50 (ms) | last p50 (ms) | last p90 (ms) |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
  for (const c of contenders) {
    const perDelivery = c.cpuMicros / (posts * receivers)
    const cells = [perDelivery.toFixed(2), (c.cpuMicros / base).toFixed(2) + '×', quantile(c.first, 0.5).toFixed(1), quantile(c.last, 0.5).toFixed(1), quantile(c.last, 0.9).toFixed(1)]
    console.log(`| ${c.label} | ${cells.join(' | ')} |`)
  }
} finally {
  for (const c of contenders) {
    c.pool.closeAll()
    await c.running.stop()
  }
}
