import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../../server/config.js'
import { createLogger } from '../../server/logger.js'
import { openHub } from '../../server/open-hub.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * How to run the hub's entry point from source in a child process, for tests that need a real
 * process (signals, SIGKILL, exit codes, start-up errors): `spawn(process.execPath, HUB_ENTRY)`.
 */
export const HUB_ENTRY = ['--import', 'tsx', join(root, 'server', 'main.ts')] as const

export const TEST_API_KEY = 'test-key-0123456789abcdef'

/**
 * What every test hub runs with unless its test says otherwise: loopback, an ephemeral port,
 * and departures announced at once, so that tests await them without a grace period's wait
 * (test/integration/presence-grace.test.ts covers the grace itself).
 */
export const TEST_HUB_ENV = { PORT: '0', HOST: '127.0.0.1', TIDINGS_PRESENCE_GRACE_MS: '0' } as const

type LogLine = Record<string, unknown>

export interface HubProcess {
  /** e.g. `http://127.0.0.1:41234` */
  url: string
  port: number
  apiKey: string
  /** The hub's SQLite file: a fresh one per hub unless `TIDINGS_DB` was given. */
  dbPath: string
  /** Every log line the hub printed, parsed. */
  logs: LogLine[]
  /** Resolves with the first log line that `match` accepts (already printed or yet to come). */
  waitForLog(match: (line: LogLine) => boolean): Promise<LogLine>
  /** False once the hub has stopped (or its process has exited). */
  isRunning(): boolean
  /** Graceful stop (SIGTERM for a process); resolves with the exit code (0 in-process). */
  stop(): Promise<number | null>
  /**
   * SIGKILL for a hub from {@link spawnHub}. An in-process hub cannot be killed without killing
   * the test: it stops as {@link HubProcess.stop} does, so tests about abrupt death spawn.
   */
  kill(): Promise<void>
}

/** The test environment: loopback, ephemeral port, a known key, a fresh database file. */
function testEnv(env: Record<string, string>): { env: Record<string, string>; dbPath: string } {
  const dbPath = env.TIDINGS_DB ?? join(mkdtempSync(join(tmpdir(), 'tidings-test-')), 'tidings.db')
  return {
    dbPath,
    env: { ...TEST_HUB_ENV, LOG_LEVEL: 'info', TIDINGS_API_KEY: TEST_API_KEY, ...env, TIDINGS_DB: dbPath },
  }
}

/** Collected log lines and the waiters for lines yet to come. */
function logCollector() {
  const logs: LogLine[] = []
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = []
  const push = (text: string) => {
    let line: LogLine
    try {
      line = JSON.parse(text) as LogLine
    } catch {
      return
    }
    logs.push(line)
    for (const w of waiters.splice(0)) {
      if (w.match(line)) w.resolve(line)
      else waiters.push(w)
    }
  }
  const waitForLog = (match: (line: LogLine) => boolean) => {
    const seen = logs.find(match)
    if (seen) return Promise.resolve(seen)
    return new Promise<LogLine>((resolve) => waiters.push({ match, resolve }))
  }
  return { logs, push, waitForLog }
}

/**
 * Starts the hub from source in this process (`createHub` through `openHub`, the same start-up
 * `main` runs, with the same start lines), on an ephemeral port, with its log lines collected.
 * The environment is read by the hub's own `loadConfig`, exactly as from the process's.
 *
 * @example
 * const hub = await startHub({ TIDINGS_ORIGINS: 'http://example.test' })
 * await hub.stop()
 */
export async function startHub(overrides: Record<string, string> = {}): Promise<HubProcess> {
  const { env, dbPath } = testEnv(overrides)
  const config = loadConfig(env)
  const collector = logCollector()
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const text of chunk.toString().split('\n')) if (text) collector.push(text)
      done()
    },
  })
  const { hub, address } = await openHub(config, createLogger(config.logLevel, destination))
  let stopped: Promise<number | null> | undefined
  const stop = () => (stopped ??= hub.close().then(() => 0))
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    apiKey: hub.apiKeys[0]!,
    dbPath,
    logs: collector.logs,
    waitForLog: collector.waitForLog,
    isRunning: () => stopped === undefined,
    stop,
    kill: async () => {
      await stop()
    },
  }
}

export interface SpawnedHub extends HubProcess {
  child: ChildProcess
  /** Resolves with the exit code once the process has exited (for signals sent to `child`). */
  exited: Promise<number | null>
}

/**
 * Starts the hub from source (`node --import tsx server/main.ts`) as a real process on an
 * ephemeral port, and resolves once it logs that it is listening. For tests about the process
 * itself: signals, SIGKILL, exit codes, start-up lines.
 *
 * @example
 * const hub = await spawnHub()
 * await hub.kill() // SIGKILL: nothing after the last commit survives
 */
export async function spawnHub(overrides: Record<string, string> = {}, args: string[] = []): Promise<SpawnedHub> {
  const { env, dbPath } = testEnv(overrides)
  const child = spawn(process.execPath, [...HUB_ENTRY, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const collector = logCollector()
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  createInterface({ input: child.stdout! }).on('line', collector.push)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

  const listening = await Promise.race([
    collector.waitForLog((l) => l.msg === 'listening'),
    exited.then((code) => {
      throw new Error(`hub exited with code ${code} before listening: ${stderr.trim()}`)
    }),
  ])
  const port = listening.port as number
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    apiKey: env.TIDINGS_API_KEY!,
    dbPath,
    child,
    exited,
    logs: collector.logs,
    waitForLog: collector.waitForLog,
    isRunning: () => child.exitCode === null && child.signalCode === null,
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
