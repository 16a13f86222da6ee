import type { BenchOptions } from './options.js'
import type { BundleSize } from './scenarios/bundle-size.js'
import type { FloodRoundResult, RoundResult } from './server-round.js'
import type { FloodServerName, ServerName } from './servers/catalog.js'
import { spread, type Spread } from './stats.js'

/** One bound of a target: Tidings against a baseline (a ratio of medians) or an absolute value. */
export interface Bound {
  op: '≤' | '≥'
  value: number
  vs: 'plain' | 'raw' | 'tutorial' | 'absolute'
  unit?: string
}

export interface TargetCheck {
  text: string
  met: boolean | undefined
  /** For a missed target: by how much each failing bound is missed, e.g. "1.07× plain, 7% over ≤ 1.0×". */
  misses: string[]
}

/** Checks bounds against the values they compare (NaN when a server has no figure). */
export function checkBounds(bounds: Bound[], actual: (vs: Bound['vs']) => number): TargetCheck {
  const text = bounds.map((b) => (b.vs === 'absolute' ? `${b.op} ${b.value} ${b.unit ?? ''}`.trim() : `${b.op} ${b.value.toFixed(1)}× ${b.vs}`)).join(', ')
  const misses: string[] = []
  let known = true
  for (const bound of bounds) {
    const value = actual(bound.vs)
    if (!Number.isFinite(value)) {
      known = false
      continue
    }
    const ok = bound.op === '≤' ? value <= bound.value : value >= bound.value
    if (ok) continue
    const shown = bound.vs === 'absolute' ? `${formatNumber(value)} ${bound.unit ?? ''}`.trim() : `${value.toFixed(2)}× ${bound.vs}`
    const off = Math.abs(value / bound.value - 1) * 100
    misses.push(`${shown}: ${off.toFixed(0)}% ${bound.op === '≤' ? 'over' : 'under'} ${bound.op} ${bound.vs === 'absolute' ? bound.value : `${bound.value.toFixed(1)}×`}`)
  }
  return { text, met: misses.length > 0 ? false : known ? true : undefined, misses }
}

const targetCell = (check: TargetCheck | undefined): string =>
  check === undefined ? '' : `${check.text}${check.met === undefined ? '' : check.met ? ' ✅' : ` ❌ (${check.misses.join('; ')})`}`

interface Figure {
  label: string
  better: 'lower' | 'higher'
  /** Shown value from raw value, e.g. bytes → KB. */
  scale?: number
  pick: (r: RoundResult) => number
  clientBound?: (r: RoundResult) => boolean
  /** Lower bound only (a saturation ramp that never saturated). */
  atLeast?: (r: RoundResult) => boolean
  target?: Bound[]
}

export interface SummaryRow {
  label: string
  better: 'lower' | 'higher'
  byServer: Record<ServerName, Spread & { clientBound: boolean; atLeast: boolean }>
  tidingsOverPlain: number
  tidingsOverRaw: number
  target?: TargetCheck
}

const fanoutAt = (r: RoundResult, n: number) => r.fanout.find((f) => f.receivers === n)

function figuresFor(sizes: number[]): Figure[] {
  const largest = Math.max(...sizes)
  const latency = sizes.flatMap((n): Figure[] => [
    {
      label: `POST /notify → last of N=${n}, p50 (ms)`,
      better: 'lower',
      pick: (r) => fanoutAt(r, n)?.p50 ?? Number.NaN,
      clientBound: (r) => fanoutAt(r, n)?.clientBound ?? false,
    },
    {
      label: `POST /notify → last of N=${n}, p99 (ms)`,
      better: 'lower',
      pick: (r) => fanoutAt(r, n)?.p99 ?? Number.NaN,
      clientBound: (r) => fanoutAt(r, n)?.clientBound ?? false,
      target: [{ op: '≤', value: 1.1, vs: 'plain' }],
    },
    {
      label: `Notification fan-out, server CPU per delivery, N=${n} (µs)`,
      better: 'lower',
      pick: (r) => fanoutAt(r, n)?.cpuMicrosPerDelivery ?? Number.NaN,
      clientBound: (r) => fanoutAt(r, n)?.clientBound ?? false,
      target: [
        { op: '≤', value: 1.0, vs: 'plain' },
        { op: '≤', value: 1.3, vs: 'raw' },
      ],
    },
  ])
  return [
    ...latency,
    {
      label: `Room chat, server CPU per delivery, N=${largest} (µs)`,
      better: 'lower',
      pick: (r) => r.chatCost?.cpuMicrosPerDelivery ?? Number.NaN,
      clientBound: (r) => r.chatCost?.clientBound ?? false,
      target: [
        { op: '≤', value: 1.0, vs: 'plain' },
        { op: '≤', value: 1.3, vs: 'raw' },
      ],
    },
    {
      label: `Room chat saturation, N=${largest} (deliveries/s)`,
      better: 'higher',
      pick: (r) => r.saturation.deliveriesPerSecond,
      clientBound: (r) => r.saturation.clientBound,
      atLeast: (r) => !r.saturation.reached,
    },
    {
      label: `Idle heap per connection, N=${largest} (KB)`,
      better: 'lower',
      scale: 1 / 1024,
      pick: (r) => r.idleMemory.heapPerConnection,
      target: [{ op: '≤', value: 0.8, vs: 'plain' }],
    },
    {
      label: `Idle RSS per connection, N=${largest} (KB)`,
      better: 'lower',
      scale: 1 / 1024,
      pick: (r) => r.idleMemory.rssPerConnection,
      target: [{ op: '≤', value: 0.8, vs: 'plain' }],
    },
    {
      label: 'POST /notify, no sockets (req/s)',
      better: 'higher',
      pick: (r) => r.notify.requestsPerSecond,
      clientBound: (r) => r.notify.clientBound,
      target: [{ op: '≥', value: 5000, vs: 'absolute', unit: 'req/s' }],
    },
    {
      label: 'Connections established (conn/s)',
      better: 'higher',
      pick: (r) => r.connectionsPerSecond,
      clientBound: (r) => r.connections.some((c) => c.clientBound),
    },
  ]
}

const SERVER_ORDER: ServerName[] = ['tidings', 'plain-socketio', 'raw-ws']

/** Medians and min–max over rounds for every figure, with the ratios and targets. */
export function summarise(rounds: RoundResult[], sizes: number[]): SummaryRow[] {
  return figuresFor(sizes).map((figure) => {
    const byServer = {} as SummaryRow['byServer']
    for (const name of SERVER_ORDER) {
      const mine = rounds.filter((r) => r.server === name)
      const scale = figure.scale ?? 1
      byServer[name] = {
        ...spread(mine.map((r) => figure.pick(r) * scale)),
        clientBound: mine.some((r) => figure.clientBound?.(r) ?? false),
        atLeast: mine.some((r) => figure.atLeast?.(r) ?? false),
      }
    }
    const t = byServer.tidings.median
    const p = byServer['plain-socketio'].median
    const w = byServer['raw-ws'].median
    const row: SummaryRow = {
      label: figure.label,
      better: figure.better,
      byServer,
      tidingsOverPlain: t / p,
      tidingsOverRaw: t / w,
    }
    if (figure.target) {
      row.target = checkBounds(figure.target, (vs) => (vs === 'plain' ? t / p : vs === 'raw' ? t / w : t))
    }
    return row
  })
}

/** Three significant digits, thousands kept whole: 0.123, 12.3, 4560. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a'
  const abs = Math.abs(value)
  if (abs >= 1000) return Math.round(value).toString()
  if (abs >= 100) return value.toFixed(0)
  if (abs >= 10) return value.toFixed(1)
  if (abs >= 1) return value.toFixed(2)
  return value.toFixed(3)
}

function cell(s: Spread & { clientBound: boolean; atLeast: boolean }): string {
  if (s.rounds === 0) return 'n/a'
  const value = `${s.atLeast ? '≥ ' : ''}${formatNumber(s.median)}`
  const range = s.rounds > 1 ? ` (${formatNumber(s.min)}–${formatNumber(s.max)})` : ''
  return `${value}${range}${s.clientBound ? ' †' : ''}`
}

const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a')

/** The results table as Markdown (readable as plain text in a terminal too). */
export function markdownTable(rows: SummaryRow[]): string {
  const lines = [
    '| Figure | Tidings | plain Socket.IO | raw ws | Tidings / plain | Tidings / raw ws | Target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ]
  for (const row of rows) {
    lines.push(
      `| ${row.label} | ${cell(row.byServer.tidings)} | ${cell(row.byServer['plain-socketio'])} | ${cell(row.byServer['raw-ws'])} | ${ratio(row.tidingsOverPlain)} | ${ratio(row.tidingsOverRaw)} | ${targetCell(row.target)} |`,
    )
  }
  return lines.join('\n')
}

const kb = (bytes: number): string => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KB` : 'not built')

export function bundleTable(bundles: { tidings: BundleSize; socketIoClient: BundleSize }): string {
  const { tidings, socketIoClient } = bundles
  const met = Number.isFinite(tidings.gzip) ? (tidings.gzip <= 30 * 1024 ? ' ✅' : ' ❌') : ''
  return [
    '| Bundle | raw | gzip (as sent) | brotli (as sent) | Target |',
    '| --- | ---: | ---: | ---: | --- |',
    `| Tidings embed \`${tidings.file}\` | ${kb(tidings.raw)} | ${kb(tidings.gzip)} | ${kb(tidings.brotli)} | ≤ 30 KB gzip${met} |`,
    `| socket.io-client \`${socketIoClient.file}\` | ${kb(socketIoClient.raw)} | ${kb(socketIoClient.gzip)} | ${kb(socketIoClient.brotli)} | |`,
    `| Tidings / socket.io-client | ${ratio(tidings.raw / socketIoClient.raw)} | ${ratio(tidings.gzip / socketIoClient.gzip)} | ${ratio(tidings.brotli / socketIoClient.brotli)} | |`,
  ].join('\n')
}

export const FOOTNOTES = [
  'Cells: median over rounds (min–max). Ratios divide medians. † the load generator used ≥ 85% of its core in at least one round: the figure may be client-bound. ≥ the saturation ramp never fell behind: a lower bound.',
]

interface FloodFigure {
  label: string
  better: 'lower' | 'higher'
  scale?: number
  pick: (r: FloodRoundResult) => number
  target?: Bound[]
}

export interface FloodSummaryRow {
  label: string
  tidings: Spread & { clientBound: boolean; atLeast: boolean }
  tutorial: Spread & { clientBound: boolean; atLeast: boolean }
  tidingsOverTutorial: number
  target?: TargetCheck
}

function floodFigures(options: Pick<BenchOptions, 'floodClients' | 'floodSenders'>): FloodFigure[] {
  const at = `${options.floodClients} clients, ${options.floodSenders} senders`
  return [
    {
      label: `Chat flood, ${at}: best deliveries/s`,
      better: 'higher',
      pick: (r) => r.deliveriesPerSecond,
      target: [{ op: '≥', value: 1.0, vs: 'tutorial' }],
    },
    {
      label: `Chat flood, ${at}: p99 send → arrival, side by side (ms)`,
      better: 'lower',
      pick: (r) => r.latency.p99,
      target: [{ op: '≤', value: 1.0, vs: 'tutorial' }],
    },
    {
      label: `Chat flood, ${at}: p50 send → arrival, side by side (ms)`,
      better: 'lower',
      pick: (r) => r.latency.p50,
    },
    {
      // Growth, not the total: the baselines run through a TypeScript loader, the hub from its build.
      label: `Chat flood, ${at}: server RSS growth, peak − start (MB)`,
      better: 'lower',
      scale: 1 / 2 ** 20,
      pick: (r) => r.rssGrowthBytes,
    },
  ]
}

/** The chat flood's figures: Tidings against the tutorial's own server. */
export function summariseFlood(rounds: FloodRoundResult[], options: BenchOptions): FloodSummaryRow[] {
  return floodFigures(options).map((figure) => {
    const of = (name: FloodServerName) => {
      const mine = rounds.filter((r) => r.server === name)
      return {
        ...spread(mine.map((r) => figure.pick(r) * (figure.scale ?? 1))),
        clientBound: mine.some((r) => r.clientBound),
        atLeast: figure.better === 'higher' && mine.some((r) => !r.reached),
      }
    }
    const tidings = of('tidings')
    const tutorial = of('tutorial')
    const row: FloodSummaryRow = { label: figure.label, tidings, tutorial, tidingsOverTutorial: tidings.median / tutorial.median }
    if (figure.target) row.target = checkBounds(figure.target, () => tidings.median / tutorial.median)
    return row
  })
}

export function floodTable(rows: FloodSummaryRow[]): string {
  const lines = ['| Figure | Tidings | tutorial server | Tidings / tutorial | Target |', '| --- | ---: | ---: | ---: | --- |']
  for (const row of rows) {
    lines.push(`| ${row.label} | ${cell(row.tidings)} | ${cell(row.tutorial)} | ${ratio(row.tidingsOverTutorial)} | ${targetCell(row.target)} |`)
  }
  return lines.join('\n')
}
