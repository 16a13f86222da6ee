/**
 * `npm run bench:paired -- [--against <other checkout>] [--receivers 2000] [--posts 60] [--chat 60]`
 *
 * A/B for the notification fan-out and room chat: this checkout's built hub, plain Socket.IO and, with
 * `--against`, the built hub of another checkout (e.g. a `git worktree` of an older commit,
 * after `npm run build:server` there) run side by side, each with its own receivers, and the
 * posts alternate between them. Drift in the machine's load then lands on every server alike,
 * which a sequential run cannot promise: use it to say whether a change costs CPU per delivery,
 * on a machine that is not quiet enough for `npm run bench`.
 *
 * Per server: server CPU per delivery (from /proc, over each post and its writes), and the
 * time from `POST /notify` to the last receiver (p50, p90); then server CPU per room chat
 * delivery, chat messages taking turns the same way. `npm run bench` measures its
 * per-delivery figures the same way (`measureFanoutSideBySide`), against the baselines only.
 */
import { join, resolve } from 'node:path'
import { LightClientPool } from './light-client.js'
import { LOAD_CORE, SERVER_CORE, canPin, pinProcess } from './pinning.js'
import { measureFanoutSideBySide } from './scenarios/fanout-latency.js'
import { measureChatCostSideBySide, prepareRoom } from './scenarios/room-chat.js'
import { startServer } from './server-process.js'
import { SERVERS } from './servers/catalog.js'
import { openCpuMeter, type Contender } from './side-by-side.js'
import { quantile } from './stats.js'

const argv = process.argv.slice(2)
const valueOf = (flag: string): string | undefined => {
  const at = argv.indexOf(flag)
  return at >= 0 ? argv[at + 1] : undefined
}
const receivers = Number(valueOf('--receivers') ?? 2000)
const posts = Number(valueOf('--posts') ?? 60)
const against = valueOf('--against')
const chatMessages = Number(valueOf('--chat') ?? 60)
const CHAT_SENDERS = 10

const hub = SERVERS.find((s) => s.name === 'tidings')!
const plain = SERVERS.find((s) => s.name === 'plain-socketio')!
const launches = [
  { label: 'Tidings (this checkout)', launch: hub.launch(), server: hub },
  { label: 'plain Socket.IO', launch: plain.launch(), server: plain },
]
if (against !== undefined) {
  const other = hub.launch()
  other.args = [join(resolve(against), 'dist', 'server', 'main.js')]
  launches.push({ label: `Tidings (${against})`, launch: other, server: hub })
}

const pin = canPin()
if (pin) pinProcess(process.pid, LOAD_CORE)
const contenders: Contender<LightClientPool>[] = []
try {
  for (const { label, launch } of launches) {
    const running = await startServer(launch)
    if (pin) pinProcess(running.pid, SERVER_CORE)
    const pool = new LightClientPool(running.url)
    contenders.push({ name: label, running, pool, cpu: await openCpuMeter(running.inspectorUrl) })
    const { failed } = await pool.open(receivers, 100)
    if (failed > 0) throw new Error(`${label}: ${failed} of ${receivers} connections failed`)
    await pool.settle(200)
  }
  console.log(`${contenders.length} servers, ${receivers} receivers each, ${posts} posts each, alternating${pin ? ', pinned' : ''}`)
  const results = await measureFanoutSideBySide(contenders, posts)
  for (const [at, c] of contenders.entries()) {
    await prepareRoom(c.pool, launches[at]!.server, CHAT_SENDERS)
    await c.pool.settle(200)
  }
  const chat = await measureChatCostSideBySide(contenders, CHAT_SENDERS, chatMessages)
  const base = results[1]!.cpuMicrosPerDelivery
  const chatBase = chat[1]!.cpuMicrosPerDelivery
  console.log('| server | fan-out CPU per delivery (µs) | / plain | last p50 (ms) | last p90 (ms) | room chat CPU per delivery (µs) | / plain |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const [at, c] of contenders.entries()) {
    const r = results[at]!
    const cells = [
      r.cpuMicrosPerDelivery.toFixed(2),
      (r.cpuMicrosPerDelivery / base).toFixed(2) + '×',
      quantile(r.samples, 0.5).toFixed(1),
      quantile(r.samples, 0.9).toFixed(1),
      chat[at]!.cpuMicrosPerDelivery.toFixed(2),
      (chat[at]!.cpuMicrosPerDelivery / chatBase).toFixed(2) + '×',
    ]
    console.log(`| ${c.name} | ${cells.join(' | ')} |`)
  }
} finally {
  for (const c of contenders) {
    c.pool.closeAll()
    c.cpu.close()
    await c.running.stop()
  }
}
