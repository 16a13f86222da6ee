/**
 * Child process for the kill -9 durability test: appends notifications to the SQLite file named
 * by its first argument, many at a time, and prints each id on its own line once that append's
 * promise has resolved. It never stops by itself; the test kills it.
 *
 * @example
 * node --import tsx server/store/append-until-killed.ts data/test.db
 */
import { createIdGenerator } from '../ids.js'
import { openSqliteStore } from './sqlite-store.js'

const CONCURRENT_APPENDS = 50

const path = process.argv[2]
if (path === undefined) throw new Error('usage: append-until-killed.ts <database file>')
const store = openSqliteStore({ path })
const nextId = createIdGenerator()

for (;;) {
  const batch = Array.from({ length: CONCURRENT_APPENDS }, () => {
    const id = nextId()
    const notification = { id, title: 'durability', body: '', level: 'info' as const, timestamp: new Date().toISOString() }
    // Printed only after the promise resolves: a printed id is one the store said was committed.
    return store.appendNotification(notification).then(() => process.stdout.write(`${id}\n`))
  })
  await Promise.all(batch)
}
