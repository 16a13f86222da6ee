import { describe, expect, it } from 'vitest'
import { ConfigError } from '../config.js'
import { loadOpsConfig } from './ops-config.js'

describe('loadOpsConfig', () => {
  it('defaults to an open /metrics and a 10 s stop', () => {
    expect(loadOpsConfig({})).toEqual({ metricsKey: undefined, shutdownTimeoutMs: 10_000 })
    expect(loadOpsConfig({ TIDINGS_METRICS_KEY: ' ', TIDINGS_SHUTDOWN_TIMEOUT_SECONDS: '' })).toEqual({
      metricsKey: undefined,
      shutdownTimeoutMs: 10_000,
    })
  })

  it('reads both settings', () => {
    expect(loadOpsConfig({ TIDINGS_METRICS_KEY: 'scrape-key-0123456789', TIDINGS_SHUTDOWN_TIMEOUT_SECONDS: '30' })).toEqual({
      metricsKey: 'scrape-key-0123456789',
      shutdownTimeoutMs: 30_000,
    })
  })

  it('names a bad value without echoing a key', () => {
    expect(() => loadOpsConfig({ TIDINGS_SHUTDOWN_TIMEOUT_SECONDS: '0' })).toThrow(
      'TIDINGS_SHUTDOWN_TIMEOUT_SECONDS="0" must be between 1 and 3600',
    )
    expect(() => loadOpsConfig({ TIDINGS_METRICS_KEY: 'short-secret' })).toThrow(ConfigError)
    expect(() => loadOpsConfig({ TIDINGS_METRICS_KEY: 'short-secret' })).not.toThrow(/short-secret/)
  })
})
