import { z } from 'zod'
import { ConfigError } from '../config.js'

// The same rules and messages as server/config.ts, kept beside the operations code that reads
// them; the two schemas could become one.
const envSchema = z.object({
  TIDINGS_METRICS_KEY: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  TIDINGS_SHUTDOWN_TIMEOUT_SECONDS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 3600')
    .max(3600, 'must be between 1 and 3600')
    .default(10),
})

/** The operations settings: who may scrape `/metrics`, and how long a graceful stop may take. */
export interface OpsConfig {
  /** When set, `GET /metrics` needs `Authorization: Bearer <metricsKey>`. */
  metricsKey?: string | undefined
  shutdownTimeoutMs: number
}

export const DEFAULT_OPS_CONFIG: OpsConfig = { shutdownTimeoutMs: 10_000 }

/**
 * Reads `TIDINGS_METRICS_KEY` and `TIDINGS_SHUTDOWN_TIMEOUT_SECONDS`; a bad value throws the
 * same {@link ConfigError} as the rest of the configuration.
 *
 * @example
 * loadOpsConfig({ TIDINGS_SHUTDOWN_TIMEOUT_SECONDS: '30' }).shutdownTimeoutMs // 30000
 */
export function loadOpsConfig(env: Record<string, string | undefined> = process.env): OpsConfig {
  const blankAsUnset = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => [key, env[key]?.trim() === '' ? undefined : env[key]]),
  )
  const parsed = envSchema.safeParse(blankAsUnset)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0])
      const shown = key === 'TIDINGS_METRICS_KEY' ? '…' : (env[key] ?? '')
      return `${key}=${JSON.stringify(shown)} ${issue.message}`
    })
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`)
  }
  return {
    metricsKey: parsed.data.TIDINGS_METRICS_KEY,
    shutdownTimeoutMs: parsed.data.TIDINGS_SHUTDOWN_TIMEOUT_SECONDS * 1000,
  }
}
