import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { paths } from '../../server/paths.js'

const bundle = join(paths.clientBuild, 'tidings.js')
const SOURCES = ['client', 'shared', 'vite.config.ts', 'package-lock.json'].map((name) => join(paths.root, name))

function newestChange(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)))
  return newest
}

/**
 * Vitest global setup: builds the embed bundle the hub serves at `/tidings.js` when it is
 * missing or older than its sources, so browser tests never run against a stale bundle (the
 * hub itself runs from source). Once per test run, before any test file starts.
 */
export default async function buildClientBundleIfStale(): Promise<void> {
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= Math.max(...SOURCES.map(newestChange))) return
  const { build } = await import('vite')
  await build({ configFile: join(paths.root, 'vite.config.ts'), root: paths.root, logLevel: 'warn' })
}
