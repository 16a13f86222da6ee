import { z } from 'zod'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const commaList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)

const originSchema = z.string().refine(
  (value) => {
    try {
      return new URL(value).origin === value
    } catch {
      return false
    }
  },
  { message: 'each entry must be an origin such as https://example.com (scheme, host, optional port; no path)' },
)

const envSchema = z.object({
  PORT: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  HOST: z.string().trim().min(1).optional(),
  TIDINGS_API_KEY: z
    .string()
    .optional()
    .transform(commaList)
    .pipe(z.array(z.string().min(16, 'each key must be at least 16 characters'))),
  TIDINGS_ORIGINS: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '*' ? [] : commaList(value)))
    .pipe(z.array(originSchema)),
  TIDINGS_DB: z.string().trim().min(1).default('./data/tidings.db'),
  TIDINGS_RETENTION_DAYS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(3650, 'must be at most 3650')
    .default(30),
  TIDINGS_RECOVERY_WINDOW_SECONDS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 3600')
    .max(3600, 'must be between 0 and 3600')
    .default(120),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
})

/** The hub's settings, read once from the environment at start. */
export interface Config {
  port: number
  /** Interface to listen on; undefined means every interface (IPv6 and IPv4). */
  host: string | undefined
  /** Keys accepted by `POST /notify`. Empty means "generate one at start". */
  apiKeys: string[]
  /** Origins allowed to embed the hub; empty means any origin. */
  origins: string[]
  logLevel: (typeof LOG_LEVELS)[number]
  /** SQLite database file, or `:memory:`. */
  dbPath: string
  retentionDays: number
  /** How long Socket.IO keeps a dropped session for in-memory recovery; longer gaps use the store. */
  recoveryWindowMs: number
}

/** A setting the hub cannot start with; `main` prints its message on one line and exits 1. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Reads and validates the configuration.
 *
 * @example
 * const config = loadConfig({ PORT: '0', TIDINGS_ORIGINS: 'https://example.com' })
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const blankAsUnset = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => [key, env[key]?.trim() === '' ? undefined : env[key]]),
  )
  const parsed = envSchema.safeParse(blankAsUnset)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0])
      return `${key}=${JSON.stringify(env[key] ?? '')} ${issue.message}`
    })
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    apiKeys: e.TIDINGS_API_KEY,
    origins: e.TIDINGS_ORIGINS,
    logLevel: e.LOG_LEVEL,
    dbPath: e.TIDINGS_DB,
    retentionDays: e.TIDINGS_RETENTION_DAYS,
    recoveryWindowMs: e.TIDINGS_RECOVERY_WINDOW_SECONDS * 1000,
  }
}
