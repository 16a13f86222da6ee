import { z } from 'zod'
import { WS_ENGINE_CHOICES, type WsEngineChoice } from './socket/ws-engine.js'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
const GUEST_POLICIES = ['read', 'chat', 'off'] as const

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

/** A whole number from `min` to `max`, read from a string. */
const int = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`)
    .default(fallback)

// Multi-line PEM keys often arrive through env files with their newlines written as "\n".
const pem = z
  .string()
  .transform((value) => value.replace(/\\n/g, '\n').trim())
  .refine((value) => value.startsWith('-----BEGIN PUBLIC KEY-----'), 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)')

const envSchema = z
  .object({
    PORT: int(0, 65535, 3000),
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
    TIDINGS_RETENTION_DAYS: int(1, 3650, 30),
    TIDINGS_JWT_SECRET: z.string().min(32, 'must be at least 32 characters (256 bits for HS256)').optional(),
    TIDINGS_JWT_PUBLIC_KEY: pem.optional(),
    TIDINGS_JWT_AUDIENCE: z.string().trim().min(1).optional(),
    TIDINGS_JWT_ISSUER: z.string().trim().min(1).optional(),
    TIDINGS_JWT_CLOCK_TOLERANCE: int(0, 300, 30),
    TIDINGS_GUESTS: z.enum(GUEST_POLICIES, { message: `must be one of ${GUEST_POLICIES.join(', ')}` }).optional(),
    TIDINGS_MAX_MESSAGE_BYTES: int(1024, 16 * 1024 * 1024, 64 * 1024),
    TIDINGS_CHAT_MAX_LENGTH: int(1, 2000, 2000),
    TIDINGS_EVENT_RATE: int(1, 1_000_000, 200),
    TIDINGS_EVENT_RATE_WINDOW: int(1, 3600, 10),
    TIDINGS_EVENT_DISCONNECT_AFTER: int(0, 1_000_000, 200),
    TIDINGS_CONNECTIONS_PER_IP: int(0, 1_000_000, 0),
    TIDINGS_NOTIFY_RATE: int(1, 10_000_000, 50_000),
    TIDINGS_NOTIFY_RATE_WINDOW: int(1, 3600, 10),
    TIDINGS_AUTH_FAILURES: int(1, 1_000_000, 30),
    TIDINGS_AUTH_FAILURE_WINDOW: int(1, 86_400, 300),
    TIDINGS_MAX_BUFFERED_BYTES: int(64 * 1024, 1024 * 1024 * 1024, 1024 * 1024),
    TIDINGS_WS_ENGINE: z
      .enum(WS_ENGINE_CHOICES, { message: `must be one of ${WS_ENGINE_CHOICES.join(', ')}` })
      .default('ws'),
    LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  })
  .refine((e) => !(e.TIDINGS_JWT_SECRET !== undefined && e.TIDINGS_JWT_PUBLIC_KEY !== undefined), {
    message: 'set TIDINGS_JWT_SECRET or TIDINGS_JWT_PUBLIC_KEY, not both',
    path: ['TIDINGS_JWT_PUBLIC_KEY'],
  })

export type GuestPolicy = (typeof GUEST_POLICIES)[number]

/** The hub's settings, read once from the environment at start. Defaults: see the README. */
export interface Config {
  port: number
  /** Interface to listen on; undefined means every interface (IPv6 and IPv4). */
  host: string | undefined
  /** Keys accepted by `POST /notify`. Empty means "generate one at start". */
  apiKeys: string[]
  /** Origins allowed to embed the hub; empty means any origin. */
  origins: string[]
  logLevel: (typeof LOG_LEVELS)[number]
  /** WebSocket engine: `ws`, `eiows` (falls back to `ws` when it cannot load) or `auto`. */
  wsEngine: WsEngineChoice
  /** SQLite database file, or `:memory:`. */
  dbPath: string
  retentionDays: number
  /** Signed identities; undefined means open mode (self-declared names). */
  jwt?: { secret?: string; publicKeyPem?: string; audience?: string; issuer?: string; clockToleranceSec: number }
  /** What connections without a token may do in signed mode. */
  guests: GuestPolicy
  limits: {
    /** Largest Socket.IO message (Engine.IO `maxHttpBufferSize`). */
    maxMessageBytes: number
    chatMessageLength: number
    /** Client events per connection per window; excess ones are refused. */
    eventRate: { points: number; windowSec: number; disconnectAfter: number }
    /** Open connections per client address; 0 means no limit. */
    connectionsPerIp: number
    /** `POST /notify` per API key per window. */
    notifyRate: { points: number; windowSec: number }
    /** Failed authentications per address per window before it gets 429. */
    authFailures: { points: number; windowSec: number }
    /** Bytes waiting to be sent to one connection before it is cut off. */
    maxBufferedBytes: number
  }
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
      // Secrets are named, never echoed.
      const shown = key.startsWith('TIDINGS_JWT_') || key === 'TIDINGS_API_KEY' ? '…' : (env[key] ?? '')
      return `${key}=${JSON.stringify(shown)} ${issue.message}`
    })
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`)
  }
  const e = parsed.data
  const signed = e.TIDINGS_JWT_SECRET !== undefined || e.TIDINGS_JWT_PUBLIC_KEY !== undefined
  return {
    port: e.PORT,
    host: e.HOST,
    apiKeys: e.TIDINGS_API_KEY,
    origins: e.TIDINGS_ORIGINS,
    logLevel: e.LOG_LEVEL,
    wsEngine: e.TIDINGS_WS_ENGINE,
    dbPath: e.TIDINGS_DB,
    retentionDays: e.TIDINGS_RETENTION_DAYS,
    jwt: signed
      ? {
          secret: e.TIDINGS_JWT_SECRET,
          publicKeyPem: e.TIDINGS_JWT_PUBLIC_KEY,
          audience: e.TIDINGS_JWT_AUDIENCE,
          issuer: e.TIDINGS_JWT_ISSUER,
          clockToleranceSec: e.TIDINGS_JWT_CLOCK_TOLERANCE,
        }
      : undefined,
    guests: e.TIDINGS_GUESTS ?? (signed ? 'read' : 'chat'),
    limits: {
      maxMessageBytes: e.TIDINGS_MAX_MESSAGE_BYTES,
      chatMessageLength: e.TIDINGS_CHAT_MAX_LENGTH,
      eventRate: {
        points: e.TIDINGS_EVENT_RATE,
        windowSec: e.TIDINGS_EVENT_RATE_WINDOW,
        disconnectAfter: e.TIDINGS_EVENT_DISCONNECT_AFTER,
      },
      connectionsPerIp: e.TIDINGS_CONNECTIONS_PER_IP,
      notifyRate: { points: e.TIDINGS_NOTIFY_RATE, windowSec: e.TIDINGS_NOTIFY_RATE_WINDOW },
      authFailures: { points: e.TIDINGS_AUTH_FAILURES, windowSec: e.TIDINGS_AUTH_FAILURE_WINDOW },
      maxBufferedBytes: e.TIDINGS_MAX_BUFFERED_BYTES,
    },
  }
}
