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
 * Standard output, losing lines rather than the process when nobody reads it any more (a log
 * shipper that crashed). pino's default destination retries a failed write forever when the
 * process exits, so a hub whose log pipe had closed could no longer be stopped.
 */
let standardOutputGuarded = false
function standardOutput(): NodeJS.WritableStream {
  if (!standardOutputGuarded) process.stdout.on('error', () => {})
  standardOutputGuarded = true
  return process.stdout
}
