import proxyaddr from 'proxy-addr'
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

/**
 * Express's "trust proxy" values: `true` (every hop), a hop count, or addresses, subnets and the
 * names `loopback`, `linklocal`, `uniquelocal`, comma-separated.
 */
const trustProxySchema = z
  .string()
  .optional()
  .transform((value): TrustProxy => {
    const text = value?.trim().toLowerCase() ?? 'false'
    if (text === 'false') return false
    if (text === 'true') return true
    if (/^\d+$/.test(text)) return Number(text)
    return commaList(value)
  })
  .refine(
    (trust) => {
      if (!Array.isArray(trust)) return true
      try {
        proxyaddr.compile(trust)
        return true
      } catch {
        return false
      }
    },
    { message: 'must be true, false, a hop count, or addresses and subnets (10.0.0.0/8, loopback, …) separated by commas' },
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
    TIDINGS_OPEN_USER_TARGETS: z.stringbool({ error: 'must be true or false' }).default(false),
    TIDINGS_TRUST_PROXY: trustProxySchema,
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
    TIDINGS_SOURCE_MAPS: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
    TIDINGS_REDIS_URL: z
      .string()
      .trim()
      .refine((value) => /^rediss?:\/\/[^/\s]+(\/\d+)?$/.test(value), 'must be redis://[user:password@]host:port[/db] (or rediss://)')
      .optional(),
    TIDINGS_PRESENCE_TTL_SECONDS: int(2, 3600, 30),
    TIDINGS_PRESENCE_GRACE_MS: int(0, 600_000, 5000),
    TIDINGS_METRICS_KEY: z.string().trim().min(16, 'must be at least 16 characters').optional(),
    TIDINGS_SHUTDOWN_TIMEOUT_SECONDS: int(1, 3600, 10),
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

/** Which hops in front of the hub to believe about the client address (Express "trust proxy"). */
export type TrustProxy = boolean | number | string[]

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
  /** When set, `GET /metrics` needs `Authorization: Bearer <metricsKey>`. */
  metricsKey?: string
  /** How long a graceful stop (SIGTERM/SIGINT) may take before the process exits anyway. */
  shutdownTimeoutMs: number
  /** Whether `/tidings.js.map` is served (it shows the client's source to anyone). */
  sourceMaps: boolean
  /** WebSocket engine: `ws`, `eiows` (falls back to `ws` when it cannot load) or `auto`. */
  wsEngine: WsEngineChoice
  /** SQLite database file, or `:memory:`. */
  dbPath: string
  retentionDays: number
  /** Signed identities; undefined means open mode (self-declared names). */
  jwt?: { secret?: string; publicKeyPem?: string; audience?: string; issuer?: string; clockToleranceSec: number }
  /** What connections without a token may do in signed mode. */
  guests: GuestPolicy
  /**
   * Open mode: whether `POST /notify` may address a user and clients may read an inbox. Off by
   * default because names are self-declared: anyone claiming a name would receive its
   * notifications. Signed mode always addresses users (names are verified).
   */
  openUserTargets: boolean
  /** The proxies whose `X-Forwarded-For` the hub believes; `false` uses the peer address. */
  trustProxy: TrustProxy
  /**
   * Scale-out: the store, Socket.IO broadcasts, presence and limits live in this Redis, shared by
   * every hub process given the same URL. Undefined: one process with its SQLite file.
   */
  redis?: { url: string; presenceTtlSec: number }
  /**
   * How long a user whose last connection closed still counts as online: a page reload comes
   * back within it, and nobody sees the user leave and rejoin. 0 announces departures at once.
   */
  presenceGraceMs: number
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
    /**
     * Failed authentications per client address per window, counted separately for `POST /notify`
     * and for socket handshakes; past it that address's failures are answered with 429.
     */
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
      const secret = key.startsWith('TIDINGS_JWT_') || ['TIDINGS_API_KEY', 'TIDINGS_REDIS_URL', 'TIDINGS_METRICS_KEY'].includes(key)
      const shown = secret ? '…' : (env[key] ?? '')
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
    metricsKey: e.TIDINGS_METRICS_KEY,
    shutdownTimeoutMs: e.TIDINGS_SHUTDOWN_TIMEOUT_SECONDS * 1000,
    sourceMaps: e.TIDINGS_SOURCE_MAPS === 'true',
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
    openUserTargets: e.TIDINGS_OPEN_USER_TARGETS,
    trustProxy: e.TIDINGS_TRUST_PROXY,
    redis:
      e.TIDINGS_REDIS_URL === undefined
        ? undefined
        : { url: e.TIDINGS_REDIS_URL, presenceTtlSec: e.TIDINGS_PRESENCE_TTL_SECONDS },
    presenceGraceMs: e.TIDINGS_PRESENCE_GRACE_MS,
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
