/**
 * `npm run bench:top -- <file.cpuprofile | folder> [--top N] [--by function|package]`
 *
 * Prints where a server spent its CPU in a V8 CPU profile (`npm run bench -- --profile`, or
 * `node --cpu-prof`): self time per function, or per package (`node_modules/<name>`, Node's own
 * `node:` modules, the project's files), biggest first. Given a folder, every profile in it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

export interface SelfTime {
  name: string
  micros: number
  share: number
}

/**
 * Where a frame's code lives: a package, a Node built-in, the project, or V8's own entries
 * (`(garbage collector)`, `(program)`: native code outside JavaScript, `(idle)`) kept by name.
 */
export function packageOf({ functionName, url }: ProfileNode['callFrame']): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)'
  if (url.startsWith('node:')) return 'node: built-ins'
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (inModules) return inModules[1]!
  const project = /\/(server|shared|scripts|dist\/server)\//.exec(url)
  return project ? `tidings ${project[1]}/` : url
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  if (url === '') return functionName === '' ? '(anonymous native)' : functionName
  const file = url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '')
  return `${functionName || '(anonymous)'}  ${file}:${lineNumber + 1}`
}

/**
 * Self time by function or package: each sample's time delta goes to the frame that was running.
 *
 * @example
 * selfTimes(JSON.parse(readFileSync('tidings-r1-flood-ramp.cpuprofile', 'utf8')), 'package')
 */
export function selfTimes(profile: CpuProfile, by: 'function' | 'package'): SelfTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const totals = new Map<string, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!)
    if (!node) continue
    // A sample's delta is the time since the previous one: charge it to the frame sampled now.
    const micros = Math.max(0, deltas[i] ?? 0)
    const key = by === 'function' ? frameName(node) : packageOf(node.callFrame)
    totals.set(key, (totals.get(key) ?? 0) + micros)
  }
  const all = [...totals.values()].reduce((a, b) => a + b, 0)
  return [...totals]
    .map(([name, micros]) => ({ name, micros, share: all === 0 ? 0 : micros / all }))
    .sort((a, b) => b.micros - a.micros)
}

/** Self time outside `(idle)`: what the process actually spent working, in microseconds. */
export const busyMicros = (rows: SelfTime[]): number =>
  rows.filter((r) => r.name !== '(idle)').reduce((sum, r) => sum + r.micros, 0)

function report(file: string, top: number, by: 'function' | 'package'): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const rows = selfTimes(profile, by)
  const busy = busyMicros(rows)
  const wall = profile.endTime - profile.startTime
  const lines = [
    `${basename(file)}: ${(wall / 1000).toFixed(0)} ms profiled, ${(busy / 1000).toFixed(0)} ms busy (${((100 * busy) / wall).toFixed(0)}%)`,
  ]
  for (const row of rows.filter((r) => r.name !== '(idle)').slice(0, top)) {
    const ofBusy = busy === 0 ? 0 : (100 * row.micros) / busy
    lines.push(`${ofBusy.toFixed(1).padStart(6)}%  ${(row.micros / 1000).toFixed(1).padStart(8)} ms  ${row.name}`)
  }
  return lines.join('\n')
}

function main(argv: string[]): number {
  const valueOf = (flag: string): string | undefined => {
    const at = argv.indexOf(flag)
    return at >= 0 ? argv[at + 1] : undefined
  }
  const top = Number.parseInt(valueOf('--top') ?? '20', 10) || 20
  const by = valueOf('--by') === 'package' ? 'package' : 'function'
  const target = argv.find((arg, i) => !arg.startsWith('--') && !argv[i - 1]?.startsWith('--'))
  if (target === undefined) {
    console.error('usage: npm run bench:top -- <file.cpuprofile | folder> [--top N] [--by function|package]')
    return 1
  }
  const files = statSync(target).isDirectory()
    ? readdirSync(target)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort()
        .map((f) => join(target, f))
    : [target]
  console.log(files.map((file) => report(file, top, by)).join('\n\n'))
  return 0
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(basename(process.argv[1]))) process.exitCode = main(process.argv.slice(2))
