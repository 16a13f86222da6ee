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
 * It is the bench's own side-by-side round (`runSideBySideRound`) with another build taking
 * part. Per server: server CPU per delivery, and the time from `POST /notify` to the last
 * receiver (p50, p90); then server CPU per room chat delivery.
 */
import { join, resolve } from 'node:path'
import { parseOptions } from './options.js'
import { LOAD_CORE, canPin, pinProcess } from './pinning.js'
import { SERVERS, type ServerUnderTest } from './servers/catalog.js'
import { runSideBySideRound } from './side-by-side-round.js'
import { quantile } from './stats.js'

const argv = process.argv.slice(2)
const valueOf = (flag: string): string | undefined => {
  const at = argv.indexOf(flag)
  return at >= 0 ? argv[at + 1] : undefined
}
const against = valueOf('--against')
const options = {
  ...parseOptions([]),
  fanoutSizes: [Number(valueOf('--receivers') ?? 2000)],
  postsPerSize: Number(valueOf('--posts') ?? 60),
  chatMessages: Number(valueOf('--chat') ?? 60),
}
options.pin &&= canPin()

const hub = SERVERS.find((s) => s.name === 'tidings')!
const plain = SERVERS.find((s) => s.name === 'plain-socketio')!
const servers: ServerUnderTest[] = [{ ...hub, label: 'Tidings (this checkout)' }, plain]
if (against !== undefined) {
  const entry = join(resolve(against), 'dist', 'server', 'main.js')
  servers.push({ ...hub, label: `Tidings (${against})`, launch: () => ({ ...hub.launch(), args: [entry] }) })
}

if (options.pin) pinProcess(process.pid, LOAD_CORE)
console.log(
  `${servers.length} servers, ${options.fanoutSizes[0]} receivers each, ${options.postsPerSize} posts and ` +
    `${options.chatMessages} chat messages each, taking turns${options.pin ? ', pinned' : ''}`,
)
const results = await runSideBySideRound(servers, 1, options, () => undefined)
const base = results[1]!
console.log('| server | fan-out CPU per delivery (µs) | / plain | last p50 (ms) | last p90 (ms) | room chat CPU per delivery (µs) | / plain |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const [at, server] of servers.entries()) {
  const { fanout, chatCost } = results[at]!
  const f = fanout[0]!
  const cells = [
    f.cpuMicrosPerDelivery.toFixed(2),
    (f.cpuMicrosPerDelivery / base.fanout[0]!.cpuMicrosPerDelivery).toFixed(2) + '×',
    quantile(f.samples, 0.5).toFixed(1),
    quantile(f.samples, 0.9).toFixed(1),
    chatCost.cpuMicrosPerDelivery.toFixed(2),
    (chatCost.cpuMicrosPerDelivery / base.chatCost.cpuMicrosPerDelivery).toFixed(2) + '×',
  ]
  console.log(`| ${server.label} | ${cells.join(' | ')} |`)
}
