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
import { withRandomDelays } from '../../test/helpers/delayed-store.js'
import { describeStoreContract } from './store.contract.js'
import { createFixtures, createTestClock, ids } from './store-test-fixtures.js'

const tempDir = mkdtempSync(join(tmpdir(), 'tidings-store-'))
afterAll(() => rmSync(tempDir, { recursive: true, force: true }))

let files = 0
const newDbPath = (): string => join(tempDir, `store-${++files}.db`)

describeStoreContract('SQLite file', ({ now }) => openSqliteStore({ path: newDbPath(), now }))
describeStoreContract('SQLite :memory:', ({ now }) => openSqliteStore({ path: ':memory:', now }))
describeStoreContract('SQLite behind random async delays', ({ now }) =>
  withRandomDelays(openSqliteStore({ path: ':memory:', now })),
)

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
    const first = openSqliteStore({ path, now: clock.now })
    const { notification } = await first.appendNotification(make.notification({ topic: 'deploys', data: { ok: true } }), {
      scope: 's',
      key: 'k',
    })
    await first.followTopic('ada', 'deploys')
    await first.markAllRead('ada')
    const message = await first.appendChatMessage(make.chatMessage('support'))
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
      const next = await second.appendNotification(make.notification())
      expect(next.notification.id > notification.id).toBe(true)
    } finally {
      await second.close()
    }
    expect(inspect(path, (db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION)
  })

  it('renumbers a version 1 database (clock-made ids) in id order, with every reference following its row', async () => {
    const path = newDbPath()
    const v1 = new Database(path)
    v1.exec(MIGRATIONS[0] ?? '')
    v1.pragma('user_version = 1')
    const insert = v1.prepare(
      `INSERT INTO notifications (id, title, body, level, timestamp, topic, user, data, published_at, audience)
       VALUES (?, ?, '', 'info', '2025-03-01T12:00:00.000Z', NULL, ?, NULL, ?, ?)`,
    )
    // Old ids: base-36 time, sequence, process tag; inserted out of order on purpose.
    const now = Date.parse('2025-03-01T12:00:00.000Z')
    insert.run('00m7pqzk00001abcdef', 'second', 'ada', now, 'u:ada')
    insert.run('00m7pqzk00000abcdef', 'first', null, now, '*')
    insert.run('00m7pqzl00000abcdef', 'third', null, now, '*')
    v1.prepare("INSERT INTO idempotency_keys VALUES ('s', 'k', '00m7pqzk00001abcdef', ?)").run(now)
    v1.prepare("INSERT INTO inbox_watermarks VALUES ('ada', '00m7pqzk00001abcdef')").run()
    v1.prepare("INSERT INTO notification_reads VALUES ('bob', '00m7pqzl00000abcdef')").run()
    const chat = v1.prepare("INSERT INTO chat_messages VALUES (?, 'support', 'ada', ?, '2025-03-01T12:00:00.000Z')")
    chat.run('00m7pqzk00001abcdef', 'two')
    chat.run('00m7pqzk00000abcdef', 'one')
    v1.close()

    const clock = createTestClock()
    const store = openSqliteStore({ path, now: clock.now })
    try {
      const all = await store.notificationsAfter({ userId: 'ada', topics: [] }, undefined, 10)
      expect(all.map((n) => [n.id, n.title])).toEqual([
        ['0000000000000001', 'first'],
        ['0000000000000002', 'second'],
        ['0000000000000003', 'third'],
      ])
      const retry = await store.appendNotification(createFixtures(clock).notification(), { scope: 's', key: 'k' })
      expect(retry).toMatchObject({ created: false, notification: { id: '0000000000000002' } })
      expect(await store.unreadCount('ada')).toBe(1)
      expect((await store.inbox('bob', { limit: 10 })).entries.map((e) => e.read)).toEqual([true, false])
      expect((await store.recentChatMessages('support')).map((m) => [m.id, m.message])).toEqual([
        ['0000000000000001', 'one'],
        ['0000000000000002', 'two'],
      ])
      const next = await store.appendNotification(createFixtures(clock).notification())
      expect(next.notification.id).toBe('0000000000000004')
    } finally {
      await store.close()
    }
    expect(inspect(path, (db) => db.pragma('foreign_key_check'))).toEqual([])
  })

  it('numbers a new database above the ids an earlier one handed out', async () => {
    const make = createFixtures(createTestClock())
    const earlier = openSqliteStore({ path: newDbPath() })
    const { notification } = await earlier.appendNotification(make.notification())
    const message = await earlier.appendChatMessage(make.chatMessage('ops'))
    await earlier.close()
    // Sequences start at the creation time: make sure the clock has moved on (at most 1 ms).
    const createdBy = Date.now()
    while (Date.now() === createdBy) {
      // spin
    }

    const later = openSqliteStore({ path: newDbPath() })
    try {
      expect((await later.appendNotification(make.notification())).notification.id > notification.id).toBe(true)
      expect((await later.appendChatMessage(make.chatMessage('ops'))).id > message.id).toBe(true)
    } finally {
      await later.close()
    }
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
      const traffic = (
        await Promise.all(
          Array.from({ length: 4000 }, (_, i) =>
            store.appendNotification(make.notification(i % 4 === 0 ? { topic: 'deploys' } : { user: `user-${i % 50}` })),
          ),
        )
      ).map((r) => r.notification)

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
