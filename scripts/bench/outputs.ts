import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { BenchOptions } from './options.js'
import { cpuModel } from './proc-stats.js'
import { FOOTNOTES, bundleTable, floodTable, markdownTable, type FloodSummaryRow, type SummaryRow } from './report.js'
import type { BundleSize } from './scenarios/bundle-size.js'
import type { FloodRoundResult, RoundResult } from './server-round.js'
import { projectRoot } from './servers/catalog.js'

export interface BenchResults {
  startedAt: string
  mode: BenchOptions['mode']
  command: string
  machine: string
  pinned: boolean
  options: BenchOptions
  summary: SummaryRow[]
  floodSummary: FloodSummaryRow[]
  bundles: { tidings: BundleSize; socketIoClient: BundleSize }
  rounds: RoundResult[]
  floods: FloodRoundResult[]
  /** Server rounds that could not be measured, and why. */
  failures: string[]
  /** The machine's 1-minute load average as the run started and ended: other work skews figures. */
  loadAverage: { start: number; end: number }
}

export const machineLine = (): string =>
  `${cpuModel()}, ${cpus().length} cores, Node ${process.version}, ${process.platform} ${process.arch}`

export function commandLine(options: BenchOptions): string {
  return options.mode === 'full' ? 'npm run bench' : `npm run bench -- --${options.mode}`
}

/** Writes the JSON file under `.bench/` (git-ignored) and returns its path relative to the project. */
export function writeJson(results: BenchResults, path?: string): string {
  const relative = path ?? join('.bench', `results-${results.startedAt.replace(/[:.]/g, '-')}.json`)
  const absolute = resolve(projectRoot, relative)
  mkdirSync(dirname(absolute), { recursive: true })
  writeFileSync(absolute, `${JSON.stringify(results, null, 2)}\n`)
  return relative
}

/**
 * The hand-written part of docs/benchmarks.md, from this heading on: what the profiles say each
 * figure is made of. A run rewrites the tables above it and keeps it.
 */
export const FINDINGS_HEADING = '## Where the time goes'

function keptFindings(path: string): string {
  if (!existsSync(path)) return ''
  const text = readFileSync(path, 'utf8')
  const at = text.indexOf(`\n${FINDINGS_HEADING}\n`)
  return at < 0 ? '' : text.slice(at)
}

/** Rewrites docs/benchmarks.md with the latest tables, keeping the findings section. */
export function writeDocs(results: BenchResults): void {
  const docsPath = join(projectRoot, 'docs', 'benchmarks.md')
  const { options } = results
  const largest = Math.max(...options.fanoutSizes)
  const text = `# Benchmarks

Tidings against the tutorial's chat server on plain Socket.IO (Express + Socket.IO defaults,
WebSocket transport only) and against a bare \`ws\` server that writes the same frames in a loop
(the Node floor); then the tutorial's chat flood against the tutorial's own server, with real
socket.io-client connections. Every server runs as a child process. The figures that are paid
per delivery (fan-out, room chat, the flood's latency) are measured **side by side**: every
server running at once, each with its own connections, taking turns post by post or message by
message, so that drift in the machine's load lands on all of them alike. The rest is measured on
each server alone, in rotated order. The hub keeps its default configuration throughout:
persistence, validation, limits and presence on.

- Command: \`${results.command}\`
- Machine: ${results.machine}
- Date: ${results.startedAt}, ${options.rounds} round(s), mode \`${results.mode}\`
- Pinning: ${results.pinned ? 'server on core 0, load generator on core 1 (`taskset`)' : 'none'}
- Load average (1 min) at start / end: ${results.loadAverage.start.toFixed(2)} / ${results.loadAverage.end.toFixed(2)}${
    Math.max(results.loadAverage.start, results.loadAverage.end) > cpus().length
      ? ' — **other work was running on the machine: these figures were taken under load**'
      : ''
  }

## Results

${markdownTable(results.summary)}

### The tutorial's chat flood

${floodTable(results.floodSummary)}

${FOOTNOTES.join('\n\n')}

${bundleTable(results.bundles)}
${results.failures.length === 0 ? '' : `\nRounds that failed (left out of the table):\n\n${results.failures.map((f) => `- ${f}`).join('\n')}\n`}
## How each figure is measured

- **POST /notify → last of N** (side by side): one notification at a time to every connected
  socket, the servers taking turns; the time from sending the request to the N-th arrival,
  ${options.postsPerSize} posts per server per size per round.
- **Notification fan-out CPU per delivery** (side by side): the server's CPU time (user + system,
  all threads: \`process.cpuUsage()\` read through its V8 inspector, in microseconds, where
  \`/proc\` counts 10 ms ticks) from each of its posts until 20 ms after its last delivery,
  summed over its posts, divided by the notifications delivered.
- **Room chat CPU per delivery** (side by side): ${options.chatMessages} chat messages per server per round,
  one at a time, the servers taking turns, from ${options.chatSenders} of the ${largest} connections in turn;
  every connection receives every message (the hub delivers to the room \`general\`, which all of
  them join; the baselines to everyone). Server CPU as for the fan-out, divided by deliveries.
- Figures measured alone (saturation, memory, HTTP, connections) and the flood's ramp read CPU
  and memory from \`/proc/<pid>/stat\` and \`/proc/<pid>/status\`.
- **Saturation**: the offered rate steps through ${options.saturationRates.join(', ')} messages/s
  (${options.saturationStepSeconds} s each) until fewer than 95% of deliveries arrive in time; the best
  deliveries/s seen.
- **Idle memory per connection**: after two full GCs forced through each server's V8 inspector,
  (memory with ${largest} idle connections − memory with none) / ${largest}; heap is \`heapUsed\`, RSS the
  process's.
- **POST /notify req/s**: autocannon, ${options.notifyConnections} connections, ${options.notifySeconds} s,
  no socket connected (the HTTP path alone).
- **Connections/s**: Engine.IO open + Socket.IO connect, ${options.connectConcurrency} handshakes in flight.
- **Chat flood**: the tutorial's chat server (\`scripts/bench/servers/tutorial-chat.ts\`: Express +
  Socket.IO defaults, \`io.emit\` of each message to every connection) against the hub with its
  default configuration (every message stored before it is sent, validated, rate-limited, presence
  on), both in fresh processes for each round. ${options.floodClients} real socket.io-client connections
  per server (WebSocket transport); ${options.floodSenders} of them post, round-robin, and every message
  reaches all ${options.floodClients}. Latency (side by side): once both servers and the load generator are
  idle, ${options.floodLatencyRate} messages/s in all, alternating between the two servers, ${options.floodLatencyMessages} per
  server (after ${options.floodWarmupMessages} unmeasured ones each), each message carrying its send time; p50/p99 over
  every arrival. Both servers' clients connect and join at the same time, and the load generator
  runs a full GC before the step (its full GCs during the step are recorded in the JSON). Deliveries/s (each
  server alone): the offered rate steps through ${options.floodRates.join(', ')} messages/s (${options.floodStepSeconds} s each)
  until fewer than 95% arrive in time; the best step. Memory: the server's RSS sampled every
  100 ms, peak minus the RSS before the first connection.

The load generator is one process of raw \`ws\` connections speaking the Engine.IO v4 / Socket.IO v5
framing and counting frames by their prefix; socket.io-client only checks each server's protocol
before it is measured. Receivers in the chat join under one shared name so that setting up the room
is not an N² \`user-joined\` storm.

JSON with every round: \`.bench/results-*.json\` (not committed). CPU profiles of every server
per scenario: \`npm run bench -- --profile\` writes
\`.bench/profiles/<run>/<server>-r<round>-<scenario>.cpuprofile\` (not committed; profiling slows
the servers, so its figures are not the published ones), and
\`npm run bench:top -- <file or folder> [--by package]\` prints their top self-time functions.
Heap per idle connection by object and holder: \`npm run bench:heap -- [tidings|plain-socketio] [N]\`.
${keptFindings(docsPath)}`
  writeFileSync(docsPath, text)
}
