import { execFile } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { paths } from '../../server/paths.js'

/** The client bundles the hub serves, each with the sources it is built from. */
const BUNDLES = [
  { file: join(paths.clientBuild, 'tidings.js'), sources: ['vite.config.ts'] },
  { file: join(paths.root, 'dist', 'dashboard', 'dashboard.js'), sources: ['vite.config.ts', 'vite.dashboard.config.ts'] },
].map(({ file, sources }) => ({
  file,
  sources: ['client', 'shared', 'package-lock.json', ...sources].map((name) => join(paths.root, name)),
}))

function newestChange(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)))
  return newest
}

const isStale = ({ file, sources }: (typeof BUNDLES)[number]): boolean =>
  !existsSync(file) || statSync(file).mtimeMs < Math.max(...sources.map(newestChange))

/**
 * Vitest global setup: builds the client bundles the hub serves (the embed script at
 * `/tidings.js`, the dashboard's at `/dashboard.js`) when one is missing or older than its
 * sources, so that tests never run against a stale bundle and `npm test` needs no build step
 * (the hub itself runs from source). Once per test run, before any test file starts.
 *
 * The build is `npm run build:client` in a child process, byte for byte what `npm run build`
 * ships: inside vitest, `NODE_ENV` is `test`, with which Vite would pick Lit's development
 * builds and write a larger bundle than the one the size budget is about.
 */
export default async function buildClientBundlesIfStale(): Promise<void> {
  if (!BUNDLES.some(isStale)) return
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env.NODE_ENV
  await promisify(execFile)('npm', ['run', 'build:client', '--silent'], { cwd: paths.root, env, maxBuffer: 16 * 1024 * 1024 })
}
