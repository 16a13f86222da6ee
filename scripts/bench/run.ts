/**
 * `npm run bench [-- --quick | --smoke] [--rounds N] [--only tidings,raw-ws] [--no-pin] [--profile]
 *   [--flood-only | --no-flood] [--json-out path]`
 *
 * Benchmarks Tidings against plain Socket.IO and raw `ws` in one run, in rounds: each round
 * measures the per-delivery figures with every server side by side (taking turns post by post),
 * then each server alone for the rest; then the tutorial's chat flood against the tutorial's own
 * server (latency side by side, each ramp alone),
 * prints progress and a table, writes `.bench/results-*.json` and rewrites docs/benchmarks.md
 * (full runs only: quick and smoke figures are too rough to publish).
 */
import { loadavg } from 'node:os'
import { bundleTable, floodTable, FOOTNOTES, markdownTable, summarise, summariseFlood } from './report.js'
import { commandLine, machineLine, writeDocs, writeJson, type BenchResults } from './outputs.js'
import { parseOptions, peakConnections } from './options.js'
import { LOAD_CORE, canPin, pinProcess } from './pinning.js'
import { openFileLimit } from './proc-stats.js'
import { measureBundles } from './scenarios/bundle-size.js'
import { allDelivered, floodDelivered, runServerRound, type FloodRoundResult, type RoundResult } from './server-round.js'
import { runFloodRound, runSideBySideRound, type SideBySideResult } from './side-by-side-round.js'
import { FLOOD_SERVERS, SERVERS, missingHubBuild } from './servers/catalog.js'

// Each connection is a socket in this process and another in the server, plus autocannon,
// the inspector and module files: leave headroom over the peak.
const FD_HEADROOM = 512

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2))
  const began = Date.now()
  const loadAtStart = loadavg()[0]!
  const progress = (line: string): void => console.log(`[${((Date.now() - began) / 1000).toFixed(1)}s] ${line}`)

  const missing = missingHubBuild()
  if (missing) {
    console.error(`bench: ${missing}`)
    return 1
  }
  const chosen = (name: string): boolean => options.only === undefined || options.only.includes(name)
  const servers = options.figures ? SERVERS.filter((s) => chosen(s.name)) : []
  const floodServers = options.flood ? FLOOD_SERVERS.filter((s) => chosen(s.name)) : []
  const peak = peakConnections(options, servers.length, floodServers.length)
  const needed = peak + FD_HEADROOM
  const limit = openFileLimit()
  if (limit < needed) {
    console.error(
      `bench: the open-file limit is ${limit}, but ${peak} connections need about ${needed}.\n` +
        `Raise it in this shell and retry:  ulimit -n ${Math.max(needed, 65536)} && ${commandLine(options)}\n` +
        `(or use --quick, which opens fewer connections)`,
    )
    return 1
  }

  const pinned = options.pin && canPin()
  if (pinned) pinProcess(process.pid, LOAD_CORE)
  progress(
    `mode ${options.mode}: ${options.rounds} round(s) × ` +
      [
        ...(servers.length > 0 ? [servers.map((s) => s.label).join(', ')] : []),
        ...(floodServers.length > 0 ? [`chat flood on ${floodServers.map((s) => s.label).join(', ')}`] : []),
      ].join(' + ') +
      '; ' +
      `N = ${options.fanoutSizes.join(', ')}; ${pinned ? 'servers on core 0, load generator on core 1' : 'not pinned'}; ` +
      `load average ${loadAtStart.toFixed(2)}`,
  )

  const rounds: RoundResult[] = []
  const floods: FloodRoundResult[] = []
  const failures: string[] = []
  for (let round = 1; round <= options.rounds; round++) {
    // Rotate who goes first, so no server always gets the machine's quietest (or noisiest) slot.
    const order = servers.map((_, i) => servers[(i + round - 1) % servers.length]!)
    let sideBySide: SideBySideResult[] = []
    if (order.length > 0) {
      try {
        sideBySide = await runSideBySideRound(order, round, options, progress)
      } catch (err) {
        const failure = `round ${round} ${(err as Error).message}`
        failures.push(failure)
        progress(`FAILED ${failure}`)
      }
    }
    for (const [at, server] of order.entries()) {
      try {
        const solo = await runServerRound(server, round, options, progress)
        const result: RoundResult = { ...solo, fanout: [], ...sideBySide[at] }
        if (!allDelivered(result)) progress(`round ${round} ${server.label}: NOT every message was delivered`)
        rounds.push(result)
      } catch (err) {
        // One server failing must not cost the other figures of a long run: note it, go on.
        const failure = `round ${round} ${(err as Error).message}`
        failures.push(failure)
        progress(`FAILED ${failure}`)
      }
    }
    if (floodServers.length > 0) {
      try {
        const order = floodServers.map((_, i) => floodServers[(i + round - 1) % floodServers.length]!)
        for (const result of await runFloodRound(order, round, options, progress)) {
          if (!floodDelivered(result)) progress(`round ${round} ${result.server} flood: NOT every message was delivered`)
          floods.push(result)
        }
      } catch (err) {
        const failure = `round ${round} ${(err as Error).message}`
        failures.push(failure)
        progress(`FAILED ${failure}`)
      }
    }
  }

  const bundles = measureBundles()
  const summary = summarise(rounds, options.fanoutSizes)
  const floodSummary = summariseFlood(floods, options)
  const results: BenchResults = {
    startedAt: new Date(began).toISOString(),
    mode: options.mode,
    command: commandLine(options),
    machine: machineLine(),
    pinned,
    options,
    summary,
    floodSummary,
    bundles,
    rounds,
    floods,
    failures,
    loadAverage: { start: loadAtStart, end: loadavg()[0]! },
  }

  const tables = [
    ...(servers.length > 0 ? [markdownTable(summary)] : []),
    ...(floodServers.length > 0 ? [floodTable(floodSummary)] : []),
  ]
  console.log(`\n${machineLine()}\n\n${tables.join('\n\n')}\n\n${FOOTNOTES.join('\n')}\n\n${bundleTable(bundles)}\n`)
  if (options.jsonOut !== undefined) writeJson(results, options.jsonOut)
  if (options.writeReports) {
    progress(`results: ${writeJson(results)}`)
    if (options.mode === 'full') {
      writeDocs(results)
      progress('docs/benchmarks.md rewritten')
    }
  }
  for (const failure of failures) console.log(`FAILED ${failure}`)
  const delivered = rounds.every(allDelivered) && floods.every(floodDelivered)
  progress(`done: every message delivered = ${delivered}, failed rounds = ${failures.length}`)
  return failures.length === 0 ? 0 : 2
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
