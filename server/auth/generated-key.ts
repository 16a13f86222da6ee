import { closeSync, fchmodSync, mkdtempSync, openSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

/**
 * Writes a key the hub generated (no `TIDINGS_API_KEY`) to `api-key` beside the database, readable
 * by the hub's user only (0600), and returns the file's path. Keys never go to the log, which
 * log shippers copy far and wide; the start line names this file instead. With an in-memory
 * database the file goes to a fresh private temporary folder.
 *
 * @example
 * const file = saveGeneratedKey(hub.apiKeys[0], config.dbPath) // e.g. data/api-key
 * // curl -H "Authorization: Bearer $(cat data/api-key)" …
 */
export function saveGeneratedKey(key: string, dbPath: string): string {
  const folder = dbPath === ':memory:' ? mkdtempSync(join(tmpdir(), 'tidings-')) : dirname(resolve(dbPath))
  const file = join(folder, 'api-key')
  const fd = openSync(file, 'w', 0o600)
  try {
    // The mode above applies only to a new file: an older one keeps its own until changed.
    fchmodSync(fd, 0o600)
    writeSync(fd, `${key}\n`)
  } finally {
    closeSync(fd)
  }
  return file
}
