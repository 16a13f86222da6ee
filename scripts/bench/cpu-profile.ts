import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { openInspector } from './inspector-session.js'

/** Sampling period: fine enough for a scenario of a few seconds, light enough not to reshape it. */
const SAMPLING_MICROS = 500

/** Stops a running profile and writes it; resolves once the file is there. */
export type StopProfile = () => Promise<void>

/**
 * Starts V8's sampling CPU profiler in a server through its inspector and returns the function
 * that stops it and writes a `.cpuprofile` (the format of `node --cpu-prof`, which Chrome
 * DevTools and `npm run bench:top` read). Unlike `--cpu-prof`, which writes one profile per
 * process at exit, this cuts one profile per scenario out of a long-running server.
 *
 * @example
 * const stop = await startCpuProfile(server.inspectorUrl, '.bench/profiles/run/tidings-r1-fanout-1000.cpuprofile')
 * await runScenario()
 * await stop()
 */
export async function startCpuProfile(inspectorUrl: string, file: string): Promise<StopProfile> {
  const session = await openInspector(inspectorUrl)
  await session.call('Profiler.enable')
  await session.call('Profiler.setSamplingInterval', { interval: SAMPLING_MICROS })
  await session.call('Profiler.start')
  return async () => {
    try {
      const { profile } = await session.call<{ profile: unknown }>('Profiler.stop')
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, JSON.stringify(profile))
    } finally {
      session.close()
    }
  }
}
