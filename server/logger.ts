import { createRequire } from 'node:module'
import { pino, type Logger } from 'pino'

export type { Logger }

/**
 * The hub's structured logger. Secrets never reach it by construction (callers log ids and
 * counts, not bodies), and the redaction list is a second line of defence for headers.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = standardOutput()): Logger {
  return pino(
    {
      name: 'tidings',
      level,
      redact: { paths: ['req.headers.authorization', 'headers.authorization', 'token', 'apiKey'], censor: '[redacted]' },
    },
    destination,
  )
}

/**
 * Where log lines go by default: standard output as JSON lines, or pino-pretty's readable lines
 * when standard output is a terminal (a person reading, not a log shipper). pino-pretty is only
 * loaded then.
 */
function standardOutput(): NodeJS.WritableStream {
  if (!process.stdout.isTTY) return guardedStdout()
  const pretty = createRequire(import.meta.url)('pino-pretty') as (options: object) => NodeJS.WritableStream
  return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,name', sync: true })
}

/**
 * Standard output, losing lines rather than the process when nobody reads it any more (a log
 * shipper that crashed). pino's default destination retries a failed write forever when the
 * process exits, so a hub whose log pipe had closed could no longer be stopped.
 */
let standardOutputGuarded = false
function guardedStdout(): NodeJS.WritableStream {
  if (!standardOutputGuarded) process.stdout.on('error', () => {})
  standardOutputGuarded = true
  return process.stdout
}
