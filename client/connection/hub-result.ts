import type { Ack, ErrorBody } from '../../shared/index.js'

/**
 * Why a request to the hub failed: the hub's own refusal, or `timeout` / `offline` (shared error
 * codes too) when the hub could not answer at all, so callers handle both the same way.
 */
export type HubError = ErrorBody

/** The outcome of an acknowledged request: the hub's own `Ack` type. */
export type HubResult<T extends object = object> = Ack<T>

export const offlineResult = (event: string): HubResult<never> => ({
  ok: false,
  error: { code: 'offline', message: `${event}: not connected to the hub` },
})

export const timeoutResult = (event: string): HubResult<never> => ({
  ok: false,
  error: { code: 'timeout', message: `${event}: the hub did not answer in time` },
})
