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
      dbPath: './data/tidings.db',
      retentionDays: 30,
      recoveryWindowMs: 120_000,
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

  it('names every bad setting in one message', () => {
    const attempt = () => loadConfig({ PORT: '-1', LOG_LEVEL: 'chatty', TIDINGS_ORIGINS: 'https://a.example/' })
    expect(attempt).toThrow(ConfigError)
    for (const part of ['PORT="-1"', 'LOG_LEVEL="chatty"', 'TIDINGS_ORIGINS="https://a.example/"']) {
      expect(attempt).toThrow(part)
    }
  })

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', TIDINGS_API_KEY: '' })).toMatchObject({ port: 3000, apiKeys: [] })
  })
})
