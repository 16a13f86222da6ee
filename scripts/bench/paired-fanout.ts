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
 * time from `POST /notify` to the last receiver (p50, p90). `npm run bench` measures its
 * per-delivery figures the same way (`measureFanoutSideBySide`), against the baselines only.
 */
import { join, resolve } from 'node:path'
import { LightClientPool } from './light-client.js'
import { LOAD_CORE, SERVER_CORE, canPin, pinProcess } from './pinning.js'
import { measureFanoutSideBySide } from './scenarios/fanout-latency.js'
import { startServer } from './server-process.js'
import { SERVERS } from './servers/catalog.js'
import type { Contender } from './side-by-side.js'
import { quantile } from './stats.js'

const argv = process.argv.slice(2)
const valueOf = (flag: string): string | undefined => {
  const at = argv.indexOf(flag)
  return at >= 0 ? argv[at + 1] : undefined
}
const receivers = Number(valueOf('--receivers') ?? 2000)
const posts = Number(valueOf('--posts') ?? 60)
const against = valueOf('--against')

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
const contenders: Contender<LightClientPool>[] = []
try {
  for (const { label, launch } of launches) {
    const running = await startServer(launch)
    if (pin) pinProcess(running.pid, SERVER_CORE)
    const pool = new LightClientPool(running.url)
    contenders.push({ name: label, running, pool })
    const { failed } = await pool.open(receivers, 100)
    if (failed > 0) throw new Error(`${label}: ${failed} of ${receivers} connections failed`)
    await pool.settle(200)
  }
  console.log(`${contenders.length} servers, ${receivers} receivers each, ${posts} posts each, alternating${pin ? ', pinned' : ''}`)
  const results = await measureFanoutSideBySide(contenders, posts)
  const base = results[1]!.cpuMicrosPerDelivery
  console.log('| server | CPU per delivery (µs) | / plain | last p50 (ms) | last p90 (ms) |')
  console.log('| --- | ---: | ---: | ---: | ---: |')
  for (const [at, c] of contenders.entries()) {
    const r = results[at]!
    const cells = [r.cpuMicrosPerDelivery.toFixed(2), (r.cpuMicrosPerDelivery / base).toFixed(2) + '×', quantile(r.samples, 0.5).toFixed(1), quantile(r.samples, 0.9).toFixed(1)]
    console.log(`| ${c.name} | ${cells.join(' | ')} |`)
  }
} finally {
  for (const c of contenders) {
    c.pool.closeAll()
    await c.running.stop()
  }
}
