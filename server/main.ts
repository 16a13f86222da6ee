import { saveGeneratedKey } from './auth/generated-key.js'
import { ConfigError, loadConfig } from './config.js'
import { createLogger } from './logger.js'
import { openHub } from './open-hub.js'

// `npm start` runs the demo: its page shows a named user's inbox, so per-user notifications are
// on unless the environment says otherwise (the start line then warns that names are unverified).
const DEMO_DEFAULTS = { TIDINGS_OPEN_USER_TARGETS: 'true' }

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(process.argv.includes('--demo') ? { ...DEMO_DEFAULTS, ...process.env } : process.env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`tidings: ${err.message}\n`)
    process.exit(1)
  }
  const log = createLogger(config.logLevel)

  let opened
  try {
    opened = await openHub(config, log)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`tidings: ${err.message}\n`)
      process.exit(1)
    }
    const code = (err as NodeJS.ErrnoException).code
    process.stderr.write(`tidings: cannot listen on port ${config.port}: ${code ?? String(err)}\n`)
    process.exit(1)
  }
  const { hub, address } = opened
  // Before announcing the hub: whoever waits for "listening" may signal it at once.
  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) {
      // The operator insists: no more waiting.
      log.warn({ signal }, 'second signal: exiting at once')
      process.exit(1)
    }
    stopping = true
    const started = Date.now()
    log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: draining')
    const force = setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out: exiting')
      process.exit(1)
    }, config.shutdownTimeoutMs)
    force.unref()
    hub.stop().then(
      () => {
        log.info({ signal, ms: Date.now() - started }, 'stopped')
        process.exit(0)
      },
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
  log.info(
    {
      port: address.port,
      host: config.host ?? null,
      url,
      auth: config.jwt ? 'signed' : 'open',
      store: { kind: 'sqlite', path: config.dbPath },
      origins: config.origins.length === 0 ? '*' : config.origins,
      metricsKey: config.metricsKey !== undefined,
    },
    'listening',
  )
  if (hub.generatedKey) {
    const keyFile = saveGeneratedKey(hub.apiKeys[0]!, config.dbPath)
    log.warn(
      { keyFile },
      `TIDINGS_API_KEY is not set; this run accepts a generated key, written to ${keyFile} (readable by this user only). Try: curl -X POST ${url}/notify -H "Authorization: Bearer $(cat '${keyFile}')" -H "Content-Type: application/json" -d '{"title":"Hello from Tidings"}'`,
    )
  }
}

void main()
