/** How big and how long a bench run is; chosen with `--quick`, `--smoke` or nothing (full). */
export interface BenchOptions {
  mode: 'full' | 'quick' | 'smoke'
  /** Alternating rounds: every server is measured once per round, in rotated order. */
  rounds: number
  /** Receiver counts for the fan-out latency figure; the last one is also used for memory and chat. */
  fanoutSizes: number[]
  /** Repeated `POST /notify` per fan-out size per round (p99 needs enough of them). */
  postsPerSize: number
  /** Room chat cost: chat messages per server, one at a time, the servers side by side. */
  chatMessages: number
  /** Saturation ramp: offered chat messages per second, one step each, stopping at the first miss. */
  saturationRates: number[]
  saturationStepSeconds: number
  /** Connections that post in the chat scenarios (the rest only receive). */
  chatSenders: number
  /** The tutorial's chat flood: real socket.io-client connections, how many of them post. */
  floodClients: number
  floodSenders: number
  /**
   * The flood's latency step: chat messages per second over all servers, which take turns
   * message by message, and how many messages each server gets.
   */
  floodLatencyRate: number
  floodLatencyMessages: number
  /** Unmeasured messages per server, side by side, before the latency step (see `runFloodRound`). */
  floodWarmupMessages: number
  /** The flood's ramp of offered messages per second, one step each, stopping at the first miss. */
  floodRates: number[]
  floodStepSeconds: number
  /** autocannon duration and concurrency for `POST /notify`. */
  notifySeconds: number
  notifyConnections: number
  /** Handshakes in flight while opening connections. */
  connectConcurrency: number
  /** Pin servers to core 0 and the load generator to core 1 when taskset exists. */
  pin: boolean
  /** Rewrite docs/benchmarks.md and write `.bench/results-*.json`. */
  writeReports: boolean
  /** Extra copy of the results, for the smoke test. */
  jsonOut?: string
  /** Write a V8 CPU profile of every server per scenario here (`--profile`), for hot-path hunting. */
  profileDir?: string
  /** Skip the figures (`--flood-only`) or the flood (`--no-flood`), for development. */
  figures: boolean
  flood: boolean
  /** Restrict to some servers by name (`--only tidings,raw-ws`), for development. */
  only?: string[]
}

const FULL: BenchOptions = {
  mode: 'full',
  rounds: 3,
  // The sizes the performance targets are stated at.
  fanoutSizes: [2000],
  postsPerSize: 30,
  chatMessages: 40,
  saturationRates: [10, 20, 40, 80, 160],
  saturationStepSeconds: 2,
  chatSenders: 10,
  floodClients: 1000,
  floodSenders: 100,
  floodLatencyRate: 20,
  floodLatencyMessages: 80,
  floodWarmupMessages: 20,
  floodRates: [20, 40, 80, 160, 320],
  floodStepSeconds: 2,
  notifySeconds: 4,
  notifyConnections: 10,
  connectConcurrency: 100,
  pin: true,
  writeReports: true,
  figures: true,
  flood: true,
}

const QUICK: BenchOptions = {
  ...FULL,
  mode: 'quick',
  rounds: 1,
  fanoutSizes: [200, 1000],
  postsPerSize: 10,
  chatMessages: 20,
  saturationRates: [40, 320],
  saturationStepSeconds: 1,
  floodClients: 300,
  floodSenders: 30,
  floodLatencyMessages: 20,
  floodWarmupMessages: 10,
  floodRates: [40, 160, 640],
  floodStepSeconds: 1,
  notifySeconds: 1,
}

const SMOKE: BenchOptions = {
  ...QUICK,
  mode: 'smoke',
  fanoutSizes: [50],
  postsPerSize: 3,
  chatMessages: 3,
  saturationRates: [10],
  saturationStepSeconds: 0.5,
  chatSenders: 2,
  floodClients: 30,
  floodSenders: 3,
  floodLatencyRate: 10,
  floodLatencyMessages: 5,
  floodWarmupMessages: 2,
  floodRates: [10],
  floodStepSeconds: 0.5,
  notifySeconds: 0.5,
  notifyConnections: 2,
  // Smoke runs inside `npm test` next to other test files: leave the scheduler alone.
  pin: false,
  writeReports: false,
}

export function parseOptions(argv: string[]): BenchOptions {
  const base = argv.includes('--smoke') ? SMOKE : argv.includes('--quick') ? QUICK : FULL
  const options = { ...base }
  const valueOf = (flag: string): string | undefined => {
    const at = argv.indexOf(flag)
    return at >= 0 ? argv[at + 1] : undefined
  }
  const rounds = valueOf('--rounds')
  if (rounds !== undefined) options.rounds = Math.max(1, Number.parseInt(rounds, 10) || 1)
  const jsonOut = valueOf('--json-out')
  if (jsonOut !== undefined) options.jsonOut = jsonOut
  const only = valueOf('--only')
  if (only !== undefined) options.only = only.split(',')
  const sizes = valueOf('--sizes')
  if (sizes !== undefined) options.fanoutSizes = sizes.split(',').map(Number).filter((n) => n > 0)
  if (argv.includes('--profile')) options.profileDir = `.bench/profiles/${new Date().toISOString().replace(/[:.]/g, '-')}`
  if (argv.includes('--flood-only')) options.figures = false
  if (argv.includes('--no-flood')) options.flood = false
  if (argv.includes('--no-pin')) options.pin = false
  if (argv.includes('--no-write')) options.writeReports = false
  return options
}

/**
 * How many connections a run opens at once: the per-delivery figures connect the largest
 * receiver count to every server side by side, the flood its clients to both of its servers.
 */
export const peakConnections = (options: BenchOptions, servers: number, floodServers: number): number =>
  Math.max(servers * Math.max(...options.fanoutSizes), floodServers * options.floodClients)
