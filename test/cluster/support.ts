import { SignJWT } from 'jose'
import { loadConfig } from '../../server/config.js'
import type { Hub } from '../../server/hub.js'
import { createLogger } from '../../server/logger.js'
import { openHub } from '../../server/open-hub.js'
import { spawnHub, TEST_HUB_ENV, type SpawnedHub } from '../helpers/hub-process.js'

export const CLUSTER_API_KEY = 'cluster-test-key-0123456789'
export const JWT_SECRET = 'a-cluster-test-secret-of-at-least-32-characters'


/** The environment every node of a test cluster shares: one key, one Redis, signed identities. */
export function clusterEnv(redisUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...TEST_HUB_ENV,
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

/**
 * Starts one hub of the cluster as its own process, running the source (`server/main.ts`): for
 * `kill -9`. Logs at info, whatever `env` says, so that its "listening" line is seen.
 *
 * @example
 * const doomed = await startNodeProcess(clusterEnv(redis.url))
 * await doomed.kill()
 */
export const startNodeProcess = (env: Record<string, string>): Promise<SpawnedHub> => spawnHub({ ...env, LOG_LEVEL: 'info' })
