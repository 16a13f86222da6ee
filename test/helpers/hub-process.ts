import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const entry = join(root, 'dist', 'server', 'main.js')

export const TEST_API_KEY = 'test-key-0123456789abcdef'

export interface HubProcess {
  /** e.g. `http://127.0.0.1:41234` */
  url: string
  port: number
  apiKey: string
  /** The hub's SQLite file: a fresh one per hub unless `TIDINGS_DB` was given. */
  dbPath: string
  child: ChildProcess
  /** Every log line the hub printed, parsed. */
  logs: Record<string, unknown>[]
  /** Resolves with the first log line that `match` accepts (already printed or yet to come). */
  waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>
  /** SIGTERM, then wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>
  /** SIGKILL, then wait for exit. */
  kill(): Promise<void>
}

/**
 * Starts the built hub (`dist/server/main.js`, made by `npm run build`) as a real process on an
 * ephemeral port, and resolves once it logs that it is listening.
 *
 * @example
 * const hub = await startHub({ TIDINGS_ORIGINS: 'http://example.test' })
 * await hub.stop()
 */
export async function startHub(env: Record<string, string> = {}): Promise<HubProcess> {
  if (!existsSync(entry)) throw new Error('dist/server/main.js is missing: run "npm run build" first')
  const dbPath = env.TIDINGS_DB ?? join(mkdtempSync(join(tmpdir(), 'tidings-test-')), 'tidings.db')
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      TIDINGS_API_KEY: TEST_API_KEY,
      ...env,
      TIDINGS_DB: dbPath,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: Record<string, unknown>[] = []
  const waiters: { match: (line: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] =
    []
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>
    try {
      line = JSON.parse(text) as Record<string, unknown>
    } catch {
      return
    }
    logs.push(line)
    for (const w of waiters.splice(0)) {
      if (w.match(line)) w.resolve(line)
      else waiters.push(w)
    }
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

  const waitForLog = (match: (line: Record<string, unknown>) => boolean) => {
    const seen = logs.find(match)
    if (seen) return Promise.resolve(seen)
    return new Promise<Record<string, unknown>>((resolve) => waiters.push({ match, resolve }))
  }

  const listening = await Promise.race([
    waitForLog((l) => l.msg === 'listening'),
    exited.then((code) => {
      throw new Error(`hub exited with code ${code} before listening: ${stderr.trim()}`)
    }),
  ])
  const port = listening.port as number
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    apiKey: env.TIDINGS_API_KEY ?? TEST_API_KEY,
    dbPath,
    child,
    logs,
    waitForLog,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}
