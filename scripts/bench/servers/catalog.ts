import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ServerLaunch } from '../server-process.js'

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** The key every server under test accepts on `POST /notify` (the hub wants 16+ characters). */
export const BENCH_API_KEY = 'bench-key-0123456789abcdef'

export type ServerName = 'tidings' | 'plain-socketio' | 'raw-ws'

export interface ServerUnderTest {
  name: ServerName
  label: string
  /** Called for every start: each process gets fresh state. */
  launch: () => ServerLaunch
  /**
   * Whether a connection must `join` to receive room chat. The hub broadcasts chat to the
   * room's members; the tutorial server and the raw floor broadcast to every connection.
   */
  receiversJoinRoom: boolean
}

const hubEntry = join(projectRoot, 'dist', 'server', 'main.js')
const baseline = (file: string): string[] => ['--import', 'tsx', join(projectRoot, 'scripts', 'bench', 'servers', file)]
const env = { PORT: '0', HOST: '127.0.0.1' }

// Default configuration: only what the bench needs to reach it is set, plus an empty database
// per start, so history left by earlier rounds never changes what a join costs. Persistence,
// validation, limits and presence stay on.
const hub = {
  name: 'tidings' as const,
  label: 'Tidings',
  launch: () => {
    const scratchDir = mkdtempSync(join(tmpdir(), 'tidings-bench-'))
    return {
      args: [hubEntry],
      env: { ...env, TIDINGS_API_KEY: BENCH_API_KEY, TIDINGS_DB: join(scratchDir, 'tidings.db') },
      cwd: projectRoot,
      scratchDir,
    }
  },
  receiversJoinRoom: true,
} satisfies ServerUnderTest

export const SERVERS: ServerUnderTest[] = [
  hub,
  {
    name: 'plain-socketio',
    label: 'plain Socket.IO',
    launch: () => ({ args: baseline('plain-socketio.ts'), env: { ...env, BENCH_API_KEY }, cwd: projectRoot }),
    receiversJoinRoom: false,
  },
  {
    name: 'raw-ws',
    label: 'raw ws',
    launch: () => ({ args: baseline('raw-ws.ts'), env: { ...env, BENCH_API_KEY }, cwd: projectRoot }),
    receiversJoinRoom: false,
  },
]

export type FloodServerName = 'tidings' | 'tutorial'

/** The chat flood compares the hub with the tutorial's own server, nothing else. */
export const FLOOD_SERVERS: (Omit<ServerUnderTest, 'name'> & { name: FloodServerName })[] = [
  hub,
  {
    name: 'tutorial',
    label: 'tutorial server',
    launch: () => ({ args: baseline('tutorial-chat.ts'), env, cwd: projectRoot }),
    receiversJoinRoom: false,
  },
]

/** Why the hub cannot be benchmarked yet, or undefined when its build is there. */
export const missingHubBuild = (): string | undefined =>
  existsSync(hubEntry) ? undefined : 'dist/server/main.js is missing: run "npm run build:server" first'
