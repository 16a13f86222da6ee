import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { MIGRATIONS, SCHEMA_VERSION } from './sqlite-schema.js'
import { openSqliteStore } from './sqlite-store.js'
import { MAX_PAGE_SIZE } from './store.js'
import { describeStoreContract } from './store.contract.js'
import { createFixtures, createTestClock, ids } from './store-test-fixtures.js'

const tempDir = mkdtempSync(join(tmpdir(), 'tidings-store-'))
afterAll(() => rmSync(tempDir, { recursive: true, force: true }))

let files = 0
const newDbPath = (): string => join(tempDir, `store-${++files}.db`)

describeStoreContract('SQLite file', ({ now }) => openSqliteStore({ path: newDbPath(), now }))
describeStoreContract('SQLite :memory:', ({ now }) => openSqliteStore({ path: ':memory:', now }))

/** Reads a database file through a separate connection, as an operator's tool would. */
function inspect<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

describe('SQLite store', () => {
  it('keeps the file in WAL mode', async () => {
    const path = newDbPath()
    const store = openSqliteStore({ path })
    await store.close()

    expect(inspect(path, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal')
  })

  it('finds data and schema version intact after closing and reopening', async () => {
    const path = newDbPath()
    const clock = createTestClock()
    const make = createFixtures(clock)
    const notification = make.notification({ topic: 'deploys', data: { ok: true } })
    const message = make.chatMessage('support')

    const first = openSqliteStore({ path, now: clock.now })
    await first.appendNotification(notification, { scope: 's', key: 'k' })
    await first.followTopic('ada', 'deploys')
    await first.markAllRead('ada')
    await first.appendChatMessage(message)
    await first.close()
    expect(inspect(path, (db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION)

    const second = openSqliteStore({ path, now: clock.now })
    try {
      expect(await second.notificationsAfter({ topics: ['deploys'] }, undefined, 10)).toStrictEqual([notification])
      expect(await second.appendNotification(make.notification(), { scope: 's', key: 'k' })).toStrictEqual({
        notification,
        created: false,
      })
      expect(await second.inbox('ada', { limit: 10 })).toStrictEqual({
        entries: [{ notification, read: true }],
        unread: 0,
        followed: ['deploys'],
      })
      expect(await second.recentChatMessages('support')).toStrictEqual([message])
    } finally {
      await second.close()
    }
    expect(inspect(path, (db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION)
  })

  it('creates the folder of a database path that does not exist yet', async () => {
    const path = join(tempDir, 'nested', 'deeper', 'tidings.db')
    const store = openSqliteStore({ path })
    await store.close()
    expect(existsSync(path)).toBe(true)
  })

  it('refuses a database written by a newer schema, leaving it untouched', () => {
    const path = newDbPath()
    const db = new Database(path)
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`)
    db.close()

    expect(() => openSqliteStore({ path })).toThrow(/newer/)
    expect(inspect(path, (check) => check.pragma('user_version', { simple: true }))).toBe(MIGRATIONS.length + 1)
  })

  it('returns a 1000-row catch-up among other recipients’ traffic', async () => {
    const store = openSqliteStore({ path: newDbPath() })
    const make = createFixtures(createTestClock())
    try {
      const traffic = Array.from({ length: 4000 }, (_, i) =>
        make.notification(i % 4 === 0 ? { topic: 'deploys' } : { user: `user-${i % 50}` }),
      )
      await Promise.all(traffic.map((n) => store.appendNotification(n)))

      const missed = await store.notificationsAfter({ topics: ['deploys'] }, undefined, MAX_PAGE_SIZE)

      expect(ids(missed)).toEqual(ids(traffic.filter((n) => n.topic === 'deploys')))
    } finally {
      await store.close()
    }
  })

  it('keeps every acknowledged notification when the process is killed with SIGKILL', async () => {
    const path = newDbPath()
    const acknowledged = await appendUntilKilled(path, 2000)

    const store = openSqliteStore({ path })
    try {
      const stored = new Set<string>()
      let after: string | undefined
      for (;;) {
        const page = await store.notificationsAfter({ topics: [] }, after, MAX_PAGE_SIZE)
        for (const n of page) stored.add(n.id)
        after = page.at(-1)?.id
        if (page.length < MAX_PAGE_SIZE) break
      }
      expect(acknowledged.length).toBeGreaterThanOrEqual(2000)
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([])
    } finally {
      await store.close()
    }
  })
})

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const childScript = fileURLToPath(new URL('./append-until-killed.ts', import.meta.url))

/**
 * Runs the appending child until it has acknowledged `atLeast` ids, kills it with SIGKILL (no
 * chance to flush or close), and returns every id it printed.
 */
function appendUntilKilled(path: string, atLeast: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, path], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    let errors = ''
    let killed = false
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      if (!killed && output.split('\n').length > atLeast) {
        killed = true
        child.kill('SIGKILL')
      }
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk))
    child.on('error', reject)
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`the child stopped by itself: ${errors}`))
      // A line cut by the kill is incomplete: only whole lines were acknowledged.
      resolve(output.split('\n').slice(0, -1))
    })
  })
}
