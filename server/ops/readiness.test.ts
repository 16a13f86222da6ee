import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { openSqliteStore } from '../store/index.js'
import type { Store } from '../store/store.js'
import { readiness } from './readiness.js'

const stores: Store[] = []
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined)
})

function sqliteStore(): Store {
  const store = openSqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'tidings-ready-')), 'db'), log: pino({ level: 'silent' }), retentionDays: 30 })
  stores.push(store)
  return store
}

describe('readiness', () => {
  it('is ready with a store that serves', async () => {
    expect(await readiness(sqliteStore(), false)).toEqual({ status: 'ready' })
  })

  it('is unavailable while shutting down, before asking the store', async () => {
    const store = Object.assign(sqliteStore(), { check: () => Promise.reject(new Error('must not be asked')) })
    expect(await readiness(store, true)).toEqual({ status: 'unavailable', reason: 'shutting_down' })
  })

  it("names the store's own reason when its check fails", async () => {
    const store = Object.assign(sqliteStore(), { check: () => Promise.reject(new Error('database is locked')) })
    expect(await readiness(store, false)).toEqual({ status: 'unavailable', reason: 'store_unavailable: database is locked' })
  })
})
