import { createTokenVerifier, type TokenVerifier } from './auth/token-verifier.js'
import { openCluster, type Cluster } from './cluster/cluster.js'
import { ConfigError, loadConfig } from './config.js'
import { createHub } from './hub.js'
import { createLogger } from './logger.js'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`tidings: ${err.message}\n`)
    process.exit(1)
  }
  const log = createLogger(config.logLevel)
  let verifier: TokenVerifier | undefined
  if (config.jwt) {
    try {
      verifier = await createTokenVerifier(config.jwt)
    } catch (err) {
      process.stderr.write(`tidings: invalid configuration: ${(err as Error).message}\n`)
      process.exit(1)
    }
    log.info({ algorithm: verifier.algorithm, guests: config.guests }, 'signed identities: names come from tokens')
  } else {
    log.warn('open mode: no TIDINGS_JWT_SECRET or TIDINGS_JWT_PUBLIC_KEY, so users name themselves and anyone can claim any name')
  }
  let cluster: Cluster | undefined
  if (config.redis) {
    try {
      cluster = await openCluster({ ...config.redis, log, retentionDays: config.retentionDays })
    } catch (err) {
      process.stderr.write(`tidings: cannot reach TIDINGS_REDIS_URL: ${(err as Error).message}\n`)
      process.exit(1)
    }
    log.info({ presenceTtlSec: config.redis.presenceTtlSec }, 'cluster mode: store, broadcasts, presence and limits in redis')
  }
  const hub = createHub(config, log, verifier, cluster)

  let address
  try {
    address = await hub.listen()
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    process.stderr.write(`tidings: cannot listen on port ${config.port}: ${code ?? String(err)}\n`)
    process.exit(1)
  }
  // Before announcing the hub: whoever waits for "listening" may signal it at once.
  let closing = false
  const shutdown = (signal: string): void => {
    if (closing) return
    closing = true
    log.info({ signal }, 'shutting down')
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    hub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))

  const host = config.host ?? 'localhost'
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
  log.info({ port: address.port, host: config.host ?? null, url }, 'listening')
  if (hub.generatedKey) {
    // Printed once, deliberately: an ephemeral key is useless unless the operator can see it.
    log.warn(
      `TIDINGS_API_KEY is not set; this run accepts a generated key. Try: curl -X POST ${url}/notify -H "Authorization: Bearer ${hub.apiKeys[0]}" -H "Content-Type: application/json" -d '{"title":"Hello from Tidings"}'`,
    )
  }
}

void main()
