import { pino, type Logger } from 'pino'

export type { Logger }

/**
 * The hub's structured logger. Secrets never reach it by construction (callers log ids and
 * counts, not bodies), and the redaction list is a second line of defence for headers.
 */
export function createLogger(level: string): Logger {
  return pino({
    name: 'tidings',
    level,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'token', 'apiKey'], censor: '[redacted]' },
  })
}
