import type { AddressInfo } from 'node:net'
import { createTokenVerifier, type TokenVerifier } from './auth/token-verifier.js'
import { openCluster, type Cluster } from './cluster/cluster.js'
import { ConfigError, type Config } from './config.js'
import { createHub, type Hub } from './hub.js'
import type { Logger } from './logger.js'

export interface OpenedHub {
  hub: Hub
  address: AddressInfo
}

/**
 * Everything between a valid configuration and a listening hub, shared by `main` and the tests
 * that run the hub in their own process: builds the token verifier, says at start which identity
 * mode the hub runs in (and what it means for per-user notifications), joins the cluster when
 * `TIDINGS_REDIS_URL` is set, creates the hub and listens.
 *
 * @throws ConfigError when the JWT key cannot be used; the listen error (e.g. `EADDRINUSE`) as is.
 *
 * @example
 * const { hub, address } = await openHub(loadConfig(), createLogger('info'))
 */
export async function openHub(config: Config, log: Logger): Promise<OpenedHub> {
  let verifier: TokenVerifier | undefined
  if (config.jwt) {
    try {
      verifier = await createTokenVerifier(config.jwt)
    } catch (err) {
      throw new ConfigError(`invalid configuration: ${(err as Error).message}`)
    }
  }
  announceIdentityMode(config, log, verifier)
  let cluster: Cluster | undefined
  if (config.redis) {
    try {
      cluster = await openCluster({ ...config.redis, log, retentionDays: config.retentionDays })
    } catch (err) {
      throw new ConfigError(`cannot reach TIDINGS_REDIS_URL: ${(err as Error).message}`)
    }
    log.info({ presenceTtlSec: config.redis.presenceTtlSec }, 'cluster mode: store, broadcasts, presence and limits in redis')
  }
  const hub = createHub(config, log, verifier, { cluster })
  try {
    return { hub, address: await hub.listen() }
  } catch (err) {
    await hub.close().catch(() => undefined)
    throw err
  }
}

function announceIdentityMode(config: Config, log: Logger, verifier: TokenVerifier | undefined): void {
  if (verifier) {
    log.info({ algorithm: verifier.algorithm, guests: config.guests }, 'signed identities: names come from tokens')
  } else if (config.openUserTargets) {
    log.warn(
      { openUserTargets: true },
      'open mode with per-user notifications and inboxes (TIDINGS_OPEN_USER_TARGETS=true): names are unverified, so anyone who claims a name receives its notifications and inbox',
    )
  } else {
    log.warn(
      'open mode: no TIDINGS_JWT_SECRET or TIDINGS_JWT_PUBLIC_KEY, so users name themselves and anyone can claim any name; per-user notifications and inboxes are off (TIDINGS_OPEN_USER_TARGETS=true turns them on)',
    )
  }
}
