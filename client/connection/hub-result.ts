import type { ErrorCode } from '../../shared/index.js'

/**
 * Why a request to the hub failed: the hub's own refusal code, or `timeout` / `offline` when the
 * hub could not answer at all (so callers handle both the same way).
 */
export interface HubError {
  code: ErrorCode | 'timeout' | 'offline'
  message: string
}

/** The outcome of an acknowledged request: the hub's `Ack`, widened with local failures. */
export type HubResult<T extends object = object> = ({ ok: true } & T) | { ok: false; error: HubError }

export const offlineResult = (event: string): HubResult<never> => ({
  ok: false,
  error: { code: 'offline', message: `${event}: not connected to the hub` },
})

export const timeoutResult = (event: string): HubResult<never> => ({
  ok: false,
  error: { code: 'timeout', message: `${event}: the hub did not answer in time` },
})
