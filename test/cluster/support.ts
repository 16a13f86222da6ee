import { SignJWT } from 'jose'
import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../../server/config.js'
import type { Hub } from '../../server/hub.js'
import { createLogger } from '../../server/logger.js'
import { openHub } from '../../server/open-hub.js'

export const CLUSTER_API_KEY = 'cluster-test-key-0123456789'
export const JWT_SECRET = 'a-cluster-test-secret-of-at-least-32-characters'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The environment every node of a test cluster shares: one key, one Redis, signed identities. */
export function clusterEnv(redisUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    TIDINGS_API_KEY: CLUSTER_API_KEY,
    TIDINGS_REDIS_URL: redisUrl,
    TIDINGS_JWT_SECRET: JWT_SECRET,
    TIDINGS_GUESTS: 'chat',
    ...extra,
  }
}

/** A token for `sub` that every node of the test cluster accepts. */
export function tokenFor(sub: string, name = sub): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(JWT_SECRET))
}

export interface ClusterNode {
  url: string
  hub: Hub
  close(): Promise<void>
}

/**
 * Starts one hub of the cluster in this process, from the source, wired exactly as `main` wires
 * it when `TIDINGS_REDIS_URL` is set.
 *
 * @example
 * const [a, b] = await Promise.all([startNode(env), startNode(env)])
 */
export async function startNode(env: Record<string, string>): Promise<ClusterNode> {
  const config = loadConfig(env)
  const log = createLogger(config.logLevel)
  const { hub, address } = await openHub(config, log)
  return { url: `http://127.0.0.1:${address.port}`, hub, close: () => hub.close() }
}

export interface NodeProcess {
  url: string
  child: ChildProcess
  /** SIGKILL: the node dies without a word to Redis or its clients. */
  kill(): Promise<void>
  stop(): Promise<void>
}

/** Starts one hub of the cluster as its own process, running the source (`server/main.ts`). */
export async function startNodeProcess(env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'main.ts')], {
    cwd: root,
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (text) => {
      try {
        const line = JSON.parse(text) as { msg?: string; port?: number }
        if (line.msg === 'listening' && line.port !== undefined) resolve(line.port)
      } catch {
        // not a log line
      }
    })
    void exited.then(() => reject(new Error(`node exited before listening: ${stderr.trim()}`)))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL')
      await exited
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
