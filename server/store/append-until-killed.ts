/**
 * Child process for the kill -9 durability test: appends notifications to the SQLite file named
 * by its first argument, many at a time, and prints each stored id on its own line once that
 * append's promise has resolved. It never stops by itself; the test kills it.
 *
 * @example
 * node --import tsx server/store/append-until-killed.ts data/test.db
 */
import { openSqliteStore } from './sqlite-store.js'

const CONCURRENT_APPENDS = 50

const path = process.argv[2]
if (path === undefined) throw new Error('usage: append-until-killed.ts <database file>')
const store = openSqliteStore({ path })

for (;;) {
  const batch = Array.from({ length: CONCURRENT_APPENDS }, () => {
    const draft = { title: 'durability', body: '', level: 'info' as const, timestamp: new Date().toISOString() }
    // Printed only after the promise resolves: a printed id is one the store said was committed.
    return store.appendNotification(draft).then(({ notification }) => process.stdout.write(`${notification.id}\n`))
  })
  await Promise.all(batch)
}
