import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'

describe('loadConfig', () => {
  it('has documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: undefined,
      apiKeys: [],
      origins: [],
      logLevel: 'info',
      metricsKey: undefined,
      shutdownTimeoutMs: 10_000,
      sourceMaps: false,
      wsEngine: 'ws',
      dbPath: './data/tidings.db',
      retentionDays: 30,
      jwt: undefined,
      guests: 'chat',
      openUserTargets: false,
      trustProxy: false,
      redis: undefined,
      presenceGraceMs: 5000,
      limits: {
        maxMessageBytes: 65536,
        chatMessageLength: 2000,
        eventRate: { points: 200, windowSec: 10, disconnectAfter: 200 },
        connectionsPerIp: 0,
        notifyRate: { points: 50_000, windowSec: 10 },
        authFailures: { points: 30, windowSec: 300 },
        maxBufferedBytes: 1024 * 1024,
      },
    })
  })

  it('reads lists, trimming blanks, and treats "*" as any origin', () => {
    const config = loadConfig({
      PORT: '8080',
      TIDINGS_API_KEY: ' key-aaaaaaaaaaaaaaaa , key-bbbbbbbbbbbbbbbb ,',
      TIDINGS_ORIGINS: 'https://a.example, http://localhost:5173',
    })
    expect(config.port).toBe(8080)
    expect(config.apiKeys).toEqual(['key-aaaaaaaaaaaaaaaa', 'key-bbbbbbbbbbbbbbbb'])
    expect(config.origins).toEqual(['https://a.example', 'http://localhost:5173'])
    expect(loadConfig({ TIDINGS_ORIGINS: '*' }).origins).toEqual([])
  })

  it('turns open-mode user targets on only when asked', () => {
    expect(loadConfig({ TIDINGS_OPEN_USER_TARGETS: 'true' }).openUserTargets).toBe(true)
    expect(loadConfig({ TIDINGS_OPEN_USER_TARGETS: 'false' }).openUserTargets).toBe(false)
    expect(() => loadConfig({ TIDINGS_OPEN_USER_TARGETS: 'sure' })).toThrow('TIDINGS_OPEN_USER_TARGETS="sure" must be true or false')
  })

  it('reads TIDINGS_TRUST_PROXY as Express reads "trust proxy"', () => {
    expect(loadConfig({ TIDINGS_TRUST_PROXY: 'false' }).trustProxy).toBe(false)
    expect(loadConfig({ TIDINGS_TRUST_PROXY: 'true' }).trustProxy).toBe(true)
    expect(loadConfig({ TIDINGS_TRUST_PROXY: '2' }).trustProxy).toBe(2)
    expect(loadConfig({ TIDINGS_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8'])
    expect(() => loadConfig({ TIDINGS_TRUST_PROXY: 'my-proxy' })).toThrow('TIDINGS_TRUST_PROXY="my-proxy"')
  })

  it('reads the operations settings: an open /metrics and a 10 s stop by default', () => {
    expect(loadConfig({})).toMatchObject({ metricsKey: undefined, shutdownTimeoutMs: 10_000 })
    expect(loadConfig({ TIDINGS_METRICS_KEY: ' ', TIDINGS_SHUTDOWN_TIMEOUT_SECONDS: '' })).toMatchObject({
      metricsKey: undefined,
      shutdownTimeoutMs: 10_000,
    })
    expect(
      loadConfig({ TIDINGS_METRICS_KEY: 'scrape-key-0123456789', TIDINGS_SHUTDOWN_TIMEOUT_SECONDS: '30' }),
    ).toMatchObject({ metricsKey: 'scrape-key-0123456789', shutdownTimeoutMs: 30_000 })
  })

  it('names a bad operations setting without echoing the metrics key', () => {
    expect(() => loadConfig({ TIDINGS_SHUTDOWN_TIMEOUT_SECONDS: '0' })).toThrow(
      'TIDINGS_SHUTDOWN_TIMEOUT_SECONDS="0" must be between 1 and 3600',
    )
    expect(() => loadConfig({ TIDINGS_METRICS_KEY: 'short-secret' })).toThrow('TIDINGS_METRICS_KEY="…"')
    expect(() => loadConfig({ TIDINGS_METRICS_KEY: 'short-secret' })).not.toThrow(/short-secret/)
  })

  it('serves the source map only when TIDINGS_SOURCE_MAPS is true', () => {
    expect(loadConfig({ TIDINGS_SOURCE_MAPS: 'true' }).sourceMaps).toBe(true)
    expect(loadConfig({ TIDINGS_SOURCE_MAPS: 'false' }).sourceMaps).toBe(false)
    expect(() => loadConfig({ TIDINGS_SOURCE_MAPS: 'yes' })).toThrow('TIDINGS_SOURCE_MAPS="yes" must be true or false')
  })

  it('names every bad setting in one message', () => {
    const attempt = () =>
      loadConfig({ PORT: '-1', LOG_LEVEL: 'chatty', TIDINGS_ORIGINS: 'https://a.example/', TIDINGS_WS_ENGINE: 'uws' })
    expect(attempt).toThrow(ConfigError)
    for (const part of ['PORT="-1"', 'LOG_LEVEL="chatty"', 'TIDINGS_ORIGINS="https://a.example/"', 'TIDINGS_WS_ENGINE="uws"']) {
      expect(attempt).toThrow(part)
    }
  })

  it('switches to signed mode with a secret, guests read-only unless configured', () => {
    const secret = 's'.repeat(32)
    expect(loadConfig({ TIDINGS_JWT_SECRET: secret })).toMatchObject({ jwt: { secret, clockToleranceSec: 30 }, guests: 'read' })
    expect(loadConfig({ TIDINGS_JWT_SECRET: secret, TIDINGS_GUESTS: 'off' }).guests).toBe('off')
    const pem = '-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----'
    expect(loadConfig({ TIDINGS_JWT_PUBLIC_KEY: pem }).jwt?.publicKeyPem).toBe('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')
  })

  it('never echoes a secret in its error message', () => {
    const attempt = () => loadConfig({ TIDINGS_JWT_SECRET: 'too-short-secret' })
    expect(attempt).toThrow('TIDINGS_JWT_SECRET="…" must be at least 32 characters')
    expect(attempt).not.toThrow(/too-short-secret/)
    expect(() => loadConfig({ TIDINGS_JWT_SECRET: 's'.repeat(32), TIDINGS_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----x' })).toThrow(
      'not both',
    )
  })

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', TIDINGS_API_KEY: '' })).toMatchObject({ port: 3000, apiKeys: [] })
  })
})
