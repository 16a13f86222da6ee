import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export const OPS_API_KEY = 'ops-test-key-0123456789'

export interface SourceHub {
  url: string
  dbPath: string
  child: ChildProcess
  logs: Record<string, unknown>[]
  /** The first log line `match` accepts, printed already or yet to come. */
  waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>
}

/**
 * Runs the hub from its source (`node --import tsx server/main.ts`), as an operator's process
 * manager would run it, on an ephemeral port; resolves once it logs "listening". Signals go to
 * `child` directly.
 *
 * @example
 * const hub = await startSourceHub({ TIDINGS_METRICS_KEY: 'k'.repeat(16) })
 * hub.child.kill('SIGTERM'); await hub.exited
 */
export async function startSourceHub(env: Record<string, string> = {}): Promise<SourceHub> {
  const dbPath = env.TIDINGS_DB ?? join(mkdtempSync(join(tmpdir(), 'tidings-ops-')), 'tidings.db')
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', TIDINGS_API_KEY: OPS_API_KEY, ...env, TIDINGS_DB: dbPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: Record<string, unknown>[] = []
  const waiters: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = []
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
    for (const waiter of waiters.splice(0)) {
      if (waiter.match(line)) waiter.resolve(line)
      else waiters.push(waiter)
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
  return { url: `http://127.0.0.1:${listening.port as number}`, dbPath, child, logs, waitForLog, exited }
}
