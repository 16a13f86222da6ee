import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { BenchResults } from './outputs.js'
import { projectRoot } from './servers/catalog.js'

// Runs the real bench in its tiny mode (N=50, one round, all three servers, then the chat flood
// on the hub and the tutorial's server): five server starts, a minute or two on a busy machine.
// It checks that the bench works and that every message reached every connection; never how
// fast anything was.
describe('npm run bench -- --smoke', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-bench-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('measures every server and delivers every message', async () => {
    const jsonOut = join(dir, 'results.json')
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/run.ts', '--smoke', '--json-out', jsonOut], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code, output).toBe(0)

    const results = JSON.parse(readFileSync(jsonOut, 'utf8')) as BenchResults
    expect(results.rounds.map((r) => r.server).sort()).toEqual(['plain-socketio', 'raw-ws', 'tidings'])
    for (const round of results.rounds) {
      expect(round.correctness, round.server).toEqual([])
      expect(round.connections.every((c) => c.failed === 0), round.server).toBe(true)
      for (const fanout of round.fanout) expect(fanout.delivered, round.server).toBe(fanout.expected)
      // Both come from the side-by-side part of the round: a failed one would leave them out.
      expect(round.fanout.length, round.server).toBe(1)
      expect(round.chatCost, round.server).toBeDefined()
      expect(round.chatCost!.delivered, round.server).toBe(round.chatCost!.offered)
    }
    expect(results.floods.map((r) => r.server).sort()).toEqual(['tidings', 'tutorial'])
    for (const flood of results.floods) {
      expect(flood.failedConnections, flood.server).toBe(0)
      expect(flood.disconnects, flood.server).toBe(0)
      expect(flood.latency.delivered, flood.server).toBe(flood.latency.offered)
    }
  }, 240_000)
})
